<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <source>About cimviewer</source>
        <translation>关于 cimviewer</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Attribute</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Object id</source>
        <translation>对象编号</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>父对象</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>子对象</translation>
    </message>
    <message>
        <source>Feature</source>
        <translation>要素</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Zoom to layer</source>
        <translation>缩放至图层</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>Level of detail</source>
        <translation>细节层次</translation>
    </message>
    <message>
        <source>City model</source>
        <translation>城市模型</translation>
    </message>
    <message>
        <source>Terrain</source>
        <translation>地形</translation>
    </message>
    <message>
        <source>Vector</source>
        <translation>矢量</translation>
    </message>
    <message>
        <source>Highest available</source>
        <translation>最高可用</translation>
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
        <translation>cimviewer 城市信息模型浏览器</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>属性查看</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Reset view</source>
        <translation>重置视图(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About cimviewer</source>
        <translation>关于 cimviewer(&amp;A)</translation>
    </message>
    <message>
        <source>no CRS</source>
        <translation>无坐标系</translation>
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
        <translation>所有支持的文件 ({0})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>打开数据</translation>
    </message>
    <message>
        <source>Opening %s</source>
        <translation>正在打开 %s</translation>
    </message>
    <message>
        <source>%s is in %s, the project in %s</source>
        <translation>%s 的坐标系为 %s，项目坐标系为 %s</translation>
    </message>
    <message>
        <source>Opened %s</source>
        <translation>已打开 %s</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>已打开 {0}</translation>
    </message>
    <message>
        <source>Could not open file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
</TS>