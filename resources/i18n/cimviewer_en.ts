<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name />
    <message>
        <source>Weights</source>
        <translation>Weights</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>weight</translation>
    </message>
    <message>
        <source>Contributions to the score (best sites)</source>
        <translation>Contributions to the score (best sites)</translation>
    </message>
    <message>
        <source>score</source>
        <translation>score</translation>
    </message>
    <message>
        <source>Rank range under weight changes (Monte Carlo)</source>
        <translation>Rank range under weight changes (Monte Carlo)</translation>
    </message>
    <message>
        <source>rank</source>
        <translation>rank</translation>
    </message>
    <message>
        <source>Consistency ratio CR = {0:.3f} (lambda_max {1:.3f})</source>
        <translation>Consistency ratio CR = {0:.3f} (lambda_max {1:.3f})</translation>
    </message>
    <message>
        <source>CR &gt;= 0.1: check the judgement {0} vs {1}; the others imply about {2}</source>
        <translation>CR &gt;= 0.1: check the judgement {0} vs {1}; the others imply about {2}</translation>
    </message>
</context>
<context>
    <name>About</name>
    <message>
        <source>cimviewer — city information model viewer</source>
        <translation>cimviewer — city information model viewer</translation>
    </message>
    <message>
        <source>Smart-pole planning on a 3D city.</source>
        <translation>Smart-pole planning on a 3D city.</translation>
    </message>
    <message>
        <source>About cimviewer</source>
        <translation>About cimviewer</translation>
    </message>
</context>
<context>
    <name>AddReadingsDialog</name>
    <message>
        <source>Add sensor readings</source>
        <translation>Add sensor readings</translation>
    </message>
    <message>
        <source>CSV or Parquet file</source>
        <translation>CSV or Parquet file</translation>
    </message>
    <message>
        <source>Readings</source>
        <translation>Readings</translation>
    </message>
    <message>
        <source>Long: one reading per row</source>
        <translation>Long: one reading per row</translation>
    </message>
    <message>
        <source>Wide: one column per sensor</source>
        <translation>Wide: one column per sensor</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Layout</translation>
    </message>
    <message>
        <source>Time column</source>
        <translation>Time column</translation>
    </message>
    <message>
        <source>Sensor id column</source>
        <translation>Sensor id column</translation>
    </message>
    <message>
        <source>Value column</source>
        <translation>Value column</translation>
    </message>
    <message>
        <source>Unit column</source>
        <translation>Unit column</translation>
    </message>
    <message>
        <source>Sensor columns</source>
        <translation>Sensor columns</translation>
    </message>
    <message>
        <source>For times written without an offset</source>
        <translation>For times written without an offset</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Time zone</translation>
    </message>
    <message>
        <source>optional: points with a sensor_id column; else ids name poles or buildings</source>
        <translation>optional: points with a sensor_id column; else ids name poles or buildings</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>Positions</translation>
    </message>
    <message>
        <source>Layer name</source>
        <translation>Layer name</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Sensor readings</source>
        <translation>Sensor readings</translation>
    </message>
    <message>
        <source>Tables (*.csv *.parquet *.pq);;All files (*)</source>
        <translation>Tables (*.csv *.parquet *.pq);;All files (*)</translation>
    </message>
    <message>
        <source>Sensor positions</source>
        <translation>Sensor positions</translation>
    </message>
    <message>
        <source>Point data (*.gpkg *.geojson *.json *.shp *.fgb);;All files (*)</source>
        <translation>Point data (*.gpkg *.geojson *.json *.shp *.fgb);;All files (*)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>Sensors</translation>
    </message>
    <message>
        <source>Choose a readings file</source>
        <translation>Choose a readings file</translation>
    </message>
    <message>
        <source>Choose at least one sensor column</source>
        <translation>Choose at least one sensor column</translation>
    </message>
    <message>
        <source>The positions file does not exist</source>
        <translation>The positions file does not exist</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <source>Sensor</source>
        <translation>Sensor</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warning</translation>
    </message>
</context>
<context>
    <name>AlgorithmDialog</name>
    <message>
        <source>Run the tasks on dask</source>
        <translation>Run the tasks on dask</translation>
    </message>
    <message>
        <source>scheduler address (empty: local cluster)</source>
        <translation>scheduler address (empty: local cluster)</translation>
    </message>
    <message>
        <source>Dask scheduler</source>
        <translation>Dask scheduler</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Run</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Details…</translation>
    </message>
    <message>
        <source>The full error report of the last failure</source>
        <translation>The full error report of the last failure</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Running…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>{0} did not stop within {1:g} s of Cancel; it was abandoned.</source>
        <translation>{0} did not stop within {1:g} s of Cancel; it was abandoned.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>{0} failed: {1}</source>
        <translation>{0} failed: {1}</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Done.</translation>
    </message>
    <message>
        <source>%s finished</source>
        <translation>%s finished</translation>
    </message>
</context>
<context>
    <name>BookmarksPanel</name>
    <message>
        <source>Add view</source>
        <translation>Add view</translation>
    </message>
    <message>
        <source>Fly to</source>
        <translation>Fly to</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Heading {0:.0f}°, pitch {1:.0f}°</source>
        <translation>Heading {0:.0f}°, pitch {1:.0f}°</translation>
    </message>
    <message>
        <source>View {0}</source>
        <translation>View {0}</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>Bookmark</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Click a sensor on the map to chart it; Ctrl+click adds sensors to compare.</source>
        <translation>Click a sensor on the map to chart it; Ctrl+click adds sensors to compare.</translation>
    </message>
</context>
<context>
    <name>ControlBar</name>
    <message>
        <source>Home view</source>
        <extracomment>px; touch targets of at least 64 px a language is offered by its own name (an endonym), which is never translated</extracomment>
        <translation>Home view</translation>
    </message>
    <message>
        <source>Roads</source>
        <translation>Roads</translation>
    </message>
    <message>
        <source>Smart poles</source>
        <translation>Smart poles</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>Sensors</translation>
    </message>
    <message>
        <source>Substations</source>
        <translation>Substations</translation>
    </message>
    <message>
        <source>Fibre nodes</source>
        <translation>Fibre nodes</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>Buildings</translation>
    </message>
    <message>
        <source>Terrain</source>
        <translation>Terrain</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message>
        <source>Returning to the start in {0} s</source>
        <translation>Returning to the start in {0} s</translation>
    </message>
    <message>
        <source>Stay here</source>
        <translation>Stay here</translation>
    </message>
</context>
<context>
    <name>CoverageDock</name>
    <message>
        <source>Sites</source>
        <extracomment>numeric attributes written on the buildings' objects after a run parameters of ``Coverage`` the dock fills itself (from the sites table) or leaves out</extracomment>
        <translation>Sites</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>Link budget</source>
        <translation>Link budget</translation>
    </message>
    <message>
        <source>Fill from layer</source>
        <translation>Fill from layer</translation>
    </message>
    <message>
        <source>Point layer</source>
        <translation>Point layer</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>Height</translation>
    </message>
    <message>
        <source>Place site</source>
        <translation>Place site</translation>
    </message>
    <message>
        <source>The next click in the 3D view adds a site there.</source>
        <translation>The next click in the 3D view adds a site there.</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Receivers</source>
        <translation>Receivers</translation>
    </message>
    <message>
        <source>Run coverage</source>
        <translation>Run coverage</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>RSRP classes</source>
        <translation>RSRP classes</translation>
    </message>
    <message>
        <source>≥ {0} dBm</source>
        <translation>≥ {0} dBm</translation>
    </message>
    <message>
        <source>{0} to {1} dBm</source>
        <translation>{0} to {1} dBm</translation>
    </message>
    <message>
        <source>&lt; {0} dBm</source>
        <translation>&lt; {0} dBm</translation>
    </message>
    <message>
        <source>RSRP (dBm)</source>
        <translation>RSRP (dBm)</translation>
    </message>
    <message>
        <source>SINR (dB)</source>
        <translation>SINR (dB)</translation>
    </message>
    <message>
        <source>Distribution of</source>
        <translation>Distribution of</translation>
    </message>
    <message>
        <source>CDF</source>
        <translation>CDF</translation>
    </message>
    <message>
        <source>Clear results</source>
        <translation>Clear results</translation>
    </message>
    <message>
        <source>Pick transmitter and receiver</source>
        <translation>Pick transmitter and receiver</translation>
    </message>
    <message>
        <source>Click the transmitter, then the receiver in the 3D view.</source>
        <translation>Click the transmitter, then the receiver in the 3D view.</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>Frequency</translation>
    </message>
    <message>
        <source>Transmitter height</source>
        <translation>Transmitter height</translation>
    </message>
    <message>
        <source>Receiver height</source>
        <translation>Receiver height</translation>
    </message>
    <message>
        <source>EIRP</source>
        <translation>EIRP</translation>
    </message>
    <message>
        <source>No link yet.</source>
        <translation>No link yet.</translation>
    </message>
    <message>
        <source>Distance (m)</source>
        <translation>Distance (m)</translation>
    </message>
    <message>
        <source>Height (m)</source>
        <translation>Height (m)</translation>
    </message>
    <message>
        <source>Path loss (dB)</source>
        <translation>Path loss (dB)</translation>
    </message>
    <message>
        <source>Received power (dBm)</source>
        <translation>Received power (dBm)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <source>Y</source>
        <translation>Y</translation>
    </message>
    <message>
        <source>Mount (ground/roof)</source>
        <translation>Mount (ground/roof)</translation>
    </message>
    <message>
        <source>Tx power (dBm)</source>
        <translation>Tx power (dBm)</translation>
    </message>
    <message>
        <source>Frequency (GHz)</source>
        <translation>Frequency (GHz)</translation>
    </message>
    <message>
        <source>Bandwidth (MHz)</source>
        <translation>Bandwidth (MHz)</translation>
    </message>
    <message>
        <source>Antenna (omni/sector)</source>
        <translation>Antenna (omni/sector)</translation>
    </message>
    <message>
        <source>Azimuth (°)</source>
        <translation>Azimuth (°)</translation>
    </message>
    <message>
        <source>Downtilt (°)</source>
        <translation>Downtilt (°)</translation>
    </message>
    <message>
        <source>Choose a point layer first.</source>
        <translation>Choose a point layer first.</translation>
    </message>
    <message>
        <source>The layer has no points over the buildings and the terrain.</source>
        <translation>The layer has no points over the buildings and the terrain.</translation>
    </message>
    <message>
        <source>{0} sites from {1}.</source>
        <translation>{0} sites from {1}.</translation>
    </message>
    <message>
        <source>Click in the 3D view to place a site.</source>
        <translation>Click in the 3D view to place a site.</translation>
    </message>
    <message>
        <source>Click the transmitter in the 3D view.</source>
        <translation>Click the transmitter in the 3D view.</translation>
    </message>
    <message>
        <source>Click the receiver in the 3D view.</source>
        <translation>Click the receiver in the 3D view.</translation>
    </message>
    <message>
        <source>Site placed at {0:.1f}, {1:.1f} ({2}).</source>
        <translation>Site placed at {0:.1f}, {1:.1f} ({2}).</translation>
    </message>
    <message>
        <source>roof</source>
        <translation>roof</translation>
    </message>
    <message>
        <source>ground</source>
        <translation>ground</translation>
    </message>
    <message>
        <source>5G sites</source>
        <translation>5G sites</translation>
    </message>
    <message>
        <source>Add sites first (from a layer or by clicking).</source>
        <translation>Add sites first (from a layer or by clicking).</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>Running coverage…</source>
        <translation>Running coverage…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Coverage failed: {0}</source>
        <translation>Coverage failed: {0}</translation>
    </message>
    <message>
        <source>Done: {0:.1f} % of the area above the threshold.</source>
        <translation>Done: {0:.1f} % of the area above the threshold.</translation>
    </message>
    <message>
        <source>RSRP coverage</source>
        <translation>RSRP coverage</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Site</translation>
    </message>
    <message>
        <source>Receivers in reach</source>
        <translation>Receivers in reach</translation>
    </message>
    <message>
        <source>Line of sight</source>
        <translation>Line of sight</translation>
    </message>
    <message>
        <source>Area above threshold</source>
        <translation>Area above threshold</translation>
    </message>
    <message>
        <source>Area served</source>
        <translation>Area served</translation>
    </message>
    <message>
        <source>Served area (m²)</source>
        <translation>Served area (m²)</translation>
    </message>
    <message>
        <source>Buildings served</source>
        <translation>Buildings served</translation>
    </message>
    <message>
        <source>Building share served</source>
        <translation>Building share served</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>Area (m²)</translation>
    </message>
    <message>
        <source>Area with good SINR</source>
        <translation>Area with good SINR</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>Buildings</translation>
    </message>
    <message>
        <source>Building share covered</source>
        <translation>Building share covered</translation>
    </message>
    <message>
        <source>Median RSRP (dBm)</source>
        <translation>Median RSRP (dBm)</translation>
    </message>
    <message>
        <source>Median SINR (dB)</source>
        <translation>Median SINR (dB)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>No signal</source>
        <translation>No signal</translation>
    </message>
    <message>
        <source>LOS</source>
        <translation>LOS</translation>
    </message>
    <message>
        <source>NLOS</source>
        <translation>NLOS</translation>
    </message>
    <message>
        <source>Distance {0:.1f} m, {1}. {2}: path loss {3:.1f} dB, received power {4:.1f} dBm.</source>
        <translation>Distance {0:.1f} m, {1}. {2}: path loss {3:.1f} dB, received power {4:.1f} dBm.</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>Terrain</source>
        <translation>Terrain</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>Buildings</translation>
    </message>
    <message>
        <source>Roads</source>
        <translation>Roads</translation>
    </message>
    <message>
        <source>Poles</source>
        <translation>Poles</translation>
    </message>
    <message>
        <source>Substations</source>
        <translation>Substations</translation>
    </message>
    <message>
        <source>Fibre nodes</source>
        <translation>Fibre nodes</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>Sensors</translation>
    </message>
</context>
<context>
    <name>ExportImage</name>
    <message>
        <source>Export image</source>
        <extracomment>the width the size field offers (4K), at the view's shape</extracomment>
        <translation>Export image</translation>
    </message>
    <message>
        <source>Size in pixels (width x height):</source>
        <translation>Size in pixels (width x height):</translation>
    </message>
    <message>
        <source>The size must look like 3840x2400 (16 to 16384).</source>
        <translation>The size must look like 3840x2400 (16 to 16384).</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <source>Drawing the image…</source>
        <translation>Drawing the image…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Export cancelled</source>
        <translation>Export cancelled</translation>
    </message>
    <message>
        <source>Saved %s (%d x %d)</source>
        <translation>Saved %s (%d x %d)</translation>
    </message>
</context>
<context>
    <name>InfoCard</name>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Object id</source>
        <translation>Object id</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Layer</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Mounted on</source>
        <translation>Mounted on</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Attribute</source>
        <extracomment>nesting shown as rows down to this depth; deeper values are shown as JSON</extracomment>
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
    <message>
        <source>Class</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>Intensity</source>
        <translation>Intensity</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>no reading yet</source>
        <translation>no reading yet</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>Sensor</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Warning at</source>
        <translation>Warning at</translation>
    </message>
    <message>
        <source>Alarm at</source>
        <translation>Alarm at</translation>
    </message>
    <message>
        <source>Attached to</source>
        <translation>Attached to</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Position</translation>
    </message>
</context>
<context>
    <name>JoinController</name>
    <message>
        <source>&amp;Join table…</source>
        <translation>&amp;Join table…</translation>
    </message>
    <message>
        <source>Join a CSV, GeoPackage or PostgreSQL table to the objects of the current city layer by an id column</source>
        <translation>Join a CSV, GeoPackage or PostgreSQL table to the objects of the current city layer by an id column</translation>
    </message>
    <message>
        <source>&amp;Layer</source>
        <translation>&amp;Layer</translation>
    </message>
    <message>
        <source>Choose a city model layer to join a table to.</source>
        <translation>Choose a city model layer to join a table to.</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>Join table to {0}</source>
        <translation>Join table to {0}</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV file</translation>
    </message>
    <message>
        <source>GeoPackage table</source>
        <translation>GeoPackage table</translation>
    </message>
    <message>
        <source>PostgreSQL table</source>
        <translation>PostgreSQL table</translation>
    </message>
    <message>
        <source>File to join</source>
        <translation>File to join</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>from the system keyring or PGPASSWORD if saved</source>
        <translation>from the system keyring or PGPASSWORD if saved</translation>
    </message>
    <message>
        <source>Remember the password in the system keyring</source>
        <translation>Remember the password in the system keyring</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>List tables</source>
        <translation>List tables</translation>
    </message>
    <message>
        <source>Read table</source>
        <translation>Read table</translation>
    </message>
    <message>
        <source>Object id</source>
        <translation>Object id</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Read a table to see how many objects it matches.</source>
        <translation>Read a table to see how many objects it matches.</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Table</translation>
    </message>
    <message>
        <source>Table key column</source>
        <translation>Table key column</translation>
    </message>
    <message>
        <source>Object key</source>
        <translation>Object key</translation>
    </message>
    <message>
        <source>Field name prefix</source>
        <translation>Field name prefix</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Fields</translation>
    </message>
    <message>
        <source>Remove join</source>
        <translation>Remove join</translation>
    </message>
    <message>
        <source>Apply again</source>
        <translation>Apply again</translation>
    </message>
    <message>
        <source>Read the table of the selected join again (with the password above)</source>
        <translation>Read the table of the selected join again (with the password above)</translation>
    </message>
    <message>
        <source>Joins of this layer</source>
        <translation>Joins of this layer</translation>
    </message>
    <message>
        <source>Apply join</source>
        <translation>Apply join</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <source>Tables (*.csv *.txt *.tsv)</source>
        <translation>Tables (*.csv *.txt *.tsv)</translation>
    </message>
    <message>
        <source>Table to join</source>
        <translation>Table to join</translation>
    </message>
    <message>
        <source>{0} tables</source>
        <translation>{0} tables</translation>
    </message>
    <message>
        <source>{0} rows, {1} columns</source>
        <translation>{0} rows, {1} columns</translation>
    </message>
    <message>
        <source> (read as {0})</source>
        <translation> (read as {0})</translation>
    </message>
    <message>
        <source>{0} objects matched; {1} table rows without an object; {2} duplicate keys (the first row is used); {3} objects without a row</source>
        <translation>{0} objects matched; {1} table rows without an object; {2} duplicate keys (the first row is used); {3} objects without a row</translation>
    </message>
    <message>
        <source>Joined {0} fields to {1} objects</source>
        <translation>Joined {0} fields to {1} objects</translation>
    </message>
    <message>
        <source>{0}: {1} fields, {2} objects</source>
        <translation>{0}: {1} fields, {2} objects</translation>
    </message>
    <message>
        <source>{0}: not applied ({1})</source>
        <translation>{0}: not applied ({1})</translation>
    </message>
    <message>
        <source>Removed the join of {0}</source>
        <translation>Removed the join of {0}</translation>
    </message>
    <message>
        <source>Applied again: {0}</source>
        <translation>Applied again: {0}</translation>
    </message>
</context>
<context>
    <name>KioskEditor</name>
    <message>
        <source>Kiosk settings</source>
        <translation>Kiosk settings</translation>
    </message>
    <message>
        <source>Story: the bookmarks the tour visits, in order</source>
        <translation>Story: the bookmarks the tour visits, in order</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>Bookmark</translation>
    </message>
    <message>
        <source>English caption</source>
        <translation>English caption</translation>
    </message>
    <message>
        <source>Chinese caption</source>
        <translation>Chinese caption</translation>
    </message>
    <message>
        <source>Idle time before the countdown (s)</source>
        <translation>Idle time before the countdown (s)</translation>
    </message>
    <message>
        <source>Countdown (s)</source>
        <translation>Countdown (s)</translation>
    </message>
    <message>
        <source>Tour starts after launch (s)</source>
        <translation>Tour starts after launch (s)</translation>
    </message>
    <message>
        <source>Flight between stops (s)</source>
        <translation>Flight between stops (s)</translation>
    </message>
    <message>
        <source>Time at each stop (s)</source>
        <translation>Time at each stop (s)</translation>
    </message>
    <message>
        <source>Orbit speed (degrees/s)</source>
        <translation>Orbit speed (degrees/s)</translation>
    </message>
    <message>
        <source>Start language</source>
        <translation>Start language</translation>
    </message>
    <message>
        <source>Monitor (0 = first)</source>
        <translation>Monitor (0 = first)</translation>
    </message>
    <message>
        <source>Sensor value labels</source>
        <translation>Sensor value labels</translation>
    </message>
    <message>
        <source>as saved with the layer</source>
        <translation>as saved with the layer</translation>
    </message>
    <message>
        <source>Sensor surface quantity</source>
        <translation>Sensor surface quantity</translation>
    </message>
    <message>
        <source>Layers shown</source>
        <translation>Layers shown</translation>
    </message>
    <message>
        <source>Layer buttons for visitors</source>
        <translation>Layer buttons for visitors</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unchanged</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>New operator PIN</source>
        <translation>New operator PIN</translation>
    </message>
    <message>
        <source>Repeat the PIN</source>
        <translation>Repeat the PIN</translation>
    </message>
    <message>
        <source>No PIN (the key chord alone leaves)</source>
        <translation>No PIN (the key chord alone leaves)</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>The two PINs differ.</translation>
    </message>
    <message>
        <source>The PIN must be at least 4 digits.</source>
        <translation>The PIN must be at least 4 digits.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>cimviewer kiosk</source>
        <extracomment>a frame at least this often, so the heartbeat shows a live app replayed readings: 15 minutes of readings per second the caption fades out this long after the camera arrives set by ``app.open_kiosk`` when supervised</extracomment>
        <translation>cimviewer kiosk</translation>
    </message>
    <message>
        <source>Wrong PIN. Operator PIN</source>
        <extracomment>the stop whose caption shows</extracomment>
        <translation>Wrong PIN. Operator PIN</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <source>Layer</source>
        <extracomment>the user chose another appearance theme for a city layer: (layer, theme) objects to select and fly to: [(layer uid, object index), ...]</extracomment>
        <translation>Layer</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Zoom to layer</source>
        <extracomment>actions of the context menu, each with the test of the layers it applies to</extracomment>
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
        <source>Textures and materials shown (appearance themes of the file)</source>
        <translation>Textures and materials shown (appearance themes of the file)</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Appearance</translation>
    </message>
    <message>
        <source>Colour points by</source>
        <translation>Colour points by</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Point size</source>
        <translation>Point size</translation>
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
        <source>Value raster</source>
        <translation>Value raster</translation>
    </message>
    <message>
        <source>Vector</source>
        <translation>Vector</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>Sensors</translation>
    </message>
    <message>
        <source>Point cloud</source>
        <translation>Point cloud</translation>
    </message>
    <message>
        <source>Missing data</source>
        <translation>Missing data</translation>
    </message>
    <message>
        <source>Highest available</source>
        <translation>Highest available</translation>
    </message>
    <message>
        <source>LoD {0}</source>
        <translation>LoD {0}</translation>
    </message>
    <message>
        <source>Storeys</source>
        <translation>Storeys</translation>
    </message>
    <message>
        <source>Show all storeys</source>
        <translation>Show all storeys</translation>
    </message>
    <message>
        <source>Select storey</source>
        <translation>Select storey</translation>
    </message>
    <message>
        <source>Show spaces</source>
        <translation>Show spaces</translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message>
        <source>object type</source>
        <translation>object type</translation>
    </message>
    <message>
        <source>… {0} more</source>
        <translation>… {0} more</translation>
    </message>
</context>
<context>
    <name>LegendPanel</name>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>No legend: the current layer is not coloured by an attribute.</source>
        <translation>No legend: the current layer is not coloured by an attribute.</translation>
    </message>
    <message>
        <source>{0}: coloured by {1}</source>
        <translation>{0}: coloured by {1}</translation>
    </message>
</context>
<context>
    <name>LiveDialog</name>
    <message>
        <source>Connect to live sensors</source>
        <translation>Connect to live sensors</translation>
    </message>
    <message>
        <source>from the system keyring if saved</source>
        <translation>from the system keyring if saved</translation>
    </message>
    <message>
        <source>Remember the password in the system keyring</source>
        <translation>Remember the password in the system keyring</translation>
    </message>
    <message>
        <source>Use TLS</source>
        <translation>Use TLS</translation>
    </message>
    <message>
        <source>system certificates</source>
        <translation>system certificates</translation>
    </message>
    <message>
        <source>JSON {id, value, time, unit}</source>
        <translation>JSON {id, value, time, unit}</translation>
    </message>
    <message>
        <source>OGC SensorThings observation</source>
        <translation>OGC SensorThings observation</translation>
    </message>
    <message>
        <source>Broker</source>
        <translation>Broker</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>Topics</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation>CA certificates</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>Payload</translation>
    </message>
    <message>
        <source>Id topic segment</source>
        <translation>Id topic segment</translation>
    </message>
    <message>
        <source>Older readings are dropped: memory stays bounded</source>
        <translation>Older readings are dropped: memory stays bounded</translation>
    </message>
    <message>
        <source>Readings kept per sensor</source>
        <translation>Readings kept per sensor</translation>
    </message>
    <message>
        <source>No such file: {0}</source>
        <translation>No such file: {0}</translation>
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
        <source>Bookmarks</source>
        <translation>Bookmarks</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Data quality</source>
        <translation>Data quality</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>Legend</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Detail %p%</source>
        <extracomment>how much of the detail the view wants is built (large and streamed layers)</extracomment>
        <translation>Detail %p%</translation>
    </message>
    <message>
        <source>Nearest buildings are loaded in detail first; far ones show as blocks.</source>
        <translation>Nearest buildings are loaded in detail first; far ones show as blocks.</translation>
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
        <source>Open &amp;folder of tiles…</source>
        <translation>Open &amp;folder of tiles…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Open &amp;Recent</translation>
    </message>
    <message>
        <source>&amp;Export image…</source>
        <translation>&amp;Export image…</translation>
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
        <source>Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>Show the whole project (Home)</source>
        <translation>Show the whole project (Home)</translation>
    </message>
    <message>
        <source>&amp;Zoom to selection</source>
        <translation>&amp;Zoom to selection</translation>
    </message>
    <message>
        <source>Fly to the selected objects (Ctrl+J)</source>
        <translation>Fly to the selected objects (Ctrl+J)</translation>
    </message>
    <message>
        <source>Searc&amp;h…</source>
        <translation>Searc&amp;h…</translation>
    </message>
    <message>
        <source>Find objects by id or attribute value</source>
        <translation>Find objects by id or attribute value</translation>
    </message>
    <message>
        <source>&amp;Map view (2D, top-down)</source>
        <translation>&amp;Map view (2D, top-down)</translation>
    </message>
    <message>
        <source>2D map</source>
        <translation>2D map</translation>
    </message>
    <message>
        <source>&amp;Sun and shadows…</source>
        <translation>&amp;Sun and shadows…</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <source>Measure &amp;distance</source>
        <translation>Measure &amp;distance</translation>
    </message>
    <message>
        <source>Measure &amp;height</source>
        <translation>Measure &amp;height</translation>
    </message>
    <message>
        <source>Measure &amp;area</source>
        <translation>Measure &amp;area</translation>
    </message>
    <message>
        <source>&amp;Kiosk settings…</source>
        <translation>&amp;Kiosk settings…</translation>
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
        <source>Navigation</source>
        <translation>Navigation</translation>
    </message>
    <message>
        <source>Nothing selected to zoom to.</source>
        <translation>Nothing selected to zoom to.</translation>
    </message>
    <message>
        <source>The saved window size could not be used</source>
        <translation>The saved window size could not be used</translation>
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
        <source>Click points in the view; Esc ends.</source>
        <translation>Click points in the view; Esc ends.</translation>
    </message>
    <message>
        <source> (segments: {0} m)</source>
        <translation> (segments: {0} m)</translation>
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
        <source>Open folder of tiles</source>
        <translation>Open folder of tiles</translation>
    </message>
    <message>
        <source>Opening %s</source>
        <translation>Opening %s</translation>
    </message>
    <message>
        <source>Opened %s</source>
        <translation>Opened %s</translation>
    </message>
    <message>
        <source>Opened {0}: {1} geometry problems, see Data quality</source>
        <translation>Opened {0}: {1} geometry problems, see Data quality</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>Opened {0}</translation>
    </message>
    <message>
        <source>Could not open file</source>
        <translation>Could not open file</translation>
    </message>
</context>
<context>
    <name>OpenOptionsDialog</name>
    <message>
        <source>Open {0}</source>
        <translation>Open {0}</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Layer</translation>
    </message>
    <message>
        <source>Extrude polygons into LoD1 buildings</source>
        <translation>Extrude polygons into LoD1 buildings</translation>
    </message>
    <message>
        <source> m</source>
        <translation> m</translation>
    </message>
    <message>
        <source>Drape on the terrain</source>
        <translation>Drape on the terrain</translation>
    </message>
    <message>
        <source>Height field</source>
        <translation>Height field</translation>
    </message>
    <message>
        <source>Storeys field</source>
        <translation>Storeys field</translation>
    </message>
    <message>
        <source>Storey height</source>
        <translation>Storey height</translation>
    </message>
    <message>
        <source>Height where unknown</source>
        <translation>Height where unknown</translation>
    </message>
    <message>
        <source>Above the terrain by</source>
        <translation>Above the terrain by</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Image draped on the terrain</source>
        <translation>Image draped on the terrain</translation>
    </message>
    <message>
        <source>Images (*.tif *.tiff *.png *.jpg *.jpeg)</source>
        <translation>Images (*.tif *.tiff *.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Stream from disk (for cities larger than memory)</source>
        <translation>Stream from disk (for cities larger than memory)</translation>
    </message>
    <message>
        <source>Georeferenced files are placed by their IfcMapConversion or site.</source>
        <translation>Georeferenced files are placed by their IfcMapConversion or site.</translation>
    </message>
    <message>
        <source>Place the model by hand (overrides the file)</source>
        <translation>Place the model by hand (overrides the file)</translation>
    </message>
    <message>
        <source> °</source>
        <translation> °</translation>
    </message>
    <message>
        <source>Degrees anticlockwise from map east to model x</source>
        <translation>Degrees anticlockwise from map east to model x</translation>
    </message>
    <message>
        <source>EPSG code, e.g. EPSG:4547 (empty: from the file)</source>
        <translation>EPSG code, e.g. EPSG:4547 (empty: from the file)</translation>
    </message>
    <message>
        <source>Origin easting (x)</source>
        <translation>Origin easting (x)</translation>
    </message>
    <message>
        <source>Origin northing (y)</source>
        <translation>Origin northing (y)</translation>
    </message>
    <message>
        <source>Origin height (z)</source>
        <translation>Origin height (z)</translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation>Rotation</translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation>Coordinate system</translation>
    </message>
    <message>
        <source>(as in the file, else the project CRS)</source>
        <translation>(as in the file, else the project CRS)</translation>
    </message>
    <message>
        <source>CRS of the coordinates (EPSG:4547...) when the file names none</source>
        <translation>CRS of the coordinates (EPSG:4547...) when the file names none</translation>
    </message>
</context>
<context>
    <name>ParameterForm</name>
    <message>
        <source>(none)</source>
        <extracomment>a value in the form was edited (by the user or set_value)</extracomment>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Pick on map</source>
        <translation>Pick on map</translation>
    </message>
    <message>
        <source>Click the corners in the 3D view, then release this button</source>
        <translation>Click the corners in the 3D view, then release this button</translation>
    </message>
    <message>
        <source>Click a point in the 3D view</source>
        <translation>Click a point in the 3D view</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Operator PIN</source>
        <extracomment>key combinations that quit, close or leave an application somewhere</extracomment>
        <translation>Operator PIN</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>PluginHost</name>
    <message>
        <source>Plugins</source>
        <extracomment>menu names in manifests (English titles, API 1.0) and the shell's menu ids</extracomment>
        <translation>Plugins</translation>
    </message>
    <message>
        <source>&amp;Plugins…</source>
        <translation>&amp;Plugins…</translation>
    </message>
    <message>
        <source>&amp;Algorithms</source>
        <translation>&amp;Algorithms</translation>
    </message>
    <message>
        <source>(no algorithms)</source>
        <translation>(no algorithms)</translation>
    </message>
    <message>
        <source>Plugin {0}: {1}</source>
        <translation>Plugin {0}: {1}</translation>
    </message>
    <message>
        <source>Plugin &amp;styles</source>
        <translation>Plugin &amp;styles</translation>
    </message>
    <message>
        <source>Select a layer first.</source>
        <translation>Select a layer first.</translation>
    </message>
</context>
<context>
    <name>PluginManagerDialog</name>
    <message>
        <source>Plugins</source>
        <translation>Plugins</translation>
    </message>
    <message>
        <source>Tick a plugin to enable it; changes apply at once.</source>
        <translation>Tick a plugin to enable it; changes apply at once.</translation>
    </message>
    <message>
        <source>Plugin</source>
        <translation>Plugin</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Author</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Problems:</source>
        <translation>Problems:</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>enabled</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>disabled</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>refused</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>built-in</source>
        <translation>built-in</translation>
    </message>
    <message>
        <source>user folder</source>
        <translation>user folder</translation>
    </message>
    <message>
        <source>installed package</source>
        <translation>installed package</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>folder</translation>
    </message>
</context>
<context>
    <name>PointCloud</name>
    <message>
        <source>RGB colours</source>
        <translation>RGB colours</translation>
    </message>
    <message>
        <source>Intensity</source>
        <translation>Intensity</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>Classification</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>Height</translation>
    </message>
    <message>
        <source>Never classified</source>
        <translation>Never classified</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <source>Ground</source>
        <translation>Ground</translation>
    </message>
    <message>
        <source>Low vegetation</source>
        <translation>Low vegetation</translation>
    </message>
    <message>
        <source>Medium vegetation</source>
        <translation>Medium vegetation</translation>
    </message>
    <message>
        <source>High vegetation</source>
        <translation>High vegetation</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>Building</translation>
    </message>
    <message>
        <source>Low point (noise)</source>
        <translation>Low point (noise)</translation>
    </message>
    <message>
        <source>Model key point</source>
        <translation>Model key point</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>Water</translation>
    </message>
    <message>
        <source>Rail</source>
        <translation>Rail</translation>
    </message>
    <message>
        <source>Road surface</source>
        <translation>Road surface</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>Overlap</translation>
    </message>
    <message>
        <source>Wire guard (shield)</source>
        <translation>Wire guard (shield)</translation>
    </message>
    <message>
        <source>Wire conductor (phase)</source>
        <translation>Wire conductor (phase)</translation>
    </message>
    <message>
        <source>Transmission tower</source>
        <translation>Transmission tower</translation>
    </message>
    <message>
        <source>Wire-structure connector</source>
        <translation>Wire-structure connector</translation>
    </message>
    <message>
        <source>Bridge deck</source>
        <translation>Bridge deck</translation>
    </message>
    <message>
        <source>High noise</source>
        <translation>High noise</translation>
    </message>
</context>
<context>
    <name>PoleDock</name>
    <message>
        <source>Plan smart poles</source>
        <extracomment>form values a scenario keeps (layers are kept by name)</extracomment>
        <translation>Plan smart poles</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>Save scenario</source>
        <translation>Save scenario</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Load</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Figure</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>Equipment</translation>
    </message>
    <message>
        <source>Demand</source>
        <translation>Demand</translation>
    </message>
    <message>
        <source>Covered</source>
        <translation>Covered</translation>
    </message>
    <message>
        <source>Poles</source>
        <translation>Poles</translation>
    </message>
    <message>
        <source>Scenario {0}</source>
        <translation>Scenario {0}</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>Planning…</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Existing poles merged (reused in place)</source>
        <translation>Existing poles merged (reused in place)</translation>
    </message>
    <message>
        <source>Proven optimal: {0} smart poles.</source>
        <translation>Proven optimal: {0} smart poles.</translation>
    </message>
    <message>
        <source>Best plan within the time limit: gap {0:.1%}.</source>
        <translation>Best plan within the time limit: gap {0:.1%}.</translation>
    </message>
    <message>
        <source>PDF not written: {0}</source>
        <translation>PDF not written: {0}</translation>
    </message>
    <message>
        <source>PDF written: {0}</source>
        <translation>PDF written: {0}</translation>
    </message>
    <message>
        <source>New poles</source>
        <translation>New poles</translation>
    </message>
    <message>
        <source>Existing poles merged</source>
        <translation>Existing poles merged</translation>
    </message>
    <message>
        <source>Existing poles kept</source>
        <translation>Existing poles kept</translation>
    </message>
    <message>
        <source>Existing poles removed</source>
        <translation>Existing poles removed</translation>
    </message>
    <message>
        <source>Smart poles</source>
        <translation>Smart poles</translation>
    </message>
    <message>
        <source>Total cost (CNY)</source>
        <translation>Total cost (CNY)</translation>
    </message>
    <message>
        <source>Total power (kW)</source>
        <translation>Total power (kW)</translation>
    </message>
    <message>
        <source>Proven optimal</source>
        <translation>Proven optimal</translation>
    </message>
    <message>
        <source>Gap</source>
        <translation>Gap</translation>
    </message>
    <message>
        <source>Solve time (s)</source>
        <translation>Solve time (s)</translation>
    </message>
    <message>
        <source>5G demand above the RSRP threshold</source>
        <translation>5G demand above the RSRP threshold</translation>
    </message>
    <message>
        <source>Median RSRP (dBm)</source>
        <translation>Median RSRP (dBm)</translation>
    </message>
    <message>
        <source>Median SINR (dB)</source>
        <translation>Median SINR (dB)</translation>
    </message>
    <message>
        <source>SINR 5th percentile (dB)</source>
        <translation>SINR 5th percentile (dB)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>ProjectController</name>
    <message>
        <source>&amp;New Project</source>
        <extracomment>bump when docks are added, removed or renamed: older saved layouts are then ignored</extracomment>
        <translation>&amp;New Project</translation>
    </message>
    <message>
        <source>Open &amp;Project…</source>
        <translation>Open &amp;Project…</translation>
    </message>
    <message>
        <source>&amp;Save Project</source>
        <translation>&amp;Save Project</translation>
    </message>
    <message>
        <source>Save Project &amp;As…</source>
        <translation>Save Project &amp;As…</translation>
    </message>
    <message>
        <source>&amp;Locate Missing Data…</source>
        <translation>&amp;Locate Missing Data…</translation>
    </message>
    <message>
        <source>Recent Projec&amp;ts</source>
        <translation>Recent Projec&amp;ts</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Untitled</translation>
    </message>
    <message>
        <source>{0}[*] — cimviewer</source>
        <translation>{0}[*] — cimviewer</translation>
    </message>
    <message>
        <source>The saved window layout could not be used: using the default</source>
        <translation>The saved window layout could not be used: using the default</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>The project “{0}” has unsaved changes. Save them?</source>
        <translation>The project “{0}” has unsaved changes. Save them?</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>Save Project As</translation>
    </message>
    <message>
        <source>Could not save the project</source>
        <translation>Could not save the project</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>Saved {0}</translation>
    </message>
    <message>
        <source>cimviewer projects (*{0});;All files (*)</source>
        <translation>cimviewer projects (*{0});;All files (*)</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Open Project</translation>
    </message>
    <message>
        <source>Opening project %s</source>
        <translation>Opening project %s</translation>
    </message>
    <message>
        <source>{0} table join(s) could not be applied, first {1}: {2}. They stay in the project; apply them again with Layer &gt; Join table….</source>
        <translation>{0} table join(s) could not be applied, first {1}: {2}. They stay in the project; apply them again with Layer &gt; Join table….</translation>
    </message>
    <message>
        <source>Missing data</source>
        <translation>Missing data</translation>
    </message>
    <message>
        <source>{0} layer(s) could not be found. Use File &gt; Locate Missing Data… to point to the folder that holds them.</source>
        <translation>{0} layer(s) could not be found. Use File &gt; Locate Missing Data… to point to the folder that holds them.</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>Opened {0}</translation>
    </message>
    <message>
        <source>Could not open the project</source>
        <translation>Could not open the project</translation>
    </message>
    <message>
        <source>Folder that holds the missing data</source>
        <translation>Folder that holds the missing data</translation>
    </message>
    <message>
        <source>Found {0} layer(s) in {1}; {2} still missing.</source>
        <translation>Found {0} layer(s) in {1}; {2} still missing.</translation>
    </message>
    <message>
        <source>Autosave failed: %s</source>
        <translation>Autosave failed: %s</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>Recover unsaved work</translation>
    </message>
    <message>
        <source>cimviewer did not close properly. Restore the unsaved changes to “{0}” (autosaved {1})?</source>
        <translation>cimviewer did not close properly. Restore the unsaved changes to “{0}” (autosaved {1})?</translation>
    </message>
</context>
<context>
    <name>QualityPanel</name>
    <message>
        <source>problem found by the reader</source>
        <extracomment>objects listed under a kind; the rest are counted in one more row places of one object shown in its tooltip occurrences copied at most (a kind keeps 10,000 places)</extracomment>
        <translation>problem found by the reader</translation>
    </message>
    <message>
        <source>ring with fewer than 3 distinct points: skipped</source>
        <translation>ring with fewer than 3 distinct points: skipped</translation>
    </message>
    <message>
        <source>repeated point: removed</source>
        <translation>repeated point: removed</translation>
    </message>
    <message>
        <source>ring not closed: closed</source>
        <translation>ring not closed: closed</translation>
    </message>
    <message>
        <source>polygon without area: skipped</source>
        <translation>polygon without area: skipped</translation>
    </message>
    <message>
        <source>polygon not planar (over 1 cm): drawn triangulated</source>
        <translation>polygon not planar (over 1 cm): drawn triangulated</translation>
    </message>
    <message>
        <source>impossible coordinates: object left out</source>
        <translation>impossible coordinates: object left out</translation>
    </message>
    <message>
        <source>far away from everything else: object left out</source>
        <translation>far away from everything else: object left out</translation>
    </message>
    <message>
        <source>unreadable line of the file: skipped</source>
        <translation>unreadable line of the file: skipped</translation>
    </message>
    <message>
        <source>self-intersecting footprint: repaired</source>
        <translation>self-intersecting footprint: repaired</translation>
    </message>
    <message>
        <source>hole outside its footprint: repaired</source>
        <translation>hole outside its footprint: repaired</translation>
    </message>
    <message>
        <source>solid with fewer than 4 faces: drawn as is</source>
        <translation>solid with fewer than 4 faces: drawn as is</translation>
    </message>
    <message>
        <source>solid without volume: drawn as is</source>
        <translation>solid without volume: drawn as is</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Where</translation>
    </message>
    <message>
        <source>Copy problem list</source>
        <translation>Copy problem list</translation>
    </message>
    <message>
        <source>{0} problems found in the city layers; click an object to go to it.</source>
        <translation>{0} problems found in the city layers; click an object to go to it.</translation>
    </message>
    <message>
        <source>No geometry problems found.</source>
        <translation>No geometry problems found.</translation>
    </message>
    <message>
        <source>… and {0} more</source>
        <translation>… and {0} more</translation>
    </message>
    <message>
        <source>… and {0} more objects</source>
        <translation>… and {0} more objects</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Layer</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Object</translation>
    </message>
</context>
<context>
    <name>RecentList</name>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Object id or attribute value, then Enter</source>
        <translation>Object id or attribute value, then Enter</translation>
    </message>
</context>
<context>
    <name>SensorController</name>
    <message>
        <source>Time</source>
        <extracomment>reconnect layers saved with a live connection when they are opened</extracomment>
        <translation>Time</translation>
    </message>
    <message>
        <source>Sensor chart</source>
        <translation>Sensor chart</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarms</translation>
    </message>
    <message>
        <source>&amp;Sensors</source>
        <translation>&amp;Sensors</translation>
    </message>
    <message>
        <source>Add sensor &amp;readings…</source>
        <translation>Add sensor &amp;readings…</translation>
    </message>
    <message>
        <source>&amp;Connect to live data…</source>
        <translation>&amp;Connect to live data…</translation>
    </message>
    <message>
        <source>&amp;Disconnect live data</source>
        <translation>&amp;Disconnect live data</translation>
    </message>
    <message>
        <source>Interpolated &amp;surface</source>
        <translation>Interpolated &amp;surface</translation>
    </message>
    <message>
        <source>Surface &amp;quantity</source>
        <translation>Surface &amp;quantity</translation>
    </message>
    <message>
        <source>Value &amp;labels</source>
        <translation>Value &amp;labels</translation>
    </message>
    <message>
        <source>(no sensor quantities)</source>
        <translation>(no sensor quantities)</translation>
    </message>
    <message>
        <source>Live connection of %s not resumed: %s</source>
        <translation>Live connection of %s not resumed: %s</translation>
    </message>
    <message>
        <source>Reconnecting %s to live data at %s</source>
        <translation>Reconnecting %s to live data at %s</translation>
    </message>
    <message>
        <source>%d new live sensor(s) placed on their pole or building, or where their messages say</source>
        <translation>%d new live sensor(s) placed on their pole or building, or where their messages say</translation>
    </message>
    <message>
        <source>%d new live sensor(s) have no position: no pole or building has their id and their messages give none</source>
        <translation>%d new live sensor(s) have no position: no pole or building has their id and their messages give none</translation>
    </message>
    <message>
        <source>Added %s: %d sensors</source>
        <translation>Added %s: %d sensors</translation>
    </message>
    <message>
        <source>%d sensor(s) of %s have no position: their ids are not in the positions file and name no pole or building</source>
        <translation>%d sensor(s) of %s have no position: their ids are not in the positions file and name no pole or building</translation>
    </message>
    <message>
        <source>Could not add the sensor readings</source>
        <translation>Could not add the sensor readings</translation>
    </message>
    <message>
        <source>Password not saved</source>
        <translation>Password not saved</translation>
    </message>
    <message>
        <source>Live sensors</source>
        <translation>Live sensors</translation>
    </message>
    <message>
        <source>Live sensors not connected: %s</source>
        <translation>Live sensors not connected: %s</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>connecting</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>connected</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>reconnecting</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>Live sensors: {0} {1}</source>
        <translation>Live sensors: {0} {1}</translation>
    </message>
</context>
<context>
    <name>StylePanel</name>
    <message>
        <source>Single colour</source>
        <translation>Single colour</translation>
    </message>
    <message>
        <source>Semantic surfaces</source>
        <translation>Semantic surfaces</translation>
    </message>
    <message>
        <source>Categories of an attribute</source>
        <translation>Categories of an attribute</translation>
    </message>
    <message>
        <source>Classes of a numeric attribute</source>
        <translation>Classes of a numeric attribute</translation>
    </message>
    <message>
        <source>Equal interval</source>
        <translation>Equal interval</translation>
    </message>
    <message>
        <source>Quantile</source>
        <translation>Quantile</translation>
    </message>
    <message>
        <source>Natural breaks (Jenks)</source>
        <translation>Natural breaks (Jenks)</translation>
    </message>
    <message>
        <source>Viridis (blue–yellow)</source>
        <translation>Viridis (blue–yellow)</translation>
    </message>
    <message>
        <source>Terrain</source>
        <translation>Terrain</translation>
    </message>
    <message>
        <source>Reds</source>
        <translation>Reds</translation>
    </message>
    <message>
        <source>Red–yellow–green</source>
        <translation>Red–yellow–green</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Colour by</source>
        <translation>Colour by</translation>
    </message>
    <message>
        <source>Attribute</source>
        <translation>Attribute</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Classes</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>Colour map</source>
        <translation>Colour map</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>Classes of the result</source>
        <translation>Classes of the result</translation>
    </message>
    <message>
        <source>Object type</source>
        <translation>Object type</translation>
    </message>
    <message>
        <source>Layer colour</source>
        <translation>Layer colour</translation>
    </message>
</context>
<context>
    <name>SunDialog</name>
    <message>
        <source>Sun and shadows</source>
        <extracomment>where a project without a CRS is taken to be (the demo city's region)</extracomment>
        <translation>Sun and shadows</translation>
    </message>
    <message>
        <source>The time above is read in this time zone</source>
        <translation>The time above is read in this time zone</translation>
    </message>
    <message>
        <source>Cast shadows</source>
        <translation>Cast shadows</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Time zone</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Latitude</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Longitude</translation>
    </message>
    <message>
        <source>Unknown time zone: {0}</source>
        <translation>Unknown time zone: {0}</translation>
    </message>
    <message>
        <source>Default light: no date set</source>
        <translation>Default light: no date set</translation>
    </message>
    <message>
        <source>Sun azimuth {0:.1f}°, elevation {1:.1f}°</source>
        <translation>Sun azimuth {0:.1f}°, elevation {1:.1f}°</translation>
    </message>
</context>
<context>
    <name>SunlightDock</name>
    <message>
        <source>Run</source>
        <translation>Run</translation>
    </message>
    <message>
        <source>Failing buildings</source>
        <translation>Failing buildings</translation>
    </message>
    <message>
        <source>Clear sunlight colours</source>
        <translation>Clear sunlight colours</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <source>Done: see the ground sunlight layer</source>
        <translation>Done: see the ground sunlight layer</translation>
    </message>
    <message>
        <source>below %1 h</source>
        <translation>below %1 h</translation>
    </message>
    <message>
        <source>%1 h or more</source>
        <translation>%1 h or more</translation>
    </message>
    <message>
        <source>%1 of the buildings pass; %2 fail</source>
        <translation>%1 of the buildings pass; %2 fail</translation>
    </message>
</context>
<context>
    <name>TimeSliderPanel</name>
    <message>
        <source>Play</source>
        <translation>Play</translation>
    </message>
    <message>
        <source>{0}×</source>
        <translation>{0}×</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>No time range</source>
        <translation>No time range</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
</context>
<context>
    <name>ViewWidget</name>
    <message>
        <source>Distance: {0:,.2f} m</source>
        <extracomment>distance factor per wheel notch toward the cursor the wheel stops this close to the surface under the cursor the eye stays at least this high above terrain and roofs a double-click flies to the point at this share of the distance 0..1 while large layers refine the view nearest-first (1.0: all it wants is built)</extracomment>
        <translation>Distance: {0:,.2f} m</translation>
    </message>
    <message>
        <source>Height difference: {0:,.2f} m</source>
        <translation>Height difference: {0:,.2f} m</translation>
    </message>
    <message>
        <source>Plan area: {0:,.1f} m²</source>
        <translation>Plan area: {0:,.1f} m²</translation>
    </message>
</context>
</TS>