<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>About</name>
    <message>
        <source>About cimviewer</source>
        <translation>About cimviewer</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Attribute</source>
        <translation>Attribute</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Layer</translation>
    </message>
    <message>
        <source>Object id</source>
        <translation>Object id</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>Parent</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>Children</translation>
    </message>
    <message>
        <source>Feature</source>
        <translation>Feature</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <source>Layer</source>
        <translation>Layer</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Zoom to layer</source>
        <translation>Zoom to layer</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Opacity</translation>
    </message>
    <message>
        <source>Level of detail</source>
        <translation>Level of detail</translation>
    </message>
    <message>
        <source>City model</source>
        <translation>City model</translation>
    </message>
    <message>
        <source>Terrain</source>
        <translation>Terrain</translation>
    </message>
    <message>
        <source>Vector</source>
        <translation>Vector</translation>
    </message>
    <message>
        <source>Highest available</source>
        <translation>Highest available</translation>
    </message>
    <message>
        <source>LoD {0}</source>
        <translation>LoD {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>cimviewer</source>
        <translation>cimviewer</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Layers</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspector</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Open…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Open &amp;Recent</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Reset view</source>
        <translation>&amp;Reset view</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About cimviewer</source>
        <translation>&amp;About cimviewer</translation>
    </message>
    <message>
        <source>no CRS</source>
        <translation>no CRS</translation>
    </message>
    <message>
        <source>X —  Y —  Z —  ({0})</source>
        <translation>X —  Y —  Z —  ({0})</translation>
    </message>
    <message>
        <source>X {0:.2f}  Y {1:.2f}  Z {2:.2f}  ({3})</source>
        <translation>X {0:.2f}  Y {1:.2f}  Z {2:.2f}  ({3})</translation>
    </message>
    <message>
        <source>All supported files ({0})</source>
        <translation>All supported files ({0})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>Open data</translation>
    </message>
    <message>
        <source>Opening %s</source>
        <translation>Opening %s</translation>
    </message>
    <message>
        <source>%s is in %s, the project in %s</source>
        <translation>%s is in %s, the project in %s</translation>
    </message>
    <message>
        <source>Opened %s</source>
        <translation>Opened %s</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>Opened {0}</translation>
    </message>
    <message>
        <source>Could not open file</source>
        <translation>Could not open file</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
</context>
</TS>