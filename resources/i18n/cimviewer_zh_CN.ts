<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
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
        <source>&amp;Map view (2D, top-down)</source>
        <translation>地图视图（二维俯视）(&amp;M)</translation>
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
        <source>Click points in the view; Esc ends.</source>
        <translation>在视图中点击取点；按 Esc 结束。</translation>
    </message>
    <message>
        <source>Distance: {0:,.2f} m</source>
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
    <message>
        <source>Export image</source>
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
        <source>Saved %s (%d x %d)</source>
        <translation>已保存 %s (%d x %d)</translation>
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
        <source>(none)</source>
        <translation>（无）</translation>
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
    <name>SearchPanel</name>
    <message>
        <source>Object id or attribute value, then Enter</source>
        <translation>输入对象编号或属性值后按回车</translation>
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
        <source>Layer colour</source>
        <translation>图层颜色</translation>
    </message>
</context>
<context>
    <name>SunDialog</name>
    <message>
        <source>Sun and shadows</source>
        <translation>日照与阴影</translation>
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
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Sun azimuth {0:.1f}°, elevation {1:.1f}°</source>
        <translation>太阳方位角 {0:.1f}°，高度角 {1:.1f}°</translation>
    </message>
</context>
</TS>