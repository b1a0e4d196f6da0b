<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Contributions to the score (best sites)</source>
        <translation>各准则对得分的贡献（最优站点）</translation>
    </message>
    <message>
        <source>score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Rank range under weight changes (Monte Carlo)</source>
        <translation>权重变化下的排名范围（蒙特卡洛）</translation>
    </message>
    <message>
        <source>rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <source>Consistency ratio CR = {0:.3f} (lambda_max {1:.3f})</source>
        <translation>一致性比率 CR = {0:.3f}（最大特征值 {1:.3f}）</translation>
    </message>
    <message>
        <source>CR &gt;= 0.1: check the judgement {0} vs {1}; the others imply about {2}</source>
        <translation>CR ≥ 0.1：请检查 {0} 对 {1} 的判断；其余判断推得约为 {2}</translation>
    </message>
</context>
<context>
    <name>About</name>
    <message>
        <source>cimviewer — city information model viewer</source>
        <translation>cimviewer — 城市信息模型浏览器</translation>
    </message>
    <message>
        <source>Smart-pole planning on a 3D city.</source>
        <translation>在三维城市上规划多功能智慧杆。</translation>
    </message>
    <message>
        <source>About cimviewer</source>
        <translation>关于 cimviewer</translation>
    </message>
</context>
<context>
    <name>AddReadingsDialog</name>
    <message>
        <source>Add sensor readings</source>
        <translation>添加传感器读数</translation>
    </message>
    <message>
        <source>CSV or Parquet file</source>
        <translation>CSV 或 Parquet 文件</translation>
    </message>
    <message>
        <source>Readings</source>
        <translation>读数</translation>
    </message>
    <message>
        <source>Long: one reading per row</source>
        <translation>长格式：每行一条读数</translation>
    </message>
    <message>
        <source>Wide: one column per sensor</source>
        <translation>宽格式：每个传感器一列</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Time column</source>
        <translation>时间列</translation>
    </message>
    <message>
        <source>Sensor id column</source>
        <translation>传感器编号列</translation>
    </message>
    <message>
        <source>Value column</source>
        <translation>数值列</translation>
    </message>
    <message>
        <source>Unit column</source>
        <translation>单位列</translation>
    </message>
    <message>
        <source>Sensor columns</source>
        <translation>传感器列</translation>
    </message>
    <message>
        <source>For times written without an offset</source>
        <translation>用于未标明时区偏移的时间</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>optional: points with a sensor_id column; else ids name poles or buildings</source>
        <translation>可选：含 sensor_id 列的点数据；否则按编号对应灯杆或建筑</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Layer name</source>
        <translation>图层名称</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Sensor readings</source>
        <translation>传感器读数</translation>
    </message>
    <message>
        <source>Tables (*.csv *.parquet *.pq);;All files (*)</source>
        <translation>表格 (*.csv *.parquet *.pq);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Sensor positions</source>
        <translation>传感器位置</translation>
    </message>
    <message>
        <source>Point data (*.gpkg *.geojson *.json *.shp *.fgb);;All files (*)</source>
        <translation>点数据 (*.gpkg *.geojson *.json *.shp *.fgb);;所有文件 (*)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>传感器</translation>
    </message>
    <message>
        <source>Choose a readings file</source>
        <translation>请选择读数文件</translation>
    </message>
    <message>
        <source>Choose at least one sensor column</source>
        <translation>请至少选择一个传感器列</translation>
    </message>
    <message>
        <source>The positions file does not exist</source>
        <translation>位置文件不存在</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <source>Sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>监测量</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
</context>
<context>
    <name>AlgorithmDialog</name>
    <message>
        <source>Run the tasks on dask</source>
        <translation>在 dask 上运行任务</translation>
    </message>
    <message>
        <source>scheduler address (empty: local cluster)</source>
        <translation>调度器地址（留空：本地集群）</translation>
    </message>
    <message>
        <source>Dask scheduler</source>
        <translation>Dask 调度器</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>详细信息…</translation>
    </message>
    <message>
        <source>The full error report of the last failure</source>
        <translation>上次失败的完整错误报告</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>{0} did not stop within {1:g} s of Cancel; it was abandoned.</source>
        <translation>{0} 在取消后 {1:g} 秒内未停止，已被放弃。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>{0} failed: {1}</source>
        <translation>{0} 失败：{1}</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>%s finished</source>
        <translation>%s 已完成</translation>
    </message>
</context>
<context>
    <name>BookmarksPanel</name>
    <message>
        <source>Add view</source>
        <translation>添加视图</translation>
    </message>
    <message>
        <source>Fly to</source>
        <translation>飞往</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Heading {0:.0f}°, pitch {1:.0f}°</source>
        <translation>航向 {0:.0f}°，俯仰 {1:.0f}°</translation>
    </message>
    <message>
        <source>View {0}</source>
        <translation>视图 {0}</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Click a sensor on the map to chart it; Ctrl+click adds sensors to compare.</source>
        <translation>点击地图上的传感器查看其曲线；按住 Ctrl 点击可添加多个传感器进行对比。</translation>
    </message>
</context>
<context>
    <name>ControlBar</name>
    <message>
        <source>Home view</source>
        <extracomment>px; touch targets of at least 64 px a language is offered by its own name (an endonym), which is never translated</extracomment>
        <translation>首页</translation>
    </message>
    <message>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <source>Smart poles</source>
        <translation>智慧杆</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>传感器</translation>
    </message>
    <message>
        <source>Substations</source>
        <translation>变电站</translation>
    </message>
    <message>
        <source>Fibre nodes</source>
        <translation>光纤节点</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <source>Terrain</source>
        <translation>地形</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message>
        <source>Returning to the start in {0} s</source>
        <translation>{0} 秒后返回起始画面</translation>
    </message>
    <message>
        <source>Stay here</source>
        <translation>继续浏览</translation>
    </message>
</context>
<context>
    <name>CoverageDock</name>
    <message>
        <source>Sites</source>
        <extracomment>numeric attributes written on the buildings' objects after a run parameters of ``Coverage`` the dock fills itself (from the sites table) or leaves out</extracomment>
        <translation>站点</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Link budget</source>
        <translation>链路预算</translation>
    </message>
    <message>
        <source>Fill from layer</source>
        <translation>从图层填充</translation>
    </message>
    <message>
        <source>Point layer</source>
        <translation>点图层</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>Place site</source>
        <translation>放置站点</translation>
    </message>
    <message>
        <source>The next click in the 3D view adds a site there.</source>
        <translation>在三维视图中的下一次点击将在该处添加站点。</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Receivers</source>
        <translation>接收点</translation>
    </message>
    <message>
        <source>Run coverage</source>
        <translation>计算覆盖</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>RSRP classes</source>
        <translation>RSRP 分级</translation>
    </message>
    <message>
        <source>≥ {0} dBm</source>
        <translation>≥ {0} dBm</translation>
    </message>
    <message>
        <source>{0} to {1} dBm</source>
        <translation>{0} 至 {1} dBm</translation>
    </message>
    <message>
        <source>&lt; {0} dBm</source>
        <translation>&lt; {0} dBm</translation>
    </message>
    <message>
        <source>RSRP (dBm)</source>
        <translation>RSRP（dBm）</translation>
    </message>
    <message>
        <source>SINR (dB)</source>
        <translation>SINR（dB）</translation>
    </message>
    <message>
        <source>Distribution of</source>
        <translation>分布：</translation>
    </message>
    <message>
        <source>CDF</source>
        <translation>累积分布</translation>
    </message>
    <message>
        <source>Clear results</source>
        <translation>清除结果</translation>
    </message>
    <message>
        <source>Pick transmitter and receiver</source>
        <translation>拾取发射端和接收端</translation>
    </message>
    <message>
        <source>Click the transmitter, then the receiver in the 3D view.</source>
        <translation>在三维视图中先点击发射端，再点击接收端。</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>频率</translation>
    </message>
    <message>
        <source>Transmitter height</source>
        <translation>发射端高度</translation>
    </message>
    <message>
        <source>Receiver height</source>
        <translation>接收端高度</translation>
    </message>
    <message>
        <source>EIRP</source>
        <translation>EIRP</translation>
    </message>
    <message>
        <source>No link yet.</source>
        <translation>尚无链路。</translation>
    </message>
    <message>
        <source>Distance (m)</source>
        <translation>距离（米）</translation>
    </message>
    <message>
        <source>Height (m)</source>
        <translation>高度（米）</translation>
    </message>
    <message>
        <source>Path loss (dB)</source>
        <translation>路径损耗（dB）</translation>
    </message>
    <message>
        <source>Received power (dBm)</source>
        <translation>接收功率（dBm）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
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
        <translation>安装（地面/屋顶）</translation>
    </message>
    <message>
        <source>Tx power (dBm)</source>
        <translation>发射功率（dBm）</translation>
    </message>
    <message>
        <source>Frequency (GHz)</source>
        <translation>频率（GHz）</translation>
    </message>
    <message>
        <source>Bandwidth (MHz)</source>
        <translation>带宽（MHz）</translation>
    </message>
    <message>
        <source>Antenna (omni/sector)</source>
        <translation>天线（全向/扇区）</translation>
    </message>
    <message>
        <source>Azimuth (°)</source>
        <translation>方位角（°）</translation>
    </message>
    <message>
        <source>Downtilt (°)</source>
        <translation>下倾角（°）</translation>
    </message>
    <message>
        <source>Choose a point layer first.</source>
        <translation>请先选择点图层。</translation>
    </message>
    <message>
        <source>The layer has no points over the buildings and the terrain.</source>
        <translation>该图层在建筑与地形范围内没有点。</translation>
    </message>
    <message>
        <source>{0} sites from {1}.</source>
        <translation>从 {1} 取得 {0} 个站点。</translation>
    </message>
    <message>
        <source>Click in the 3D view to place a site.</source>
        <translation>在三维视图中点击以放置站点。</translation>
    </message>
    <message>
        <source>Click the transmitter in the 3D view.</source>
        <translation>在三维视图中点击发射端。</translation>
    </message>
    <message>
        <source>Click the receiver in the 3D view.</source>
        <translation>在三维视图中点击接收端。</translation>
    </message>
    <message>
        <source>Site placed at {0:.1f}, {1:.1f} ({2}).</source>
        <translation>站点已放置于 {0:.1f}, {1:.1f}（{2}）。</translation>
    </message>
    <message>
        <source>roof</source>
        <translation>屋顶</translation>
    </message>
    <message>
        <source>ground</source>
        <translation>地面</translation>
    </message>
    <message>
        <source>5G sites</source>
        <translation>5G 站点</translation>
    </message>
    <message>
        <source>Add sites first (from a layer or by clicking).</source>
        <translation>请先添加站点（从图层或点击）。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Running coverage…</source>
        <translation>正在计算覆盖…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Coverage failed: {0}</source>
        <translation>覆盖计算失败：{0}</translation>
    </message>
    <message>
        <source>Done: {0:.1f} % of the area above the threshold.</source>
        <translation>完成：{0:.1f}% 的区域高于阈值。</translation>
    </message>
    <message>
        <source>RSRP coverage</source>
        <translation>RSRP 覆盖</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Receivers in reach</source>
        <translation>覆盖半径内接收点</translation>
    </message>
    <message>
        <source>Line of sight</source>
        <translation>视距</translation>
    </message>
    <message>
        <source>Area above threshold</source>
        <translation>高于阈值的面积</translation>
    </message>
    <message>
        <source>Area served</source>
        <translation>服务面积占比</translation>
    </message>
    <message>
        <source>Served area (m²)</source>
        <translation>服务面积（m²）</translation>
    </message>
    <message>
        <source>Buildings served</source>
        <translation>服务建筑数</translation>
    </message>
    <message>
        <source>Building share served</source>
        <translation>服务建筑占比</translation>
    </message>
    <message>
        <source>Area (m²)</source>
        <translation>面积（m²）</translation>
    </message>
    <message>
        <source>Area with good SINR</source>
        <translation>SINR 良好的面积</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <source>Building share covered</source>
        <translation>覆盖建筑占比</translation>
    </message>
    <message>
        <source>Median RSRP (dBm)</source>
        <translation>RSRP 中位数（dBm）</translation>
    </message>
    <message>
        <source>Median SINR (dB)</source>
        <translation>SINR 中位数（dB）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>No signal</source>
        <translation>无信号</translation>
    </message>
    <message>
        <source>LOS</source>
        <translation>视距</translation>
    </message>
    <message>
        <source>NLOS</source>
        <translation>非视距</translation>
    </message>
    <message>
        <source>Distance {0:.1f} m, {1}. {2}: path loss {3:.1f} dB, received power {4:.1f} dBm.</source>
        <translation>距离 {0:.1f} 米，{1}。{2}：路径损耗 {3:.1f} dB，接收功率 {4:.1f} dBm。</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>Terrain</source>
        <translation>地形</translation>
    </message>
    <message>
        <source>Buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <source>Poles</source>
        <translation>杆件</translation>
    </message>
    <message>
        <source>Substations</source>
        <translation>变电站</translation>
    </message>
    <message>
        <source>Fibre nodes</source>
        <translation>光纤节点</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>传感器</translation>
    </message>
</context>
<context>
    <name>ExportImage</name>
    <message>
        <source>Export image</source>
        <extracomment>the width the size field offers (4K), at the view's shape</extracomment>
        <translation>导出图片</translation>
    </message>
    <message>
        <source>Size in pixels (width x height):</source>
        <translation>像素尺寸（宽 x 高）：</translation>
    </message>
    <message>
        <source>The size must look like 3840x2400 (16 to 16384).</source>
        <translation>尺寸格式应为 3840x2400（16 至 16384）。</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Drawing the image…</source>
        <translation>正在绘制图片…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export cancelled</source>
        <translation>已取消导出</translation>
    </message>
    <message>
        <source>Saved %s (%d x %d)</source>
        <translation>已保存 %s (%d x %d)</translation>
    </message>
</context>
<context>
    <name>InfoCard</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Object id</source>
        <translation>对象编号</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>监测量</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Mounted on</source>
        <translation>安装于</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Attribute</source>
        <extracomment>nesting shown as rows down to this depth; deeper values are shown as JSON</extracomment>
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
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Intensity</source>
        <translation>强度</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>no reading yet</source>
        <translation>尚无读数</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>监测量</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Warning at</source>
        <translation>预警阈值</translation>
    </message>
    <message>
        <source>Alarm at</source>
        <translation>告警阈值</translation>
    </message>
    <message>
        <source>Attached to</source>
        <translation>安装于</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
</context>
<context>
    <name>JoinController</name>
    <message>
        <source>&amp;Join table…</source>
        <translation>连接外部表(&amp;J)…</translation>
    </message>
    <message>
        <source>Join a CSV, GeoPackage or PostgreSQL table to the objects of the current city layer by an id column</source>
        <translation>按编号列将 CSV、GeoPackage 或 PostgreSQL 表连接到当前城市图层的对象</translation>
    </message>
    <message>
        <source>&amp;Layer</source>
        <translation>图层(&amp;L)</translation>
    </message>
    <message>
        <source>Choose a city model layer to join a table to.</source>
        <translation>请选择要连接外部表的城市模型图层。</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>Join table to {0}</source>
        <translation>将外部表连接到 {0}</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <source>GeoPackage table</source>
        <translation>GeoPackage 表</translation>
    </message>
    <message>
        <source>PostgreSQL table</source>
        <translation>PostgreSQL 表</translation>
    </message>
    <message>
        <source>File to join</source>
        <translation>要连接的文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>from the system keyring or PGPASSWORD if saved</source>
        <translation>如已保存，则取自系统密钥环或 PGPASSWORD</translation>
    </message>
    <message>
        <source>Remember the password in the system keyring</source>
        <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>List tables</source>
        <translation>列出表</translation>
    </message>
    <message>
        <source>Read table</source>
        <translation>读取表</translation>
    </message>
    <message>
        <source>Object id</source>
        <translation>对象编号</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Read a table to see how many objects it matches.</source>
        <translation>读取表后可查看能匹配多少对象。</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>数据源</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Table key column</source>
        <translation>表的关键字列</translation>
    </message>
    <message>
        <source>Object key</source>
        <translation>对象关键字</translation>
    </message>
    <message>
        <source>Field name prefix</source>
        <translation>字段名前缀</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Remove join</source>
        <translation>移除连接</translation>
    </message>
    <message>
        <source>Apply again</source>
        <translation>重新应用</translation>
    </message>
    <message>
        <source>Read the table of the selected join again (with the password above)</source>
        <translation>重新读取所选连接的表（使用上方的密码）</translation>
    </message>
    <message>
        <source>Joins of this layer</source>
        <translation>此图层的表连接</translation>
    </message>
    <message>
        <source>Apply join</source>
        <translation>应用连接</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <source>Tables (*.csv *.txt *.tsv)</source>
        <translation>表格 (*.csv *.txt *.tsv)</translation>
    </message>
    <message>
        <source>Table to join</source>
        <translation>要连接的表</translation>
    </message>
    <message>
        <source>{0} tables</source>
        <translation>{0} 个表</translation>
    </message>
    <message>
        <source>{0} rows, {1} columns</source>
        <translation>{0} 行，{1} 列</translation>
    </message>
    <message>
        <source> (read as {0})</source>
        <translation>（按 {0} 编码读取）</translation>
    </message>
    <message>
        <source>{0} objects matched; {1} table rows without an object; {2} duplicate keys (the first row is used); {3} objects without a row</source>
        <translation>匹配 {0} 个对象；{1} 行表记录没有对应对象；{2} 个重复关键字（使用第一行）；{3} 个对象没有对应记录</translation>
    </message>
    <message>
        <source>Joined {0} fields to {1} objects</source>
        <translation>已将 {0} 个字段连接到 {1} 个对象</translation>
    </message>
    <message>
        <source>{0}: {1} fields, {2} objects</source>
        <translation>{0}：{1} 个字段，{2} 个对象</translation>
    </message>
    <message>
        <source>{0}: not applied ({1})</source>
        <translation>{0}：未应用（{1}）</translation>
    </message>
    <message>
        <source>Removed the join of {0}</source>
        <translation>已移除 {0} 的连接</translation>
    </message>
    <message>
        <source>Applied again: {0}</source>
        <translation>已重新应用：{0}</translation>
    </message>
</context>
<context>
    <name>KioskEditor</name>
    <message>
        <source>Kiosk settings</source>
        <translation>展示模式设置</translation>
    </message>
    <message>
        <source>Story: the bookmarks the tour visits, in order</source>
        <translation>讲解路线：巡游依次经过的书签</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>English caption</source>
        <translation>英文说明</translation>
    </message>
    <message>
        <source>Chinese caption</source>
        <translation>中文说明</translation>
    </message>
    <message>
        <source>Idle time before the countdown (s)</source>
        <translation>无操作多久后开始倒计时（秒）</translation>
    </message>
    <message>
        <source>Countdown (s)</source>
        <translation>倒计时（秒）</translation>
    </message>
    <message>
        <source>Tour starts after launch (s)</source>
        <translation>启动后多久开始巡游（秒）</translation>
    </message>
    <message>
        <source>Flight between stops (s)</source>
        <translation>站点间飞行时间（秒）</translation>
    </message>
    <message>
        <source>Time at each stop (s)</source>
        <translation>每站停留时间（秒）</translation>
    </message>
    <message>
        <source>Orbit speed (degrees/s)</source>
        <translation>环绕速度（度/秒）</translation>
    </message>
    <message>
        <source>Start language</source>
        <translation>启动语言</translation>
    </message>
    <message>
        <source>Monitor (0 = first)</source>
        <translation>显示器（0 = 第一个）</translation>
    </message>
    <message>
        <source>Sensor value labels</source>
        <translation>传感器数值标签</translation>
    </message>
    <message>
        <source>as saved with the layer</source>
        <translation>沿用图层保存的设置</translation>
    </message>
    <message>
        <source>Sensor surface quantity</source>
        <translation>传感器插值面的指标</translation>
    </message>
    <message>
        <source>Layers shown</source>
        <translation>显示的图层</translation>
    </message>
    <message>
        <source>Layer buttons for visitors</source>
        <translation>供观众切换的图层按钮</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>不变</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>New operator PIN</source>
        <translation>新的管理员 PIN 码</translation>
    </message>
    <message>
        <source>Repeat the PIN</source>
        <translation>再次输入 PIN 码</translation>
    </message>
    <message>
        <source>No PIN (the key chord alone leaves)</source>
        <translation>不设 PIN 码（仅凭组合键即可退出）</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>两次输入的 PIN 码不一致。</translation>
    </message>
    <message>
        <source>The PIN must be at least 4 digits.</source>
        <translation>PIN 码至少需要 4 位数字。</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>cimviewer kiosk</source>
        <extracomment>a frame at least this often, so the heartbeat shows a live app replayed readings: 15 minutes of readings per second the caption fades out this long after the camera arrives set by ``app.open_kiosk`` when supervised</extracomment>
        <translation>cimviewer 展示模式</translation>
    </message>
    <message>
        <source>Wrong PIN. Operator PIN</source>
        <extracomment>the stop whose caption shows</extracomment>
        <translation>PIN 码错误。请输入管理员 PIN 码</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <source>Layer</source>
        <extracomment>the user chose another appearance theme for a city layer: (layer, theme) objects to select and fly to: [(layer uid, object index), ...]</extracomment>
        <translation>图层</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Zoom to layer</source>
        <extracomment>actions of the context menu, each with the test of the layers it applies to</extracomment>
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
        <source>Textures and materials shown (appearance themes of the file)</source>
        <translation>显示的纹理和材质（文件中的外观主题）</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Colour points by</source>
        <translation>点着色方式</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Point size</source>
        <translation>点大小</translation>
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
        <source>Value raster</source>
        <translation>数值栅格</translation>
    </message>
    <message>
        <source>Vector</source>
        <translation>矢量</translation>
    </message>
    <message>
        <source>Sensors</source>
        <translation>传感器</translation>
    </message>
    <message>
        <source>Point cloud</source>
        <translation>点云</translation>
    </message>
    <message>
        <source>Missing data</source>
        <translation>数据缺失</translation>
    </message>
    <message>
        <source>Highest available</source>
        <translation>最高可用</translation>
    </message>
    <message>
        <source>LoD {0}</source>
        <translation>LoD {0}</translation>
    </message>
    <message>
        <source>Storeys</source>
        <translation>楼层</translation>
    </message>
    <message>
        <source>Show all storeys</source>
        <translation>显示全部楼层</translation>
    </message>
    <message>
        <source>Select storey</source>
        <translation>选择楼层</translation>
    </message>
    <message>
        <source>Show spaces</source>
        <translation>显示空间</translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message>
        <source>object type</source>
        <translation>对象类型</translation>
    </message>
    <message>
        <source>… {0} more</source>
        <translation>……另有 {0} 类</translation>
    </message>
</context>
<context>
    <name>LegendPanel</name>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>No legend: the current layer is not coloured by an attribute.</source>
        <translation>无图例：当前图层未按属性着色。</translation>
    </message>
    <message>
        <source>{0}: coloured by {1}</source>
        <translation>{0}：按 {1} 着色</translation>
    </message>
</context>
<context>
    <name>LiveDialog</name>
    <message>
        <source>Connect to live sensors</source>
        <translation>连接实时传感器</translation>
    </message>
    <message>
        <source>from the system keyring if saved</source>
        <translation>如已保存，则从系统密钥环读取</translation>
    </message>
    <message>
        <source>Remember the password in the system keyring</source>
        <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
        <source>Use TLS</source>
        <translation>使用 TLS</translation>
    </message>
    <message>
        <source>system certificates</source>
        <translation>系统证书</translation>
    </message>
    <message>
        <source>JSON {id, value, time, unit}</source>
        <translation>JSON {id, value, time, unit}</translation>
    </message>
    <message>
        <source>OGC SensorThings observation</source>
        <translation>OGC SensorThings 观测</translation>
    </message>
    <message>
        <source>Broker</source>
        <translation>代理服务器</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>消息格式</translation>
    </message>
    <message>
        <source>Id topic segment</source>
        <translation>ID 所在主题段</translation>
    </message>
    <message>
        <source>Older readings are dropped: memory stays bounded</source>
        <translation>更早的读数会被丢弃，内存占用有上限</translation>
    </message>
    <message>
        <source>Readings kept per sensor</source>
        <translation>每个传感器保留的读数</translation>
    </message>
    <message>
        <source>No such file: {0}</source>
        <translation>文件不存在：{0}</translation>
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
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Data quality</source>
        <translation>数据质量</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Detail %p%</source>
        <extracomment>how much of the detail the view wants is built (large and streamed layers)</extracomment>
        <translation>细节 %p%</translation>
    </message>
    <message>
        <source>Nearest buildings are loaded in detail first; far ones show as blocks.</source>
        <translation>先加载最近建筑的细节，远处建筑以体块显示。</translation>
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
        <source>Open &amp;folder of tiles…</source>
        <translation>打开瓦片文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export image…</source>
        <translation>导出图片(&amp;E)…</translation>
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
        <source>Home</source>
        <translation>全景</translation>
    </message>
    <message>
        <source>Show the whole project (Home)</source>
        <translation>显示整个项目（Home）</translation>
    </message>
    <message>
        <source>&amp;Zoom to selection</source>
        <translation>缩放到所选对象(&amp;Z)</translation>
    </message>
    <message>
        <source>Fly to the selected objects (Ctrl+J)</source>
        <translation>飞到所选对象（Ctrl+J）</translation>
    </message>
    <message>
        <source>Searc&amp;h…</source>
        <translation>搜索(&amp;H)…</translation>
    </message>
    <message>
        <source>Find objects by id or attribute value</source>
        <translation>按编号或属性值查找对象</translation>
    </message>
    <message>
        <source>&amp;Map view (2D, top-down)</source>
        <translation>地图视图（二维俯视）(&amp;M)</translation>
    </message>
    <message>
        <source>2D map</source>
        <translation>二维地图</translation>
    </message>
    <message>
        <source>&amp;Sun and shadows…</source>
        <translation>日照与阴影(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Measure &amp;distance</source>
        <translation>测量距离(&amp;D)</translation>
    </message>
    <message>
        <source>Measure &amp;height</source>
        <translation>测量高度(&amp;H)</translation>
    </message>
    <message>
        <source>Measure &amp;area</source>
        <translation>测量面积(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Kiosk settings…</source>
        <translation>展示模式设置(&amp;K)…</translation>
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
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Nothing selected to zoom to.</source>
        <translation>没有可缩放到的所选对象。</translation>
    </message>
    <message>
        <source>The saved window size could not be used</source>
        <translation>无法使用保存的窗口大小</translation>
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
        <source>Click points in the view; Esc ends.</source>
        <translation>在视图中点击取点；按 Esc 结束。</translation>
    </message>
    <message>
        <source> (segments: {0} m)</source>
        <translation>（各段：{0} 米）</translation>
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
        <source>Open folder of tiles</source>
        <translation>打开瓦片文件夹</translation>
    </message>
    <message>
        <source>Opening %s</source>
        <translation>正在打开 %s</translation>
    </message>
    <message>
        <source>Opened %s</source>
        <translation>已打开 %s</translation>
    </message>
    <message>
        <source>Opened {0}: {1} geometry problems, see Data quality</source>
        <translation>已打开 {0}：{1} 处几何问题，见“数据质量”</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>已打开 {0}</translation>
    </message>
    <message>
        <source>Could not open file</source>
        <translation>无法打开文件</translation>
    </message>
</context>
<context>
    <name>OpenOptionsDialog</name>
    <message>
        <source>Open {0}</source>
        <translation>打开 {0}</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Extrude polygons into LoD1 buildings</source>
        <translation>将多边形拉伸为 LoD1 建筑</translation>
    </message>
    <message>
        <source> m</source>
        <translation> 米</translation>
    </message>
    <message>
        <source>Drape on the terrain</source>
        <translation>贴合地形</translation>
    </message>
    <message>
        <source>Height field</source>
        <translation>高度字段</translation>
    </message>
    <message>
        <source>Storeys field</source>
        <translation>层数字段</translation>
    </message>
    <message>
        <source>Storey height</source>
        <translation>层高</translation>
    </message>
    <message>
        <source>Height where unknown</source>
        <translation>缺省高度</translation>
    </message>
    <message>
        <source>Above the terrain by</source>
        <translation>高出地形</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Image draped on the terrain</source>
        <translation>贴合到地形上的影像</translation>
    </message>
    <message>
        <source>Images (*.tif *.tiff *.png *.jpg *.jpeg)</source>
        <translation>图像 (*.tif *.tiff *.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Stream from disk (for cities larger than memory)</source>
        <translation>从磁盘流式读取（用于超过内存的城市）</translation>
    </message>
    <message>
        <source>Georeferenced files are placed by their IfcMapConversion or site.</source>
        <translation>带地理参照的文件按其 IfcMapConversion 或场地经纬度定位。</translation>
    </message>
    <message>
        <source>Place the model by hand (overrides the file)</source>
        <translation>手动定位模型（覆盖文件中的定位）</translation>
    </message>
    <message>
        <source> °</source>
        <translation> °</translation>
    </message>
    <message>
        <source>Degrees anticlockwise from map east to model x</source>
        <translation>从地图正东逆时针转到模型 x 轴的角度</translation>
    </message>
    <message>
        <source>EPSG code, e.g. EPSG:4547 (empty: from the file)</source>
        <translation>EPSG 代码，如 EPSG:4547（留空：取自文件）</translation>
    </message>
    <message>
        <source>Origin easting (x)</source>
        <translation>原点东坐标 (x)</translation>
    </message>
    <message>
        <source>Origin northing (y)</source>
        <translation>原点北坐标 (y)</translation>
    </message>
    <message>
        <source>Origin height (z)</source>
        <translation>原点高程 (z)</translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation>旋转</translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>(as in the file, else the project CRS)</source>
        <translation>(按文件所述，否则用项目坐标系)</translation>
    </message>
    <message>
        <source>CRS of the coordinates (EPSG:4547...) when the file names none</source>
        <translation>文件未注明坐标系时坐标所用的坐标系 (EPSG:4547...)</translation>
    </message>
</context>
<context>
    <name>ParameterForm</name>
    <message>
        <source>(none)</source>
        <extracomment>a value in the form was edited (by the user or set_value)</extracomment>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Pick on map</source>
        <translation>在地图上拾取</translation>
    </message>
    <message>
        <source>Click the corners in the 3D view, then release this button</source>
        <translation>在三维视图中依次点击各个角点，完成后松开此按钮</translation>
    </message>
    <message>
        <source>Click a point in the 3D view</source>
        <translation>在三维视图中点击一个点</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Operator PIN</source>
        <extracomment>key combinations that quit, close or leave an application somewhere</extracomment>
        <translation>管理员 PIN 码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
</context>
<context>
    <name>PluginHost</name>
    <message>
        <source>Plugins</source>
        <extracomment>menu names in manifests (English titles, API 1.0) and the shell's menu ids</extracomment>
        <translation>插件</translation>
    </message>
    <message>
        <source>&amp;Plugins…</source>
        <translation>插件(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Algorithms</source>
        <translation>算法(&amp;A)</translation>
    </message>
    <message>
        <source>(no algorithms)</source>
        <translation>（无算法）</translation>
    </message>
    <message>
        <source>Plugin {0}: {1}</source>
        <translation>插件 {0}：{1}</translation>
    </message>
    <message>
        <source>Plugin &amp;styles</source>
        <translation>插件样式(&amp;S)</translation>
    </message>
    <message>
        <source>Select a layer first.</source>
        <translation>请先选择一个图层。</translation>
    </message>
</context>
<context>
    <name>PluginManagerDialog</name>
    <message>
        <source>Plugins</source>
        <translation>插件</translation>
    </message>
    <message>
        <source>Tick a plugin to enable it; changes apply at once.</source>
        <translation>勾选插件即可启用；更改立即生效。</translation>
    </message>
    <message>
        <source>Plugin</source>
        <translation>插件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Problems:</source>
        <translation>问题：</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>user folder</source>
        <translation>用户文件夹</translation>
    </message>
    <message>
        <source>installed package</source>
        <translation>已安装的包</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
</context>
<context>
    <name>PointCloud</name>
    <message>
        <source>RGB colours</source>
        <translation>RGB 颜色</translation>
    </message>
    <message>
        <source>Intensity</source>
        <translation>强度</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>Never classified</source>
        <translation>从未分类</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>未分配</translation>
    </message>
    <message>
        <source>Ground</source>
        <translation>地面</translation>
    </message>
    <message>
        <source>Low vegetation</source>
        <translation>低植被</translation>
    </message>
    <message>
        <source>Medium vegetation</source>
        <translation>中植被</translation>
    </message>
    <message>
        <source>High vegetation</source>
        <translation>高植被</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <source>Low point (noise)</source>
        <translation>低点（噪声）</translation>
    </message>
    <message>
        <source>Model key point</source>
        <translation>模型关键点</translation>
    </message>
    <message>
        <source>Water</source>
        <translation>水体</translation>
    </message>
    <message>
        <source>Rail</source>
        <translation>铁路</translation>
    </message>
    <message>
        <source>Road surface</source>
        <translation>路面</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>重叠</translation>
    </message>
    <message>
        <source>Wire guard (shield)</source>
        <translation>导线防护（屏蔽线）</translation>
    </message>
    <message>
        <source>Wire conductor (phase)</source>
        <translation>导线（相线）</translation>
    </message>
    <message>
        <source>Transmission tower</source>
        <translation>输电塔</translation>
    </message>
    <message>
        <source>Wire-structure connector</source>
        <translation>导线-结构连接件</translation>
    </message>
    <message>
        <source>Bridge deck</source>
        <translation>桥面</translation>
    </message>
    <message>
        <source>High noise</source>
        <translation>高噪声</translation>
    </message>
</context>
<context>
    <name>PoleDock</name>
    <message>
        <source>Plan smart poles</source>
        <extracomment>form values a scenario keeps (layers are kept by name)</extracomment>
        <translation>规划智慧杆</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>Save scenario</source>
        <translation>保存方案</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>载入</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Demand</source>
        <translation>需求</translation>
    </message>
    <message>
        <source>Covered</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <source>Poles</source>
        <translation>杆数</translation>
    </message>
    <message>
        <source>Scenario {0}</source>
        <translation>方案 {0}</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>正在规划…</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Existing poles merged (reused in place)</source>
        <translation>合并的现有杆件（原位利用）</translation>
    </message>
    <message>
        <source>Proven optimal: {0} smart poles.</source>
        <translation>已证明最优：{0} 根智慧杆。</translation>
    </message>
    <message>
        <source>Best plan within the time limit: gap {0:.1%}.</source>
        <translation>时间上限内的最优方案：差距 {0:.1%}。</translation>
    </message>
    <message>
        <source>PDF not written: {0}</source>
        <translation>未写出 PDF：{0}</translation>
    </message>
    <message>
        <source>PDF written: {0}</source>
        <translation>已写出 PDF：{0}</translation>
    </message>
    <message>
        <source>New poles</source>
        <translation>新建杆</translation>
    </message>
    <message>
        <source>Existing poles merged</source>
        <translation>合并的现有杆件</translation>
    </message>
    <message>
        <source>Existing poles kept</source>
        <translation>保留的现有杆件</translation>
    </message>
    <message>
        <source>Existing poles removed</source>
        <translation>拆除的现有杆件</translation>
    </message>
    <message>
        <source>Smart poles</source>
        <translation>智慧杆</translation>
    </message>
    <message>
        <source>Total cost (CNY)</source>
        <translation>总成本（元）</translation>
    </message>
    <message>
        <source>Total power (kW)</source>
        <translation>总功率（kW）</translation>
    </message>
    <message>
        <source>Proven optimal</source>
        <translation>已证明最优</translation>
    </message>
    <message>
        <source>Gap</source>
        <translation>差距</translation>
    </message>
    <message>
        <source>Solve time (s)</source>
        <translation>求解时间（秒）</translation>
    </message>
    <message>
        <source>5G demand above the RSRP threshold</source>
        <translation>RSRP 达到门限的 5G 需求</translation>
    </message>
    <message>
        <source>Median RSRP (dBm)</source>
        <translation>RSRP 中位数（dBm）</translation>
    </message>
    <message>
        <source>Median SINR (dB)</source>
        <translation>SINR 中位数（dB）</translation>
    </message>
    <message>
        <source>SINR 5th percentile (dB)</source>
        <translation>SINR 第 5 百分位（dB）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>ProjectController</name>
    <message>
        <source>&amp;New Project</source>
        <extracomment>bump when docks are added, removed or renamed: older saved layouts are then ignored</extracomment>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <source>Open &amp;Project…</source>
        <translation>打开项目(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save Project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save Project &amp;As…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Locate Missing Data…</source>
        <translation>查找缺失数据(&amp;L)…</translation>
    </message>
    <message>
        <source>Recent Projec&amp;ts</source>
        <translation>最近的项目(&amp;T)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>{0}[*] — cimviewer</source>
        <translation>{0}[*] — cimviewer</translation>
    </message>
    <message>
        <source>The saved window layout could not be used: using the default</source>
        <translation>无法使用保存的窗口布局，已改用默认布局</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The project “{0}” has unsaved changes. Save them?</source>
        <translation>项目“{0}”有未保存的更改。是否保存？</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Could not save the project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>cimviewer projects (*{0});;All files (*)</source>
        <translation>cimviewer 项目 (*{0});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Opening project %s</source>
        <translation>正在打开项目 %s</translation>
    </message>
    <message>
        <source>{0} table join(s) could not be applied, first {1}: {2}. They stay in the project; apply them again with Layer &gt; Join table….</source>
        <translation>{0} 个外部表连接未能应用，第一个为 {1}：{2}。这些连接仍保留在项目中，可通过“图层 &gt; 连接外部表…”重新应用。</translation>
    </message>
    <message>
        <source>Missing data</source>
        <translation>数据缺失</translation>
    </message>
    <message>
        <source>{0} layer(s) could not be found. Use File &gt; Locate Missing Data… to point to the folder that holds them.</source>
        <translation>有 {0} 个图层的数据未找到。请使用“文件 &gt; 查找缺失数据…”指定存放这些数据的文件夹。</translation>
    </message>
    <message>
        <source>Opened {0}</source>
        <translation>已打开 {0}</translation>
    </message>
    <message>
        <source>Could not open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>Folder that holds the missing data</source>
        <translation>存放缺失数据的文件夹</translation>
    </message>
    <message>
        <source>Found {0} layer(s) in {1}; {2} still missing.</source>
        <translation>在 {1} 中找到 {0} 个图层；仍缺失 {2} 个。</translation>
    </message>
    <message>
        <source>Autosave failed: %s</source>
        <translation>自动保存失败：%s</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <source>cimviewer did not close properly. Restore the unsaved changes to “{0}” (autosaved {1})?</source>
        <translation>cimviewer 上次未正常关闭。是否恢复“{0}”未保存的更改（自动保存于 {1}）？</translation>
    </message>
</context>
<context>
    <name>QualityPanel</name>
    <message>
        <source>problem found by the reader</source>
        <extracomment>objects listed under a kind; the rest are counted in one more row places of one object shown in its tooltip occurrences copied at most (a kind keeps 10,000 places)</extracomment>
        <translation>读取时发现的问题</translation>
    </message>
    <message>
        <source>ring with fewer than 3 distinct points: skipped</source>
        <translation>环的不同点少于 3 个：已跳过</translation>
    </message>
    <message>
        <source>repeated point: removed</source>
        <translation>重复点：已删除</translation>
    </message>
    <message>
        <source>ring not closed: closed</source>
        <translation>环未闭合：已闭合</translation>
    </message>
    <message>
        <source>polygon without area: skipped</source>
        <translation>面积为零的多边形：已跳过</translation>
    </message>
    <message>
        <source>polygon not planar (over 1 cm): drawn triangulated</source>
        <translation>多边形不共面（超过 1 厘米）：按三角化绘制</translation>
    </message>
    <message>
        <source>impossible coordinates: object left out</source>
        <translation>坐标不可能：对象已略去</translation>
    </message>
    <message>
        <source>far away from everything else: object left out</source>
        <translation>远离其他所有对象：对象已略去</translation>
    </message>
    <message>
        <source>unreadable line of the file: skipped</source>
        <translation>文件中无法读取的行：已跳过</translation>
    </message>
    <message>
        <source>self-intersecting footprint: repaired</source>
        <translation>自相交的轮廓：已修复</translation>
    </message>
    <message>
        <source>hole outside its footprint: repaired</source>
        <translation>洞位于轮廓之外：已修复</translation>
    </message>
    <message>
        <source>solid with fewer than 4 faces: drawn as is</source>
        <translation>少于 4 个面的实体：按原样绘制</translation>
    </message>
    <message>
        <source>solid without volume: drawn as is</source>
        <translation>没有体积的实体：按原样绘制</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Copy problem list</source>
        <translation>复制问题列表</translation>
    </message>
    <message>
        <source>{0} problems found in the city layers; click an object to go to it.</source>
        <translation>城市图层中发现 {0} 处问题；点击对象可飞到该处。</translation>
    </message>
    <message>
        <source>No geometry problems found.</source>
        <translation>未发现几何问题。</translation>
    </message>
    <message>
        <source>… and {0} more</source>
        <translation>……以及另外 {0} 处</translation>
    </message>
    <message>
        <source>… and {0} more objects</source>
        <translation>……以及另外 {0} 个对象</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
</context>
<context>
    <name>RecentList</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Object id or attribute value, then Enter</source>
        <translation>输入对象编号或属性值后按回车</translation>
    </message>
</context>
<context>
    <name>SensorController</name>
    <message>
        <source>Time</source>
        <extracomment>reconnect layers saved with a live connection when they are opened</extracomment>
        <translation>时间</translation>
    </message>
    <message>
        <source>Sensor chart</source>
        <translation>传感器曲线</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>告警列表</translation>
    </message>
    <message>
        <source>&amp;Sensors</source>
        <translation>传感器(&amp;S)</translation>
    </message>
    <message>
        <source>Add sensor &amp;readings…</source>
        <translation>添加传感器读数(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Connect to live data…</source>
        <translation>连接实时数据(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Disconnect live data</source>
        <translation>断开实时数据(&amp;D)</translation>
    </message>
    <message>
        <source>Interpolated &amp;surface</source>
        <translation>插值面(&amp;S)</translation>
    </message>
    <message>
        <source>Surface &amp;quantity</source>
        <translation>插值面指标(&amp;Q)</translation>
    </message>
    <message>
        <source>Value &amp;labels</source>
        <translation>数值标注(&amp;L)</translation>
    </message>
    <message>
        <source>(no sensor quantities)</source>
        <translation>（没有传感器指标）</translation>
    </message>
    <message>
        <source>Live connection of %s not resumed: %s</source>
        <translation>%s 的实时连接未恢复：%s</translation>
    </message>
    <message>
        <source>Reconnecting %s to live data at %s</source>
        <translation>正在将 %s 重新连接到 %s 的实时数据</translation>
    </message>
    <message>
        <source>%d new live sensor(s) placed on their pole or building, or where their messages say</source>
        <translation>%d 个新的实时传感器已放置在对应的灯杆或建筑上，或放在其消息给出的位置</translation>
    </message>
    <message>
        <source>%d new live sensor(s) have no position: no pole or building has their id and their messages give none</source>
        <translation>%d 个新的实时传感器没有位置：没有灯杆或建筑使用其编号，其消息也未给出位置</translation>
    </message>
    <message>
        <source>Added %s: %d sensors</source>
        <translation>已添加 %s：%d 个传感器</translation>
    </message>
    <message>
        <source>%d sensor(s) of %s have no position: their ids are not in the positions file and name no pole or building</source>
        <translation>%d 个传感器（%s）没有位置：其编号不在位置文件中，也不对应任何灯杆或建筑</translation>
    </message>
    <message>
        <source>Could not add the sensor readings</source>
        <translation>无法添加传感器读数</translation>
    </message>
    <message>
        <source>Password not saved</source>
        <translation>密码未保存</translation>
    </message>
    <message>
        <source>Live sensors</source>
        <translation>实时传感器</translation>
    </message>
    <message>
        <source>Live sensors not connected: %s</source>
        <translation>实时传感器未连接：%s</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Live sensors: {0} {1}</source>
        <translation>实时传感器：{0} {1}</translation>
    </message>
</context>
<context>
    <name>StylePanel</name>
    <message>
        <source>Single colour</source>
        <translation>单一颜色</translation>
    </message>
    <message>
        <source>Semantic surfaces</source>
        <translation>语义表面</translation>
    </message>
    <message>
        <source>Categories of an attribute</source>
        <translation>按属性分类</translation>
    </message>
    <message>
        <source>Classes of a numeric attribute</source>
        <translation>按数值属性分级</translation>
    </message>
    <message>
        <source>Equal interval</source>
        <translation>等间距</translation>
    </message>
    <message>
        <source>Quantile</source>
        <translation>分位数</translation>
    </message>
    <message>
        <source>Natural breaks (Jenks)</source>
        <translation>自然断点（Jenks）</translation>
    </message>
    <message>
        <source>Viridis (blue–yellow)</source>
        <translation>Viridis（蓝—黄）</translation>
    </message>
    <message>
        <source>Terrain</source>
        <translation>地形</translation>
    </message>
    <message>
        <source>Reds</source>
        <translation>红色系</translation>
    </message>
    <message>
        <source>Red–yellow–green</source>
        <translation>红—黄—绿</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Colour by</source>
        <translation>着色依据</translation>
    </message>
    <message>
        <source>Attribute</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>级数</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Colour map</source>
        <translation>色带</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Classes of the result</source>
        <translation>结果自带分级</translation>
    </message>
    <message>
        <source>Object type</source>
        <translation>对象类型</translation>
    </message>
    <message>
        <source>Layer colour</source>
        <translation>图层颜色</translation>
    </message>
</context>
<context>
    <name>SunDialog</name>
    <message>
        <source>Sun and shadows</source>
        <extracomment>where a project without a CRS is taken to be (the demo city's region)</extracomment>
        <translation>日照与阴影</translation>
    </message>
    <message>
        <source>The time above is read in this time zone</source>
        <translation>上面的时间按此时区读取</translation>
    </message>
    <message>
        <source>Cast shadows</source>
        <translation>投射阴影</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>日期时间</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Unknown time zone: {0}</source>
        <translation>未知时区：{0}</translation>
    </message>
    <message>
        <source>Default light: no date set</source>
        <translation>默认光照：未设置日期</translation>
    </message>
    <message>
        <source>Sun azimuth {0:.1f}°, elevation {1:.1f}°</source>
        <translation>太阳方位角 {0:.1f}°，高度角 {1:.1f}°</translation>
    </message>
</context>
<context>
    <name>SunlightDock</name>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Failing buildings</source>
        <translation>不达标建筑</translation>
    </message>
    <message>
        <source>Clear sunlight colours</source>
        <translation>清除日照着色</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <source>Done: see the ground sunlight layer</source>
        <translation>完成：请查看地面日照图层</translation>
    </message>
    <message>
        <source>below %1 h</source>
        <translation>低于 %1 小时</translation>
    </message>
    <message>
        <source>%1 h or more</source>
        <translation>%1 小时及以上</translation>
    </message>
    <message>
        <source>%1 of the buildings pass; %2 fail</source>
        <translation>%1 的建筑达标；%2 栋不达标</translation>
    </message>
</context>
<context>
    <name>TimeSliderPanel</name>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>{0}×</source>
        <translation>{0}×</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>No time range</source>
        <translation>无时间范围</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
</context>
<context>
    <name>ViewWidget</name>
    <message>
        <source>Distance: {0:,.2f} m</source>
        <extracomment>distance factor per wheel notch toward the cursor the wheel stops this close to the surface under the cursor the eye stays at least this high above terrain and roofs a double-click flies to the point at this share of the distance 0..1 while large layers refine the view nearest-first (1.0: all it wants is built)</extracomment>
        <translation>距离：{0:,.2f} 米</translation>
    </message>
    <message>
        <source>Height difference: {0:,.2f} m</source>
        <translation>高差：{0:,.2f} 米</translation>
    </message>
    <message>
        <source>Plan area: {0:,.1f} m²</source>
        <translation>投影面积：{0:,.1f} 平方米</translation>
    </message>
</context>
</TS>