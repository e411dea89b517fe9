<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccessControl</name>
    <message>
        <location filename="../../desktop/access.py" line="212"/>
        <location filename="../../desktop/access.py" line="341"/>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="218"/>
        <source>Demo account — all data are fictitious demo data, for training only. Do not enter real personal information.</source>
        <translation>演示账户 — 数据均为虚构的演示数据，仅供培训演示，请勿录入真实个人信息</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="235"/>
        <source>&amp;Switch user / log out…</source>
        <translation>切换用户/注销(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="238"/>
        <source>&amp;Account</source>
        <translation>账户(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="242"/>
        <source>&amp;Audit log…</source>
        <translation>审计日志(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="246"/>
        <source>The latest audit entries (logins, unmasking, exports, edits) and a check of the hash chain</source>
        <translation>查看最近的审计记录（登录、查看完整个人信息、导出、编辑）并校验哈希链</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="292"/>
        <source>Needs the permission “{0}”; {1} is a {2}. Ask an administrator.</source>
        <translation>需要“{0}”权限；{1} 的角色是{2}。请联系系统管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="344"/>
        <source>No store is open</source>
        <translation>未打开存储</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="347"/>
        <source>Single-user store (no accounts)</source>
        <translation>单用户存储（未设账户）</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="350"/>
        <source>This store has no user accounts: whoever opens it may do everything. Create its first administrator with “zhiwang user add” to require a login.</source>
        <translation>此存储未设用户账户：打开它的人可以执行所有操作。用“zhiwang user add”创建第一个管理员后，打开时需要登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="358"/>
        <source>all grid cells</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="360"/>
        <source>{0} grid cells</source>
        <translation>{0} 个网格</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="362"/>
        <source>User: {0} · {1}</source>
        <translation>用户：{0} · {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="364"/>
        <source>Logged in as {0} ({1}); sees {2}</source>
        <translation>已登录：{0}（{1}），可见范围：{2}</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="370"/>
        <source>Log {0} out and log in as another user</source>
        <translation>注销 {0}，以其他用户登录</translation>
    </message>
</context>
<context>
    <name>AlarmPanel</name>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="120"/>
        <location filename="../../desktop/live/alarm_panel.py" line="229"/>
        <source>No open alarms</source>
        <translation>无未处理告警</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="126"/>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="127"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="128"/>
        <source>Grid cell</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="129"/>
        <source>Raised at</source>
        <translation>告警时间</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="130"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="131"/>
        <source>Alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="132"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="146"/>
        <source>Acknowledge…</source>
        <translation>确认…</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="148"/>
        <source>Clear…</source>
        <translation>解除…</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="150"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="151"/>
        <source>Zoom to</source>
        <translation>定位</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="152"/>
        <source>Sound</source>
        <translation>声音</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="197"/>
        <source>acknowledged by {0}</source>
        <translation>已由 {0} 确认</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="199"/>
        <source>active</source>
        <translation>告警中</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="201"/>
        <source>cleared, not acknowledged</source>
        <translation>已解除，未确认</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="227"/>
        <source>{0} active alarms, {1} not acknowledged</source>
        <translation>{0} 条告警中，{1} 条未确认</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="290"/>
        <source>Acknowledge alarm</source>
        <translation>确认告警</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="291"/>
        <source>Acknowledge “{0}” at {1}:</source>
        <translation>确认 {1} 的“{0}”：</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="302"/>
        <source>Clear alarm</source>
        <translation>解除告警</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="303"/>
        <source>Clear “{0}” at {1} by hand (a false alarm, a handled incident):</source>
        <translation>手动解除 {1} 的“{0}”（误报或已处置）：</translation>
    </message>
</context>
<context>
    <name>Analysis</name>
    <message>
        <location filename="../../desktop/analysis/params_form.py" line="329"/>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/params_form.py" line="330"/>
        <source>{0}: “{1}” is not a list of numbers</source>
        <translation>{0}：“{1}”不是用逗号分隔的数字</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="20"/>
        <source>{0} — run {1}</source>
        <translation>{0} — 第 {1} 次运行</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="21"/>
        <source>{0} — not stored</source>
        <translation>{0} — 未保存</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="22"/>
        <source>{0} — stored run {1} of {2}</source>
        <translation>{0} — 已保存的第 {1} 次运行（{2}）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="25"/>
        <source>Cells below the threshold, most unmet demand first</source>
        <translation>低于阈值的网格（按未满足需求从多到少）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="26"/>
        <source>Cells by residents not covered</source>
        <translation>网格按未覆盖居民排序</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="27"/>
        <source>Largest blind areas</source>
        <translation>最大的监控盲区</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="28"/>
        <location filename="../../desktop/analysis/result_layers.py" line="64"/>
        <source>Suggested new sites</source>
        <translation>建议新址</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="31"/>
        <source>A stored run keeps per-cell figures and the summary; “Run again” recomputes the curve.</source>
        <translation>已保存的运行只保留各网格数值和汇总；点击“重新运行”可重新计算洛伦兹曲线。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="35"/>
        <source>Grey: before the what-if; red: now.</source>
        <translation>灰色：情景推演前；红色：当前。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/present.py" line="37"/>
        <source>radius {0} m</source>
        <translation>半径 {0} 米</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="51"/>
        <source>Supply per 1,000 residents (cells)</source>
        <translation>每千人供给（网格）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="52"/>
        <source>Supply per 1,000 residents (buildings)</source>
        <translation>每千人供给（建筑）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="53"/>
        <source>Residents covered (%)</source>
        <translation>居民覆盖率（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="54"/>
        <location filename="../../desktop/analysis/texts.py" line="166"/>
        <source>Camera coverage (%)</source>
        <translation>监控覆盖率（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="55"/>
        <source>Covered after siting (%)</source>
        <translation>选址后覆盖率（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="56"/>
        <location filename="../../desktop/analysis/texts.py" line="117"/>
        <source>Cells below the threshold</source>
        <translation>低于阈值的网格</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="57"/>
        <source>Facilities analysed</source>
        <translation>参与分析的设施</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="58"/>
        <source>Buildings not covered</source>
        <translation>未覆盖的建筑</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="59"/>
        <source>Walking-time isochrones</source>
        <translation>步行等时圈</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="60"/>
        <source>Blind spots</source>
        <translation>监控盲区</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="61"/>
        <location filename="../../desktop/analysis/texts.py" line="202"/>
        <source>Camera views</source>
        <translation>摄像头视域</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="62"/>
        <location filename="../../desktop/analysis/texts.py" line="132"/>
        <source>Suggested cameras</source>
        <translation>建议新增摄像头</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="63"/>
        <source>Views of suggested cameras</source>
        <translation>建议摄像头的视域</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="65"/>
        <source>Existing facilities</source>
        <translation>现有设施</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="66"/>
        <source>Difference B − A</source>
        <translation>差值 B − A</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="68"/>
        <source>≤ {0} min walk</source>
        <translation>步行 ≤ {0} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="70"/>
        <source>existing</source>
        <translation>现有</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="71"/>
        <source>added (what-if)</source>
        <translation>新增（推演）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="72"/>
        <source>moved (what-if)</source>
        <translation>迁移（推演）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/result_layers.py" line="73"/>
        <source>removed (what-if)</source>
        <translation>撤除（推演）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="34"/>
        <source>Service equity</source>
        <translation>服务公平性</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="35"/>
        <source>Service coverage</source>
        <translation>服务覆盖</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="36"/>
        <source>Camera coverage</source>
        <translation>监控覆盖</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="37"/>
        <source>Facility siting</source>
        <translation>设施选址</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="38"/>
        <source>Comparison</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="42"/>
        <source>Service (facility kind)</source>
        <translation>服务（设施类型）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="43"/>
        <location filename="../../desktop/analysis/texts.py" line="102"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="44"/>
        <source>Catchment radius</source>
        <translation>服务半径</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="45"/>
        <location filename="../../desktop/analysis/texts.py" line="104"/>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="46"/>
        <source>Custom distance decay</source>
        <translation>自定义距离衰减</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="47"/>
        <source>Decay function</source>
        <translation>衰减函数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="48"/>
        <source>Steps (metres:weight, …)</source>
        <translation>分段（米:权重, …）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="49"/>
        <source>Gaussian sigma</source>
        <translation>高斯 σ</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="50"/>
        <source>Gravity exponent β</source>
        <translation>重力指数 β</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="51"/>
        <source>Minimum distance</source>
        <translation>最小距离</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="52"/>
        <location filename="../../desktop/analysis/texts.py" line="107"/>
        <source>Demand group</source>
        <translation>需求人群</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="53"/>
        <source>Shortage threshold (supply per person)</source>
        <translation>短缺阈值（人均供给）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="54"/>
        <source>Walking-time bands (minutes)</source>
        <translation>步行时间分段（分钟）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="55"/>
        <source>Walking speed</source>
        <translation>步行速度</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="56"/>
        <source>Reach from the street</source>
        <translation>道路两侧可达范围</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="57"/>
        <source>Arc step</source>
        <translation>弧线步长</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="58"/>
        <source>Smallest blind area listed</source>
        <translation>列出的最小盲区面积</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="59"/>
        <location filename="../../desktop/analysis/texts.py" line="130"/>
        <source>Blind areas listed</source>
        <translation>列出的盲区数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="60"/>
        <source>New cameras</source>
        <translation>新增摄像头数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="61"/>
        <source>Candidate headings (degrees)</source>
        <translation>候选朝向（度）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="62"/>
        <source>Field of view</source>
        <translation>视场角</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="63"/>
        <source>Range</source>
        <translation>视距</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="64"/>
        <location filename="../../desktop/analysis/texts.py" line="70"/>
        <source>Candidate spacing along streets</source>
        <translation>沿道路的候选间距</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="65"/>
        <source>Candidates at building corners</source>
        <translation>建筑转角作为候选点</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="66"/>
        <source>Candidate positions kept</source>
        <translation>保留的候选位置数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="67"/>
        <source>Tile size</source>
        <translation>分块大小</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="68"/>
        <location filename="../../desktop/analysis/texts.py" line="103"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="69"/>
        <source>New facilities</source>
        <translation>新增设施数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="71"/>
        <source>Keep the existing facilities</source>
        <translation>保留现有设施</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="72"/>
        <source>p-median distance cut-off</source>
        <translation>p-中值距离上限</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="73"/>
        <source>Exact solve up to (non-zeros)</source>
        <translation>精确求解上限（非零元）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="74"/>
        <source>p-median exact solve up to (pairs)</source>
        <translation>p-中值精确求解上限（配对数）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="75"/>
        <source>LP bound up to (non-zeros)</source>
        <translation>线性松弛界上限（非零元）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="76"/>
        <source>Solver time limit</source>
        <translation>求解时限</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="80"/>
        <source>Supply per capita per cell (ratio)</source>
        <translation>各网格人均供给（供需比）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="81"/>
        <source>Two-step floating catchment (2SFCA)</source>
        <translation>两步移动搜索法（2SFCA）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="82"/>
        <source>Enhanced 2SFCA with distance decay</source>
        <translation>含距离衰减的增强两步移动搜索法（E2SFCA）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="83"/>
        <source>Gravity model</source>
        <translation>重力模型</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="84"/>
        <source>Straight line</source>
        <translation>直线距离</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="85"/>
        <source>Along the streets</source>
        <translation>沿道路网</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="86"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="87"/>
        <source>Step</source>
        <translation>分段</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="88"/>
        <source>Gaussian</source>
        <translation>高斯</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="89"/>
        <source>Gravity</source>
        <translation>重力</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="90"/>
        <source>Maximal covering (MCLP)</source>
        <translation>最大覆盖（MCLP）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="91"/>
        <source>Set covering (LSCP)</source>
        <translation>集合覆盖（LSCP）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="92"/>
        <source>p-median</source>
        <translation>p-中值</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="93"/>
        <source>The service&apos;s own group</source>
        <translation>该服务的对应人群</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="94"/>
        <source>All residents</source>
        <translation>全体居民</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="95"/>
        <source>Elderly (60+)</source>
        <translation>老年人（60 岁以上）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="96"/>
        <source>Children 3–6</source>
        <translation>3–6 岁儿童</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="97"/>
        <source>Children 6–12</source>
        <translation>6–12 岁儿童</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="101"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="105"/>
        <source>Radius (m)</source>
        <translation>半径（米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="106"/>
        <source>Distance decay</source>
        <translation>距离衰减</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="108"/>
        <source>Demand (residents)</source>
        <translation>需求（居民数）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="109"/>
        <source>Residents with access</source>
        <translation>可获得服务的居民</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="110"/>
        <source>Share with access</source>
        <translation>可获得服务的比例</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="111"/>
        <source>Facilities</source>
        <translation>设施数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="112"/>
        <source>Supply (capacity)</source>
        <translation>供给（服务能力）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="113"/>
        <source>Mean supply per 1,000 residents</source>
        <translation>平均每千人供给</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="114"/>
        <source>Threshold per 1,000 residents</source>
        <translation>阈值（每千人）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="115"/>
        <source>Gini coefficient</source>
        <translation>基尼系数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="116"/>
        <source>Theil index</source>
        <translation>泰尔指数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="118"/>
        <source>Computed in (s)</source>
        <translation>计算用时（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="119"/>
        <location filename="../../desktop/analysis/texts.py" line="158"/>
        <source>Residents covered</source>
        <translation>已覆盖居民</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="120"/>
        <location filename="../../desktop/analysis/texts.py" line="159"/>
        <source>Residents not covered</source>
        <translation>未覆盖居民</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="121"/>
        <location filename="../../desktop/analysis/texts.py" line="160"/>
        <source>Share covered</source>
        <translation>覆盖比例</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="122"/>
        <source>Buildings</source>
        <translation>建筑数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="123"/>
        <source>Buildings covered</source>
        <translation>已覆盖建筑</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="124"/>
        <source>Isochrone areas (m²)</source>
        <translation>等时圈面积（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="125"/>
        <source>Cameras</source>
        <translation>摄像头数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="126"/>
        <location filename="../../desktop/analysis/texts.py" line="162"/>
        <source>Public space (m²)</source>
        <translation>公共空间（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="127"/>
        <source>Seen by a camera (m²)</source>
        <translation>监控可见（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="128"/>
        <location filename="../../desktop/analysis/texts.py" line="164"/>
        <source>Blind (m²)</source>
        <translation>盲区（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="129"/>
        <location filename="../../desktop/analysis/texts.py" line="165"/>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="131"/>
        <source>Largest blind area (m²)</source>
        <translation>最大盲区（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="133"/>
        <source>Blind area the suggestions cover (m²)</source>
        <translation>建议摄像头可覆盖的盲区（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="134"/>
        <source>New sites</source>
        <translation>新址数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="135"/>
        <source>Objective</source>
        <translation>目标值</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="136"/>
        <source>Bound</source>
        <translation>界</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="137"/>
        <source>Optimality gap</source>
        <translation>最优性间隙</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="138"/>
        <source>Solver status</source>
        <translation>求解状态</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="139"/>
        <source>Proven optimal</source>
        <translation>已证明最优</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="140"/>
        <source>Candidate sites</source>
        <translation>候选点数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="141"/>
        <source>Demand points</source>
        <translation>需求点数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="142"/>
        <source>Demand groups after merging</source>
        <translation>合并后的需求组数</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="143"/>
        <location filename="../../desktop/analysis/texts.py" line="167"/>
        <source>Covered before</source>
        <translation>选址前覆盖</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="144"/>
        <location filename="../../desktop/analysis/texts.py" line="168"/>
        <source>Covered after</source>
        <translation>选址后覆盖</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="145"/>
        <source>Mean distance before (m)</source>
        <translation>选址前平均距离（米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="146"/>
        <source>Mean distance after (m)</source>
        <translation>选址后平均距离（米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="147"/>
        <source>Residents out of reach</source>
        <translation>无法覆盖的居民</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="148"/>
        <source>Sites</source>
        <translation>新址</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="152"/>
        <source>Demand</source>
        <translation>需求</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="153"/>
        <source>Supply</source>
        <translation>供给</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="154"/>
        <location filename="../../desktop/analysis/texts.py" line="184"/>
        <source>Supply per person</source>
        <translation>人均供给</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="155"/>
        <source>Supply per 1,000 residents</source>
        <translation>每千人供给</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="156"/>
        <source>Unmet demand (residents)</source>
        <translation>未满足需求（人）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="157"/>
        <source>Supply gap</source>
        <translation>供给缺口</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="161"/>
        <source>Covered (%)</source>
        <translation>覆盖率（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="163"/>
        <source>Seen (m²)</source>
        <translation>可见（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="169"/>
        <source>Covered after (%)</source>
        <translation>选址后覆盖率（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="170"/>
        <location filename="../../desktop/analysis/texts.py" line="173"/>
        <source>Grid cell</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="171"/>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="172"/>
        <source>Area (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="174"/>
        <source>Minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="175"/>
        <source>Gain (m²)</source>
        <translation>新增覆盖（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="176"/>
        <source>Heading (°)</source>
        <translation>朝向（°）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="177"/>
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="178"/>
        <source>Y</source>
        <translation>Y</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="179"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="180"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="181"/>
        <source>Difference (B − A)</source>
        <translation>差值（B − A）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="182"/>
        <source>Nearest facility (m)</source>
        <translation>最近设施距离（米）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="183"/>
        <source>Covered</source>
        <translation>已覆盖</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="185"/>
        <source>Demand in reach</source>
        <translation>服务范围内需求</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="186"/>
        <source>Facility</source>
        <translation>设施</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="187"/>
        <source>Building</source>
        <translation>建筑</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="188"/>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="192"/>
        <source>Reading the store</source>
        <translation>正在读取数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="193"/>
        <source>Counting demand</source>
        <translation>正在统计需求</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="194"/>
        <source>Building the distance structure</source>
        <translation>正在建立距离结构</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="195"/>
        <source>Distances along the streets</source>
        <translation>正在计算道路网距离</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="196"/>
        <source>Accessibility</source>
        <translation>正在计算可达性</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="197"/>
        <source>Nearest facility</source>
        <translation>正在查找最近设施</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="198"/>
        <source>Isochrones</source>
        <translation>正在生成等时圈</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="199"/>
        <source>Buildings in range</source>
        <translation>正在查找视距内建筑</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="200"/>
        <source>Shadows of buildings</source>
        <translation>正在计算建筑遮挡</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="201"/>
        <source>Visible areas</source>
        <translation>正在计算可见区域</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="203"/>
        <source>Public space per cell</source>
        <translation>正在计算各网格公共空间</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="204"/>
        <source>Seen and blind space per cell</source>
        <translation>正在计算各网格可见与盲区</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="205"/>
        <source>Suggesting cameras</source>
        <translation>正在推荐摄像头位置</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="206"/>
        <source>Summarising</source>
        <translation>正在汇总</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="207"/>
        <source>Saving the run</source>
        <translation>正在保存运行结果</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="208"/>
        <source>Map layers</source>
        <translation>正在生成地图图层</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="209"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="213"/>
        <source>Views of {0} cameras</source>
        <translation>正在计算 {0} 个摄像头的视域</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="216"/>
        <source>Views of {0} candidate cameras</source>
        <translation>正在计算 {0} 个候选摄像头的视域</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="218"/>
        <source>Camera {0} of {1}</source>
        <translation>第 {0} / {1} 个摄像头</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="219"/>
        <source>Solving {0}</source>
        <translation>正在求解 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="222"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/texts.py" line="223"/>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>AnalysisController</name>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="127"/>
        <source>&amp;Analysis</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="129"/>
        <source>Service &amp;equity</source>
        <translation>服务公平性(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="132"/>
        <source>&amp;2SFCA (two-step floating catchment)…</source>
        <translation>两步移动搜索法 2SFCA(&amp;2)…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="133"/>
        <source>&amp;E2SFCA (with distance decay)…</source>
        <translation>增强两步移动搜索法 E2SFCA（距离衰减）(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="134"/>
        <source>&amp;Gravity model…</source>
        <translation>重力模型(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="135"/>
        <source>Supply per capita per cell (&amp;ratio)…</source>
        <translation>各网格人均供给（供需比）(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="144"/>
        <source>Service &amp;coverage and isochrones…</source>
        <translation>服务覆盖与等时圈(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="145"/>
        <source>Ca&amp;mera coverage and blind spots…</source>
        <translation>监控覆盖与盲区(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="146"/>
        <source>&amp;Siting: where to add facilities…</source>
        <translation>设施选址(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="156"/>
        <source>What-if: &amp;add a facility</source>
        <translation>情景推演：新增设施(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="157"/>
        <source>What-if: &amp;move a facility</source>
        <translation>情景推演：迁移设施(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="158"/>
        <source>What-if: &amp;remove a facility</source>
        <translation>情景推演：撤除设施(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="167"/>
        <source>Stored &amp;runs…</source>
        <translation>已保存的运行(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="172"/>
        <source>Results &amp;panel</source>
        <translation>分析结果面板(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="253"/>
        <source>Open a store first (File → Open store).</source>
        <translation>请先打开数据库（文件 → 打开数据库）。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="282"/>
        <source>An analysis is running; wait or cancel it first.</source>
        <translation>已有分析在运行，请等待完成或先取消。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="295"/>
        <source>{0}: starting…</source>
        <translation>{0}：正在开始…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="347"/>
        <source>The analysis failed: {0}</source>
        <translation>分析失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="350"/>
        <location filename="../../desktop/analysis/controller.py" line="656"/>
        <source>Analysis</source>
        <translation>分析</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="353"/>
        <source>Cancelled; nothing was stored.</source>
        <translation>已取消，未保存任何结果。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="418"/>
        <source>Stored as run {0}. Computed in {1} s.</source>
        <translation>已保存为第 {0} 次运行，计算用时 {1} 秒。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="502"/>
        <source>Added a facility (capacity {0})</source>
        <translation>新增一处设施（服务能力 {0}）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="523"/>
        <source>Moved facility {0}</source>
        <translation>迁移了设施 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="545"/>
        <source>Removed facility {0}</source>
        <translation>撤除了设施 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="551"/>
        <source>Undone: {0}</source>
        <translation>已撤销：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="626"/>
        <source>{0}. Gini {1} → {2} (Δ {3}; before any what-if {4}).</source>
        <translation>{0}。基尼系数 {1} → {2}（变化 {3}；推演前 {4}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="633"/>
        <source>Computed in {0} ms</source>
        <translation>计算用时 {0} 毫秒</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="635"/>
        <source>, on the map in {0} ms.</source>
        <translation>，地图更新用时 {0} 毫秒。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="646"/>
        <source>What-if: {0} edits of run {1}</source>
        <translation>情景推演：基于第 {1} 次运行的 {0} 处修改</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="650"/>
        <source>What-if stored as run {0}.</source>
        <translation>推演结果已保存为第 {0} 次运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="664"/>
        <source>CSV tables (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="665"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="666"/>
        <source>HTML report (*.html)</source>
        <translation>HTML 报告 (*.html)</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="670"/>
        <source>Export the result</source>
        <translation>导出分析结果</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="683"/>
        <source>Exporting {0}…</source>
        <translation>正在导出 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="686"/>
        <source>Exported {0}</source>
        <translation>已导出 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="773"/>
        <source>Reopened run {0}{1}.</source>
        <translation>已重新打开第 {0} 次运行{1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="781"/>
        <source>again: run {0}</source>
        <translation>重新运行：第 {0} 次</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/controller.py" line="850"/>
        <source>Runs {0} and {1} compared</source>
        <translation>第 {0} 次与第 {1} 次运行对比</translation>
    </message>
</context>
<context>
    <name>AnalysisDialog</name>
    <message>
        <location filename="../../desktop/analysis/dialog.py" line="44"/>
        <source>Suggest new cameras</source>
        <translation>推荐新增摄像头</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dialog.py" line="56"/>
        <source>optional, e.g. “before the new clinic”</source>
        <translation>可选，例如“新建诊所前”</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dialog.py" line="58"/>
        <source>Name of the stored run</source>
        <translation>保存的运行名称</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dialog.py" line="67"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
</context>
<context>
    <name>AnalysisErrors</name>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="27"/>
        <source>The radius must be a positive distance in metres (not {0}).</source>
        <translation>半径必须是以米为单位的正数（当前为 {0}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="33"/>
        <source>The store has no buildings. Import or generate buildings first.</source>
        <translation>数据库中没有建筑。请先导入或生成建筑。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="39"/>
        <source>The store has no residents, so there is no demand to measure. Import residents (with their building) first.</source>
        <translation>数据库中没有居民，无法计算需求。请先导入居民（含所在建筑）。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="46"/>
        <source>No residents in the demand group “{0}” for {1}: nothing to measure.</source>
        <translation>{1}对应的需求人群“{0}”中没有居民，无法分析。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="53"/>
        <source>No residents in the demand group “{0}”.</source>
        <translation>需求人群“{0}”中没有居民。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="57"/>
        <source>Empty supply: the store has no {0} facilities.</source>
        <translation>供给为空：数据库中没有{0}设施。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="61"/>
        <source>Empty supply: every {0} facility has capacity 0.</source>
        <translation>供给为空：所有{0}设施的服务能力均为 0。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="65"/>
        <source>No residents within {0} m of any {1}. Increase the radius.</source>
        <translation>任何{1} {0} 米范围内都没有居民。请增大半径。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="71"/>
        <source>Supply per capita per cell needs grid cells; the store has none.</source>
        <translation>按网格计算人均供给需要网格，但数据库中没有网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="77"/>
        <source>2SFCA has no distance decay; choose E2SFCA or gravity for a decay.</source>
        <translation>两步移动搜索法没有距离衰减；如需衰减请选择 E2SFCA 或重力模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="84"/>
        <source>The threshold must be a non-negative supply per person.</source>
        <translation>阈值必须是非负的人均供给。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="90"/>
        <source>A step decay needs at least one step (metres:weight).</source>
        <translation>分段衰减至少需要一段（米:权重）。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="96"/>
        <source>Step distances must be positive and increasing.</source>
        <translation>分段距离必须为正且递增。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="100"/>
        <source>Step weights must be non-negative numbers.</source>
        <translation>分段权重必须是非负数。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="104"/>
        <source>A Gaussian decay needs a positive sigma in metres.</source>
        <translation>高斯衰减需要以米为单位的正 σ 值。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="110"/>
        <source>A gravity decay needs a positive exponent β.</source>
        <translation>重力衰减需要正的指数 β。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="114"/>
        <source>A gravity decay needs a positive minimum distance (the weight is infinite at 0 m).</source>
        <translation>重力衰减需要正的最小距离（0 米处权重为无穷大）。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="121"/>
        <source>Distances along the streets need streets, and the store has none. Import a road layer or choose straight-line distances.</source>
        <translation>沿道路网计算距离需要道路，但数据库中没有道路。请导入道路图层，或改用直线距离。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="128"/>
        <source>Walking times must be positive minutes.</source>
        <translation>步行时间必须是正的分钟数。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="132"/>
        <source>The walking speed must be positive.</source>
        <translation>步行速度必须为正。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="136"/>
        <source>The arc step must be between 0 and 30 degrees.</source>
        <translation>弧线步长必须在 0 到 30 度之间。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="140"/>
        <source>Ask for at least one new camera.</source>
        <translation>至少需要推荐一个摄像头。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="144"/>
        <source>Give at least one candidate heading.</source>
        <translation>请至少给出一个候选朝向。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="148"/>
        <source>The field of view must be between 0 and 360 degrees.</source>
        <translation>视场角必须在 0 到 360 度之间。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="154"/>
        <source>The camera range must be a positive distance in metres.</source>
        <translation>摄像头视距必须是以米为单位的正数。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="160"/>
        <source>Camera coverage needs a community boundary, grid cells or buildings.</source>
        <translation>监控覆盖分析需要社区边界、网格或建筑。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="167"/>
        <source>Add at least one facility.</source>
        <translation>至少需要新增一处设施。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="171"/>
        <source>No candidate sites: the store has no streets to place them along.</source>
        <translation>没有候选点：数据库中没有可用于布点的道路。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="178"/>
        <source>{0} new sites cannot serve every resident within the allowed distance.</source>
        <translation>{0} 处新址无法在允许距离内服务所有居民。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="185"/>
        <source>The time limit must be positive.</source>
        <translation>时限必须为正。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="189"/>
        <source>The capacity must be a non-negative number (not {0}).</source>
        <translation>服务能力必须是非负数（当前为 {0}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="195"/>
        <source>There is no stored run {0}.</source>
        <translation>没有第 {0} 次运行的记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="199"/>
        <source>Runs {0} and {2} are of different kinds and have no per-cell figure in common.</source>
        <translation>第 {0} 次与第 {2} 次运行类型不同，没有可对比的网格指标。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/errors.py" line="206"/>
        <source>The store&apos;s working CRS is unknown, so the map cannot be placed.</source>
        <translation>数据库的工作坐标系未知，无法定位地图。</translation>
    </message>
</context>
<context>
    <name>AttributeTable</name>
    <message>
        <location filename="../../desktop/attribute_table.py" line="241"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="239"/>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="248"/>
        <source>Filter:</source>
        <translation>筛选：</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="270"/>
        <source>Loading failed: {0}</source>
        <translation>加载失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="237"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="243"/>
        <source>Zoom to selection</source>
        <translation>缩放到所选</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="228"/>
        <source>contains</source>
        <translation>包含</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="230"/>
        <source>is empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="231"/>
        <source>is not empty</source>
        <translation>不为空</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="229"/>
        <source>starts with</source>
        <translation>开头是</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="301"/>
        <source>{0} of {1} rows loaded</source>
        <translation>已加载 {0} / {1} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="299"/>
        <source>{0} rows loaded</source>
        <translation>已加载 {0} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/attribute_table.py" line="303"/>
        <source>{0} selected</source>
        <translation>已选 {0} 个</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="35"/>
        <source>Login</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="36"/>
        <source>Login failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="37"/>
        <source>Login refused (locked)</source>
        <translation>拒绝登录（账户已锁定）</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="38"/>
        <source>Account locked</source>
        <translation>账户被锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="39"/>
        <source>Logout</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="40"/>
        <source>Account added</source>
        <translation>新增账户</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="41"/>
        <source>Password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="42"/>
        <source>Role changed</source>
        <translation>变更角色</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="43"/>
        <source>Grid cells changed</source>
        <translation>变更网格范围</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="44"/>
        <source>Account enabled</source>
        <translation>启用账户</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="45"/>
        <source>Account disabled</source>
        <translation>停用账户</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="46"/>
        <source>Account unlocked</source>
        <translation>解锁账户</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="47"/>
        <source>Personal data unmasked</source>
        <translation>查看完整个人信息</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="48"/>
        <source>Lookup</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="49"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="50"/>
        <source>Export with personal data</source>
        <translation>导出完整个人信息</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="51"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="52"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="53"/>
        <source>Refused</source>
        <translation>拒绝操作</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="54"/>
        <source>Key created</source>
        <translation>创建密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="55"/>
        <source>Key exported</source>
        <translation>导出密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="56"/>
        <source>Existing data encrypted</source>
        <translation>加密已有数据</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="62"/>
        <source>its detail was altered</source>
        <translation>该条记录的详情被篡改</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="63"/>
        <source>it does not follow the entry before it: that one was altered or replaced</source>
        <translation>与上一条记录衔接不上：上一条被篡改或替换</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="66"/>
        <source>its content does not match its hash: it was altered</source>
        <translation>内容与其哈希不符：该条记录被篡改</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="69"/>
        <source>entries before it were deleted</source>
        <translation>此前的记录被删除</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="70"/>
        <source>the last entries of the log were deleted</source>
        <translation>日志末尾的记录被删除</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="71"/>
        <source>the last entry does not match the recorded head: altered or replaced</source>
        <translation>最后一条记录与登记的链头不符：被篡改或替换</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="74"/>
        <source>the record of the log&apos;s head is gone</source>
        <translation>日志链头的登记记录丢失</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="109"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="116"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="122"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="123"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="124"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="125"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="126"/>
        <source>What</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="127"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="141"/>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="145"/>
        <source>Recompute the hash chain of the whole log: an altered, deleted or re-ordered entry is found</source>
        <translation>重新计算整个日志的哈希链：任何被篡改、删除或调换顺序的记录都会被发现</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="150"/>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="205"/>
        <source>The latest {0} entries, newest first (the log has #{1} entries)</source>
        <translation>最近 {0} 条记录，最新的在前（日志共 {1} 条）</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="210"/>
        <source>The audit log is empty</source>
        <translation>审计日志为空</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="216"/>
        <source>Could not read the audit log: {0}</source>
        <translation>无法读取审计日志：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="227"/>
        <source>Verifying the hash chain…</source>
        <translation>正在校验哈希链…</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="239"/>
        <source>OK: {0} entries, the hash chain is intact (head #{1} {2}…)</source>
        <translation>完整：共 {0} 条记录，哈希链完好（链头 #{1} {2}…）</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="246"/>
        <source>BROKEN at entry #{0}: {1}</source>
        <translation>哈希链在第 #{0} 条记录处断开：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/audit_dialog.py" line="259"/>
        <source>Could not verify the audit log: {0}</source>
        <translation>无法校验审计日志：{0}</translation>
    </message>
</context>
<context>
    <name>CameraViewWindow</name>
    <message>
        <location filename="../../desktop/live/camera_view.py" line="93"/>
        <source>Live view — {0}</source>
        <translation>实时画面 — {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/camera_view.py" line="101"/>
        <source>Waiting for the first frame…</source>
        <translation>正在等待第一帧画面…</translation>
    </message>
    <message>
        <location filename="../../desktop/live/camera_view.py" line="138"/>
        <source>{0} · {1} frames shown</source>
        <translation>{0} · 已显示 {1} 帧</translation>
    </message>
</context>
<context>
    <name>Cases</name>
    <message>
        <location filename="../../desktop/cases/controller.py" line="154"/>
        <source>&amp;Cases</source>
        <translation>案件(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="117"/>
        <source>&amp;Dispatch board</source>
        <translation>派遣看板(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="138"/>
        <source>&amp;Escalate overdue cases now</source>
        <translation>立即升级超时案件(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="129"/>
        <source>&amp;Report an event on the map</source>
        <translation>在地图上上报事件(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="41"/>
        <source>Accept</source>
        <translation>接单</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="18"/>
        <source>Accepted</source>
        <translation>已接单</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="51"/>
        <source>Add a note…</source>
        <translation>添加备注…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="177"/>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="163"/>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="111"/>
        <source>Attach photos</source>
        <translation>附加照片</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="97"/>
        <source>Attach photos…</source>
        <translation>附加照片…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="377"/>
        <source>Case {0}: {1}</source>
        <translation>案件 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="403"/>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="119"/>
        <source>Cases on the &amp;map</source>
        <translation>地图上的案件(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="152"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/board.py" line="111"/>
        <source>Cell {0}</source>
        <translation>网格 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="21"/>
        <source>Checked</source>
        <translation>已核查</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="134"/>
        <source>Click a place on the map to report an event there</source>
        <translation>在地图上点击事件发生地点进行上报</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="146"/>
        <source>Staff and department perf&amp;ormance…</source>
        <translation>人员与部门绩效(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="250"/>
        <source>Click where the event is (Esc: cancel)</source>
        <translation>点击事件发生地点（Esc 取消）</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="22"/>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="35"/>
        <source>Closed today</source>
        <translation>今日结案</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="47"/>
        <source>Close…</source>
        <translation>结案…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="58"/>
        <source>Department</source>
        <translation>职能部门</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="161"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="88"/>
        <source>Dispatch board</source>
        <translation>派遣看板</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="17"/>
        <location filename="../../desktop/cases/texts.py" line="30"/>
        <source>Dispatched</source>
        <translation>已派遣</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="39"/>
        <source>Dispatch…</source>
        <translation>派遣…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="24"/>
        <location filename="../../desktop/cases/texts.py" line="34"/>
        <source>Escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="49"/>
        <source>Escalate…</source>
        <translation>升级…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/board.py" line="127"/>
        <source>Escalation level {0}</source>
        <translation>升级第 {0} 级</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="427"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="311"/>
        <source>Event {0} recorded; case {1} opened</source>
        <translation>事件 {0} 已登记；已立案 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="307"/>
        <source>Event {0} recorded; proposed for case {1} ({2:.0f} m away)</source>
        <translation>事件 {0} 已登记；疑似与案件 {1} 重复（相距 {2:.0f} 米）</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="46"/>
        <source>Fail the check…</source>
        <translation>核查不通过…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="51"/>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="113"/>
        <location filename="../../desktop/cases/dialogs.py" line="179"/>
        <source>Images (*.jpg *.jpeg *.png);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="19"/>
        <location filename="../../desktop/cases/texts.py" line="31"/>
        <source>In progress</source>
        <translation>处置中</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="465"/>
        <source>Month (YYYY-MM):</source>
        <translation>月份（YYYY-MM）：</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="142"/>
        <source>Monthly &amp;performance report…</source>
        <translation>月度绩效报告(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="464"/>
        <source>Monthly performance report</source>
        <translation>月度绩效报告</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="92"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/board.py" line="207"/>
        <source>Nothing you may do on this case now</source>
        <translation>您目前不能对此案件操作</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/board.py" line="117"/>
        <source>Overdue by {0:.1f} h</source>
        <translation>超时 {0:.1f} 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="474"/>
        <source>PDF (*.pdf);;CSV for Excel (*.csv)</source>
        <translation>PDF (*.pdf);;Excel 用 CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="45"/>
        <source>Pass the check</source>
        <translation>核查通过</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="62"/>
        <source>Patrol finding</source>
        <translation>巡查发现</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="150"/>
        <source>Re&amp;fresh cases</source>
        <translation>刷新案件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="90"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="40"/>
        <source>Reassign…</source>
        <translation>改派…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="52"/>
        <source>Record feedback…</source>
        <translation>记录回访…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="25"/>
        <source>Reopened</source>
        <translation>已重启</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="48"/>
        <source>Reopen…</source>
        <translation>重启…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="144"/>
        <source>Report an event</source>
        <translation>上报事件</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="515"/>
        <source>Report written: {0}</source>
        <translation>报告已保存：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="15"/>
        <source>Reported</source>
        <translation>已上报</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="61"/>
        <source>Resident report</source>
        <translation>居民上报</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="84"/>
        <source>Resident&apos;s comment</source>
        <translation>居民意见</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="79"/>
        <source>Resident&apos;s satisfaction (1–5)</source>
        <translation>居民满意度（1–5）</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="20"/>
        <source>Resolved</source>
        <translation>已处置</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="44"/>
        <source>Resolved…</source>
        <translation>处置完毕…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="50"/>
        <source>Resume…</source>
        <translation>督办后继续…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="23"/>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="42"/>
        <source>Return…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="472"/>
        <location filename="../../desktop/cases/performance.py" line="214"/>
        <source>Save the report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/board.py" line="74"/>
        <source>Select a case to see its log.</source>
        <translation>选择一个案件查看其流转记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/board.py" line="211"/>
        <source>Show on the map</source>
        <translation>在地图上显示</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="123"/>
        <source>Show open cases on the map, coloured by state and time limit</source>
        <translation>在地图上显示未结案件，按状态和时限着色</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="387"/>
        <source>Someone else changed this case meanwhile; nothing was written.
{0}</source>
        <translation>其他人已同时修改了此案件，本次操作未写入。
{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="157"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="43"/>
        <source>Start work</source>
        <translation>开始处置</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="32"/>
        <source>To check</source>
        <translation>待核查</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="33"/>
        <source>To close</source>
        <translation>待结案</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="29"/>
        <source>To dispatch</source>
        <translation>待派遣</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="28"/>
        <source>To verify</source>
        <translation>待核实</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="16"/>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="38"/>
        <source>Verify</source>
        <translation>核实</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="146"/>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="57"/>
        <source>due soon</source>
        <translation>即将超时</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="55"/>
        <source>no time limit</source>
        <translation>无时限</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="76"/>
        <source>not asked</source>
        <translation>未回访</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="56"/>
        <source>on time</source>
        <translation>未超时</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/texts.py" line="58"/>
        <source>overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/board.py" line="123"/>
        <source>{0:.1f} h left</source>
        <translation>剩余 {0:.1f} 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/dialogs.py" line="116"/>
        <location filename="../../desktop/cases/dialogs.py" line="183"/>
        <source>{0} file(s)</source>
        <translation>{0} 个文件</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/controller.py" line="231"/>
        <source>{0} overdue case(s) escalated</source>
        <translation>已升级 {0} 件超时案件</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/board.py" line="131"/>
        <source>{0} possible duplicate(s) to confirm</source>
        <translation>{0} 条疑似重复待确认</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="39"/>
        <source>Grid workers</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="40"/>
        <source>Departments</source>
        <translation>职能部门</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="41"/>
        <source>Grid cells</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="45"/>
        <source>Cases handled</source>
        <translation>办理案件数</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="46"/>
        <source>Steps within time limits (%)</source>
        <translation>按时办理环节占比（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="47"/>
        <source>Median time per step (h)</source>
        <translation>环节用时中位数（小时）</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="48"/>
        <source>Closed on first check (%)</source>
        <translation>一次核查通过结案占比（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="49"/>
        <source>Reopened (%)</source>
        <translation>重新打开占比（%）</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="50"/>
        <source>Satisfaction (1–5)</source>
        <translation>满意度（1–5）</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="84"/>
        <source>Staff and department performance</source>
        <translation>人员与部门绩效</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="103"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="105"/>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="107"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="112"/>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="114"/>
        <source>By:</source>
        <translation>按：</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="144"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="159"/>
        <source>Computing {0}…</source>
        <translation>正在计算 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="168"/>
        <source>{0}: {1} case(s) handled, {2} closed, {3} step(s)</source>
        <translation>{0}：办理 {1} 件，结案 {2} 件，{3} 个环节</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="209"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/cases/performance.py" line="210"/>
        <source>CSV for Excel (*.csv)</source>
        <translation>CSV（Excel 用）(*.csv)</translation>
    </message>
</context>
<context>
    <name>ColorButton</name>
    <message>
        <location filename="../../desktop/style_dialog.py" line="92"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>Fusion</name>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="28"/>
        <location filename="../../desktop/fusion/review_panel.py" line="69"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="30"/>
        <location filename="../../desktop/fusion/review_panel.py" line="73"/>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="31"/>
        <source>Completeness</source>
        <translation>完整率</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="32"/>
        <source>Validity</source>
        <translation>有效率</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="33"/>
        <source>Duplicates</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="34"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="35"/>
        <source>Age (days)</source>
        <translation>数据时效（天）</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="36"/>
        <source>Score</source>
        <translation>质量评分</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="38"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="39"/>
        <source>Household number</source>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="40"/>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="41"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="42"/>
        <source>Possible match</source>
        <translation>疑似同一对象</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="68"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="29"/>
        <location filename="../../desktop/fusion/review_panel.py" line="70"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="71"/>
        <source>Extracted on</source>
        <translation>提取日期</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="72"/>
        <source>Trust</source>
        <translation>可信度</translation>
    </message>
</context>
<context>
    <name>FusionController</name>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="51"/>
        <source>Conflict review</source>
        <translation>冲突审核</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="54"/>
        <source>Data quality</source>
        <translation>数据质量</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="78"/>
        <source>Data &amp;fusion</source>
        <translation>数据融合(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="81"/>
        <source>Conflict &amp;review…</source>
        <translation>冲突审核(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="83"/>
        <source>Conflicts between sources that no rule settles</source>
        <translation>各来源间无法由规则自动裁决的冲突</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="85"/>
        <source>Data &amp;quality per grid cell</source>
        <translation>网格数据质量图层(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="88"/>
        <source>&amp;Export the quality table (CSV)…</source>
        <translation>导出数据质量表（CSV）(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="91"/>
        <source>Re-&amp;link the imported records</source>
        <translation>重新关联已导入记录(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="112"/>
        <source>Data fusion</source>
        <translation>数据融合</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="112"/>
        <source>Open a store first (File → Open store).</source>
        <translation>请先打开数据库（文件 → 打开数据库）。</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="174"/>
        <source>Loading the review queue…</source>
        <translation>正在加载审核队列…</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="179"/>
        <source>Could not load the review queue</source>
        <translation>无法加载审核队列</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="193"/>
        <source>Locating…</source>
        <translation>正在定位…</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="199"/>
        <source>No building or grid cell known for this entity.</source>
        <translation>该对象没有已知的建筑或网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="207"/>
        <source>On the map: {0} {1}</source>
        <translation>地图上：{0} {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="213"/>
        <source>Could not locate the entity</source>
        <translation>无法在地图上定位该对象</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="225"/>
        <location filename="../../desktop/fusion/controller.py" line="336"/>
        <source>Not allowed</source>
        <translation>无权操作</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="228"/>
        <source>Saving the decision…</source>
        <translation>正在保存审核决定…</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="238"/>
        <source>Decision on #{0} saved; it will be applied again on re-import.</source>
        <translation>#{0} 的审核决定已保存；重新导入时将再次应用。</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="246"/>
        <source>Could not save the decision</source>
        <translation>无法保存审核决定</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="256"/>
        <source>Could not show the values</source>
        <translation>无法显示完整值</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="267"/>
        <source>Linking the records…</source>
        <translation>正在关联记录…</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="277"/>
        <source>Linked: {0}</source>
        <translation>已关联：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="280"/>
        <source>Could not link the records</source>
        <translation>无法关联记录</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="293"/>
        <source>Could not compute the data-quality report</source>
        <translation>无法计算数据质量报告</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="310"/>
        <source>Data quality (score per grid cell)</source>
        <translation>数据质量（网格评分）</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="323"/>
        <source>Export the quality table</source>
        <translation>导出数据质量表</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="346"/>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/controller.py" line="347"/>
        <source>Could not export the quality table</source>
        <translation>无法导出数据质量表</translation>
    </message>
</context>
<context>
    <name>GridEditing</name>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="120"/>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="191"/>
        <source>&amp;Add vertex</source>
        <translation>添加顶点(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="210"/>
        <source>&amp;Create cell</source>
        <translation>新建网格(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="195"/>
        <source>&amp;Delete vertex</source>
        <translation>删除顶点(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="171"/>
        <source>&amp;Edit grid cells</source>
        <translation>编辑网格(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="183"/>
        <source>&amp;Move vertex or edge</source>
        <translation>移动顶点或边(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="199"/>
        <source>&amp;Split cell</source>
        <translation>拆分网格(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="210"/>
        <source>(and {0} more)</source>
        <translation>（另有 {0} 处）</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="77"/>
        <source>A cell would be narrower than the minimum width somewhere.</source>
        <translation>网格某处会窄于最小宽度。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="76"/>
        <source>A cell would be smaller than the minimum area.</source>
        <translation>网格面积会小于最小面积。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="63"/>
        <source>A cell would fall apart into pieces or vanish.</source>
        <translation>网格会断成几块或消失。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="70"/>
        <source>A cell would reach outside the community boundary.</source>
        <translation>网格会超出社区边界。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="62"/>
        <source>A cell&apos;s outline would cross itself.</source>
        <translation>网格的边线会自相交叉。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="166"/>
        <location filename="../../desktop/grid_editing/messages.py" line="171"/>
        <source>A gap of {area} m² would open between cells.</source>
        <translation>网格之间会出现 {area} 平方米的空隙。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="69"/>
        <source>A gap would open between cells.</source>
        <translation>网格之间会出现空隙。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="80"/>
        <source>A new cell edge cuts a building in two.</source>
        <translation>新的网格边线把一栋建筑切成了两半。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/attributes.py" line="43"/>
        <source>A new cell. Its code {0} is proposed (the next free one of the community); give it a name and a grid worker.</source>
        <translation>这是新网格。建议编码为 {0}（本社区下一个未用编码）；请填写名称和网格员。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="324"/>
        <source>A value of cell {code} is longer than {limit} characters.</source>
        <translation>网格 {code} 的某项属性超过 {limit} 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="32"/>
        <source>Add vertex</source>
        <translation>添加顶点</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="281"/>
        <source>An added piece of the boundary touches no cell.</source>
        <translation>边界新增的部分不与任何网格相邻。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="85"/>
        <source>An attribute value is not acceptable.</source>
        <translation>有属性值不符合要求。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="406"/>
        <source>Area (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/attributes.py" line="38"/>
        <source>Attributes of cell {0}</source>
        <translation>网格 {0} 的属性</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="49"/>
        <source>Building corners</source>
        <translation>建筑角点</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="36"/>
        <source>Buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="40"/>
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="231"/>
        <source>Cell &amp;history…</source>
        <translation>网格历史(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="225"/>
        <source>Cell a&amp;ttributes…</source>
        <translation>网格属性(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="309"/>
        <source>Cell code {code} is already used by another cell.</source>
        <translation>网格编码 {code} 已被其他网格使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="301"/>
        <source>Cell code “{code}” does not start with the community code {community_code}.</source>
        <translation>网格编码“{code}”没有以社区编码 {community_code} 开头。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="293"/>
        <source>Cell code “{code}” is not of the form 610402-001-03 (district-community-number).</source>
        <translation>网格编码“{code}”不符合 610402-001-03 的格式（区县-社区-序号）。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="48"/>
        <source>Cell edges</source>
        <translation>网格边</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="47"/>
        <source>Cell vertices</source>
        <translation>网格顶点</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="314"/>
        <source>Cell {code} needs a name.</source>
        <translation>网格 {code} 需要名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="235"/>
        <source>Cell {code} shares no edge with the others.</source>
        <translation>网格 {code} 与其他网格没有公共边。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="191"/>
        <source>Cell {code} would be narrower than {min_width} m here.</source>
        <translation>网格 {code} 在此处会窄于 {min_width} 米。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="184"/>
        <source>Cell {code} would be {area} m², less than the minimum {min_area} m².</source>
        <translation>网格 {code} 面积将为 {area} 平方米，小于最小面积 {min_area} 平方米。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="133"/>
        <source>Cell {code} would fall apart into {n} pieces.</source>
        <translation>网格 {code} 会断成 {n} 块。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="196"/>
        <source>Cell {code} would reach outside the community boundary.</source>
        <translation>网格 {code} 会超出社区边界。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="138"/>
        <source>Cell {code} would vanish.</source>
        <translation>网格 {code} 会消失。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="161"/>
        <source>Cells would overlap by {area} m².</source>
        <translation>网格会重叠 {area} 平方米。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="66"/>
        <source>Cells would overlap, or a shared edge would no longer match.</source>
        <translation>网格会相互重叠，或公共边不再吻合。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="153"/>
        <source>Cells {codes} would overlap, or their shared edge would no longer match.</source>
        <translation>网格 {codes} 会相互重叠，或它们的公共边不再吻合。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="101"/>
        <source>Centre the map on the problem</source>
        <translation>把地图移到问题所在处</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="401"/>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="282"/>
        <source>Change cell: {0}</source>
        <translation>改变所属网格：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="130"/>
        <source>Changes of cell when saved:</source>
        <translation>保存后所属网格变化：</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="230"/>
        <source>Choose at least two cells to merge.</source>
        <translation>请至少选择两个要合并的网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="192"/>
        <source>Click a cell edge to add a vertex to it</source>
        <translation>单击网格边，在该处添加顶点</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="226"/>
        <source>Click a cell to edit its code, name, grid worker and supervisor</source>
        <translation>单击网格，编辑其编码、名称、网格员和负责人</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="232"/>
        <source>Click a cell to see its versions and restore one</source>
        <translation>单击网格，查看其历史版本并恢复其中之一</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="207"/>
        <source>Click a cell, then a neighbour: they become one</source>
        <translation>先单击一个网格，再单击相邻网格：两者合并为一</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="200"/>
        <source>Click a line across a cell from edge to edge; double-click or Enter splits</source>
        <translation>单击画一条从边到边穿过网格的线；双击或按回车拆分</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="218"/>
        <source>Click a line from the community boundary out (or in) and back to it; the cells along it follow</source>
        <translation>从社区边界向外（或向内）单击画线再回到边界；沿线网格随之调整</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="196"/>
        <source>Click a vertex to remove it from every cell</source>
        <translation>单击顶点，将其从所有网格中删除</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="211"/>
        <source>Click an outline inside a cell; double-click or Enter makes it a new cell</source>
        <translation>在网格内单击画出轮廓；双击或按回车生成新网格</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/attributes.py" line="54"/>
        <location filename="../../desktop/grid_editing/panel.py" line="405"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="543"/>
        <source>Could not load the grid cells: {0}</source>
        <translation>无法加载网格：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="141"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="36"/>
        <source>Create cell</source>
        <translation>新建网格</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/controller.py" line="248"/>
        <source>Cut buildings?</source>
        <translation>切分建筑？</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="33"/>
        <source>Delete vertex</source>
        <translation>删除顶点</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/controller.py" line="277"/>
        <location filename="../../desktop/grid_editing/panel.py" line="158"/>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="258"/>
        <source>Discard grid edits</source>
        <translation>放弃网格编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="363"/>
        <source>Grid edits are recorded under your account: {0}</source>
        <translation>网格编辑以您的账户记录：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="426"/>
        <location filename="../../desktop/grid_editing/window.py" line="600"/>
        <source>Discard them</source>
        <translation>放弃这些编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="184"/>
        <source>Drag a vertex or an edge: every cell that shares it follows. Double-click an edge to add a vertex, right-click a vertex to delete it.</source>
        <translation>拖动顶点或边：共用它的所有网格随之移动。双击边可添加顶点，右击顶点可删除。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="206"/>
        <source>Draw a line of at least two points.</source>
        <translation>请画至少两个点的线。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="240"/>
        <source>Draw an outline of at least three points.</source>
        <translation>请画至少三个点的轮廓。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="250"/>
        <source>Draw the new cell inside a cell.</source>
        <translation>请在一个网格内部画新网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="268"/>
        <source>Edit &amp;grid</source>
        <translation>网格编辑(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="38"/>
        <source>Edit cell attributes</source>
        <translation>编辑网格属性</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="254"/>
        <source>Editing the {0} cells of community {1} as {2}</source>
        <translation>正在编辑社区 {1} 的 {0} 个网格，编辑者：{2}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="535"/>
        <source>Editing {0} grid cells</source>
        <translation>正在编辑 {0} 个网格</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="403"/>
        <source>Editor</source>
        <translation>编辑者</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="264"/>
        <source>Editor &amp;name…</source>
        <translation>编辑者姓名(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="451"/>
        <source>{0} unsaved grid edit(s) by {1} wait in this store&apos;s journal (last edit {2}). Your role may not edit the grid: a grid supervisor or an administrator can log in and restore or discard them.</source>
        <translation>{1} 有 {0} 条未保存的网格编辑留在此数据库的编辑日志中（最后一次编辑：{2}）。您的角色无权编辑网格：请网格督导员或系统管理员登录后恢复或丢弃。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="619"/>
        <source>Editor name</source>
        <translation>编辑者姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="324"/>
        <source>Edits discarded.</source>
        <translation>编辑已放弃。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="38"/>
        <source>Enterprises</source>
        <translation>法人单位</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="39"/>
        <source>Facilities</source>
        <translation>公共设施</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="139"/>
        <source>From cell</source>
        <translation>原网格</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/controller.py" line="253"/>
        <source>Go ahead and cut them?</source>
        <translation>仍然继续切分吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="104"/>
        <location filename="../../desktop/grid_editing/window.py" line="144"/>
        <location filename="../../desktop/grid_editing/window.py" line="290"/>
        <location filename="../../desktop/grid_editing/window.py" line="542"/>
        <source>Grid editing</source>
        <translation>网格编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="658"/>
        <source>Grid edits saved: {0} cell(s) have a new version.</source>
        <translation>网格编辑已保存：{0} 个网格生成了新版本。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/attributes.py" line="56"/>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/attributes.py" line="57"/>
        <source>Grid worker phone</source>
        <translation>网格员电话</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="394"/>
        <source>History of cell {0}</source>
        <translation>网格 {0} 的历史</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="603"/>
        <source>Keep for later</source>
        <translation>留待以后</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="418"/>
        <source>Last edit: {0}. Edits: {1}</source>
        <translation>最后一次编辑：{0}。编辑：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/controller.py" line="279"/>
        <location filename="../../desktop/grid_editing/window.py" line="428"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="232"/>
        <source>Loading buildings and streets for snapping…</source>
        <translation>正在加载用于捕捉的建筑和道路…</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="520"/>
        <source>Loading the grid cells…</source>
        <translation>正在加载网格…</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="206"/>
        <source>Me&amp;rge cells</source>
        <translation>合并网格(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="35"/>
        <source>Merge cells</source>
        <translation>合并网格</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="31"/>
        <source>Move edge</source>
        <translation>移动边</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="30"/>
        <source>Move vertex</source>
        <translation>移动顶点</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/attributes.py" line="55"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="275"/>
        <source>No pending edits.</source>
        <translation>没有待保存的编辑。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="246"/>
        <source>Not editing. Choose Edit grid → Edit grid cells.</source>
        <translation>未在编辑。请选择 网格编辑 → 编辑网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="168"/>
        <source>Not saved: conflict</source>
        <translation>未保存：冲突</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="344"/>
        <source>Not saved: someone else changed these cells since you opened them:</source>
        <translation>未保存：在你打开之后，他人修改了这些网格：</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="648"/>
        <source>Not saved: someone else changed these cells since you opened them: {0}</source>
        <translation>未保存：在你打开之后，他人修改了这些网格：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="278"/>
        <source>Nothing changes cell.</source>
        <translation>没有对象改变所属网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="44"/>
        <source>Open alarms</source>
        <translation>未解除报警</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="42"/>
        <source>Open events</source>
        <translation>未办结事件</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="176"/>
        <source>Part of the cell&apos;s present area would belong to no cell.</source>
        <translation>该网格现有范围的一部分将不属于任何网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="43"/>
        <source>Readings</source>
        <translation>读数</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="404"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="154"/>
        <source>Reason for the change</source>
        <translation>调整原因</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="86"/>
        <location filename="../../desktop/grid_editing/window.py" line="248"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="184"/>
        <source>Reload their changes and redo mine</source>
        <translation>载入对方的修改并重做我的编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="217"/>
        <source>Reshape &amp;boundary</source>
        <translation>调整社区边界(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="37"/>
        <source>Reshape boundary</source>
        <translation>调整社区边界</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="37"/>
        <source>Residents</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/controller.py" line="275"/>
        <location filename="../../desktop/grid_editing/window.py" line="423"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="436"/>
        <source>Restore this version</source>
        <translation>恢复此版本</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="39"/>
        <source>Restore version</source>
        <translation>恢复版本</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="51"/>
        <source>Restore version {0}</source>
        <translation>恢复版本 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="143"/>
        <source>Restoring this version would swallow cell {code}.</source>
        <translation>恢复此版本会吞掉网格 {code}。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="252"/>
        <source>Sa&amp;ve grid edits</source>
        <translation>保存网格编辑(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="157"/>
        <location filename="../../desktop/grid_editing/window.py" line="598"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="255"/>
        <source>Save the pending edits as new versions of the cells</source>
        <translation>把待保存的编辑保存为网格的新版本</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="315"/>
        <source>Saved: {0} cell(s) have a new version</source>
        <translation>已保存：{0} 个网格生成了新版本</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="41"/>
        <source>Sensors</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="99"/>
        <source>Show</source>
        <translation>定位</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="181"/>
        <source>Show on map</source>
        <translation>在地图上显示</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="109"/>
        <source>Snapping</source>
        <translation>捕捉</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="236"/>
        <source>Snapping to buildings and streets is ready.</source>
        <translation>已可捕捉建筑和道路。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="369"/>
        <source>Some of your edits no longer fit and were dropped:</source>
        <translation>你的部分编辑已不适用，已被舍弃：</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="34"/>
        <source>Split cell</source>
        <translation>拆分网格</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="174"/>
        <source>Start or stop editing the grid cells of the community in the middle of the map</source>
        <translation>开始或结束编辑地图中央所在社区的网格</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="50"/>
        <source>Streets</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/attributes.py" line="58"/>
        <source>Supervisor</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="273"/>
        <source>The boundary would not change: draw from the boundary out (or in) and back to it.</source>
        <translation>边界不会改变：请从边界向外（或向内）画出，再回到边界。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="84"/>
        <source>The cell code is malformed or already used.</source>
        <translation>网格编码格式不对或已被使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="112"/>
        <source>The cell no longer exists.</source>
        <translation>该网格已不存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="83"/>
        <source>The cells do not share an edge.</source>
        <translation>这些网格没有公共边。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="342"/>
        <source>The community boundary was changed.</source>
        <translation>社区边界已被修改。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="81"/>
        <source>The drawn line does not cut the cell.</source>
        <translation>所画的线没有切开网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="245"/>
        <source>The drawn outline crosses itself.</source>
        <translation>所画的轮廓自相交叉。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="82"/>
        <source>The drawn outline is not a usable polygon.</source>
        <translation>所画的轮廓不是有效的多边形。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="86"/>
        <source>The edit was made on a different state of the cells.</source>
        <translation>该编辑基于网格的另一状态，已不适用。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="211"/>
        <source>The line crosses no cell.</source>
        <translation>这条线没有穿过任何网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="216"/>
        <source>The line crosses several cells; split one cell at a time.</source>
        <translation>这条线穿过了多个网格；请一次只拆分一个网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="223"/>
        <source>The line does not cut the cell in two: draw it from edge to edge.</source>
        <translation>这条线没有把网格切成两部分：请从一条边画到另一条边。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="268"/>
        <source>The new boundary is not a valid outline.</source>
        <translation>新边界不是有效的轮廓。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="376"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="73"/>
        <location filename="../../desktop/grid_editing/messages.py" line="286"/>
        <source>The new boundary would overlap a neighbouring community.</source>
        <translation>新边界会与相邻社区重叠。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/controller.py" line="249"/>
        <source>The new cell edge cuts these buildings in two:</source>
        <translation>新的网格边线会把以下建筑切成两半：</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="201"/>
        <source>The new cell edge cuts {label} in two.</source>
        <translation>新的网格边线把 {label} 切成了两半。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="255"/>
        <source>The new cell must lie inside cell {code}.</source>
        <translation>新网格必须位于网格 {code} 之内。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="260"/>
        <source>The new cell would take all of cell {code}; edit its attributes instead.</source>
        <translation>新网格会占据网格 {code} 的全部范围；请改为编辑它的属性。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="148"/>
        <source>The outline of cell {code} would cross itself.</source>
        <translation>网格 {code} 的边线会自相交叉。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="440"/>
        <source>The unsaved grid edits were discarded.</source>
        <translation>未保存的网格编辑已放弃。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="375"/>
        <source>Their changes are loaded and your {0} edit(s) redone on them.</source>
        <translation>已载入对方的修改，并在其上重做了你的 {0} 处编辑。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="107"/>
        <source>There is already a vertex here.</source>
        <translation>此处已有顶点。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="102"/>
        <source>There is no cell edge here.</source>
        <translation>此处没有网格边。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="97"/>
        <source>There is no cell vertex here.</source>
        <translation>此处没有网格顶点。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="57"/>
        <source>There is nothing to edit here.</source>
        <translation>此处没有可编辑的内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="125"/>
        <source>This edge is on the community boundary; use “Reshape boundary” to move it.</source>
        <translation>此边位于社区边界上；请用“调整社区边界”移动它。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="58"/>
        <source>This vertex or edge lies on the community boundary; use “Reshape boundary” to move it.</source>
        <translation>此顶点或边位于社区边界上；请用“调整社区边界”移动它。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="117"/>
        <source>This vertex shapes the community boundary; use “Reshape boundary” to change it.</source>
        <translation>此顶点决定社区边界的形状；请用“调整社区边界”修改它。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="140"/>
        <source>To cell</source>
        <translation>新网格</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="123"/>
        <source>Tolerance</source>
        <translation>容差</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="85"/>
        <location filename="../../desktop/grid_editing/window.py" line="245"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="261"/>
        <source>Undo every pending edit</source>
        <translation>撤销全部待保存的编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/controller.py" line="267"/>
        <location filename="../../desktop/grid_editing/window.py" line="409"/>
        <location filename="../../desktop/grid_editing/window.py" line="484"/>
        <location filename="../../desktop/grid_editing/window.py" line="591"/>
        <source>Unsaved grid edits</source>
        <translation>未保存的网格编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="400"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="138"/>
        <source>What</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="402"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="620"/>
        <source>Your name, recorded with every saved grid edit:</source>
        <translation>你的姓名，将随每次保存的网格编辑一起记录：</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="350"/>
        <source>Your unsaved grid edits stay in the previous store&apos;s journal; they are offered when you open it again.</source>
        <translation>未保存的网格编辑保留在原数据库的日志中，再次打开该数据库时会提示恢复。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="372"/>
        <source>cells {0}</source>
        <translation>网格 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="55"/>
        <source>created</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="56"/>
        <source>deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="54"/>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="177"/>
        <source>mine (not saved)</source>
        <translation>我的（未保存）</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="375"/>
        <source>near x {0}, y {1}</source>
        <translation>坐标约 x {0}，y {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="53"/>
        <source>original</source>
        <translation>原始</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="57"/>
        <source>restored</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="329"/>
        <source>someone</source>
        <translation>他人</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="175"/>
        <source>theirs (saved by the other editor)</source>
        <translation>对方的（另一编辑者已保存）</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="383"/>
        <source>{0} (where: {1})</source>
        <translation>{0}（位置：{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="593"/>
        <source>{0} grid edit(s) are not saved. Save them now?</source>
        <translation>有 {0} 处网格编辑未保存。现在保存吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="411"/>
        <source>{0} grid edit(s) from an earlier session were not saved (Zhiwang was closed before saving them). Restore them?</source>
        <translation>上次会话中有 {0} 处网格编辑未保存（织网在保存前被关闭）。要恢复吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/controller.py" line="269"/>
        <source>{0} grid edit(s) from an earlier session were not saved. Restore them?</source>
        <translation>上次会话中有 {0} 处网格编辑未保存。要恢复吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="485"/>
        <source>{0} of {1} edits were restored; the next no longer fits the cells as they are now and was dropped with the ones after it: {2}</source>
        <translation>已恢复 {1} 处编辑中的 {0} 处；下一处已不适用于现在的网格，它及其后的编辑已被舍弃：{2}</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="317"/>
        <source>{0} row(s) re-assigned.</source>
        <translation>{0} 条记录重新划分了网格。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/window.py" line="497"/>
        <source>{0} unsaved grid edit(s) restored.</source>
        <translation>已恢复 {0} 处未保存的网格编辑。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="337"/>
        <source>{0}: changed by {1} {2} (version {3})</source>
        <translation>{0}：已被 {1} 于 {2} 修改（版本 {3}）</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/panel.py" line="333"/>
        <source>{0}: deleted by {1} {2}</source>
        <translation>{0}：已被 {1} 于 {2} 删除</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/messages.py" line="319"/>
        <source>“{phone}” is not a phone number.</source>
        <translation>“{phone}”不是电话号码。</translation>
    </message>
    <message>
        <location filename="../../desktop/grid_editing/controller.py" line="245"/>
        <source>… and {0} more</source>
        <translation>……另有 {0} 栋</translation>
    </message>
</context>
<context>
    <name>IdentifyPanel</name>
    <message>
        <location filename="../../desktop/identify_panel.py" line="47"/>
        <location filename="../../desktop/identify_panel.py" line="117"/>
        <source>Click a feature on the map to see its attributes.</source>
        <translation>在地图上点击要素以查看其属性。</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="51"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="97"/>
        <source>Nothing found for “{0}”</source>
        <translation>未找到“{0}”</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="114"/>
        <source>Nothing here. Click a feature on the map to see its attributes.</source>
        <translation>此处没有要素。在地图上点击要素以查看其属性。</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="153"/>
        <source>Residents: the first {0} of {1}</source>
        <translation>住户：前 {0} 人（共 {1} 人）</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="155"/>
        <source>Residents: {0}</source>
        <translation>住户：{0} 人</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="158"/>
        <source>Resident #{0}</source>
        <translation>住户 #{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="186"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="188"/>
        <source>Show the full value; this is recorded in the audit log</source>
        <translation>显示完整信息；此操作将记入审计日志</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="217"/>
        <source>Shown</source>
        <translation>已显示</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="219"/>
        <source>Unmasked; recorded in the audit log</source>
        <translation>已显示完整信息，已记入审计日志</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="43"/>
        <location filename="../../desktop/identify_panel.py" line="102"/>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="93"/>
        <source>Search results for “{0}”: {1}</source>
        <translation>“{0}”的搜索结果：{1} 条</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="51"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="144"/>
        <source>{0} #{1}</source>
        <translation>{0} #{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/identify_panel.py" line="123"/>
        <source>{0}: loading…</source>
        <translation>{0}：加载中…</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <location filename="../../desktop/layer_panel.py" line="132"/>
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <location filename="../../desktop/layer_panel.py" line="139"/>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location filename="../../desktop/layer_panel.py" line="77"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../desktop/layer_panel.py" line="128"/>
        <source>Style…</source>
        <translation>样式…</translation>
    </message>
    <message>
        <location filename="../../desktop/layer_panel.py" line="130"/>
        <source>Zoom to layer</source>
        <translation>缩放到图层</translation>
    </message>
</context>
<context>
    <name>Live</name>
    <message>
        <location filename="../../desktop/live/texts.py" line="33"/>
        <source>Smoke detector</source>
        <translation>烟感探测器</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="34"/>
        <source>Bin fill level</source>
        <translation>垃圾桶满溢</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="35"/>
        <source>Door contact</source>
        <translation>门磁</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="36"/>
        <source>Water level</source>
        <translation>水位</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="37"/>
        <source>Air quality</source>
        <translation>空气质量</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="38"/>
        <source>Gas detector</source>
        <translation>燃气探测器</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="39"/>
        <source>Manhole cover</source>
        <translation>井盖</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="42"/>
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="43"/>
        <source>warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="44"/>
        <source>alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="45"/>
        <source>stale</source>
        <translation>数据过期</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="46"/>
        <location filename="../../desktop/live/texts.py" line="51"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="49"/>
        <source>live</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="50"/>
        <source>stale frame</source>
        <translation>画面停滞</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="54"/>
        <source>info</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="55"/>
        <source>minor</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="56"/>
        <source>major</source>
        <translation>重要</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="57"/>
        <source>critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="60"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="61"/>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="62"/>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="63"/>
        <source>reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="64"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="67"/>
        <source>No data from the device</source>
        <translation>设备无数据</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="68"/>
        <source>Door open at night</source>
        <translation>夜间门未关</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="69"/>
        <source>Bin overflowing (camera)</source>
        <translation>垃圾满溢（摄像头）</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="70"/>
        <source>Motion (camera)</source>
        <translation>移动侦测（摄像头）</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="73"/>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="74"/>
        <source>guarded</source>
        <translation>较低</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="75"/>
        <source>elevated</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="76"/>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="77"/>
        <source>severe</source>
        <translation>极高</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="80"/>
        <source>fire hazard</source>
        <translation>消防隐患</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="81"/>
        <source>gas leak</source>
        <translation>燃气泄漏</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="82"/>
        <source>structural danger</source>
        <translation>房屋险情</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="83"/>
        <source>flooding</source>
        <translation>积水内涝</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="84"/>
        <source>facility damage</source>
        <translation>设施损坏</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="85"/>
        <source>high-rise littering</source>
        <translation>高空抛物</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="86"/>
        <source>illegal construction</source>
        <translation>违章搭建</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="87"/>
        <source>garbage</source>
        <translation>垃圾堆放</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="90"/>
        <source>elderly living alone</source>
        <translation>独居老人</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="91"/>
        <source>disabled</source>
        <translation>残疾人</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="127"/>
        <source>{0} above its alarm threshold</source>
        <translation>{0}超过告警阈值</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="141"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="143"/>
        <source>{0} {1}</source>
        <translation>{1} {0} 人</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="145"/>
        <source>{0} × {1}</source>
        <translation>{1} {0} 起</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="163"/>
        <source>Alarms in the last day: {0} ({1} still active) → +{2}</source>
        <translation>近一天告警：{0}（{1} 条仍在告警）→ +{2}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="169"/>
        <source>Open hazards: {0} → +{1}</source>
        <translation>未办结隐患：{0} → +{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="175"/>
        <source>Vulnerable residents: {0} → +{1}</source>
        <translation>重点关爱人员：{0} → +{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/texts.py" line="181"/>
        <source>{0} vulnerable residents near alarming sensors {1} → +{2}</source>
        <translation>{0} 名重点关爱人员在告警设备 {1} 附近 → +{2}</translation>
    </message>
</context>
<context>
    <name>LiveInfoPanel</name>
    <message>
        <location filename="../../desktop/live/info_panel.py" line="22"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../desktop/live/info_panel.py" line="34"/>
        <source>History…</source>
        <translation>历史曲线…</translation>
    </message>
    <message>
        <location filename="../../desktop/live/info_panel.py" line="36"/>
        <source>Live view…</source>
        <translation>实时画面…</translation>
    </message>
    <message>
        <location filename="../../desktop/live/info_panel.py" line="84"/>
        <source>No picture yet</source>
        <translation>暂无画面</translation>
    </message>
</context>
<context>
    <name>LiveMonitor</name>
    <message>
        <location filename="../../desktop/live/controller.py" line="239"/>
        <source>Alarms</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="253"/>
        <source>&amp;Live monitoring</source>
        <translation>实时监控(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="258"/>
        <source>Start or stop live monitoring (MQTT sensors and cameras)</source>
        <translation>开始或停止实时监控（MQTT 传感器和摄像头）</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="263"/>
        <source>&amp;Alarm panel</source>
        <translation>告警面板(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="266"/>
        <source>&amp;Early-warning layer</source>
        <translation>预警图层(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="271"/>
        <source>Risk per grid cell from recent alarms, open hazards and vulnerable residents</source>
        <translation>按近期告警、未办结隐患和重点关爱人员计算各网格风险</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="274"/>
        <source>Live monitoring &amp;settings…</source>
        <translation>实时监控设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="278"/>
        <source>L&amp;ive</source>
        <translation>实时(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="287"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="318"/>
        <source>The new broker settings apply when live monitoring is started again.</source>
        <translation>新的消息服务器设置将在重新开始实时监控时生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="454"/>
        <source>Live monitoring could not start: {0}</source>
        <translation>实时监控无法启动：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="584"/>
        <source>Received {0} · Stored {1} · Quarantined {2} · Dropped {3}</source>
        <translation>接收 {0} · 入库 {1} · 隔离 {2} · 丢弃 {3}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="588"/>
        <source> · Missing {0}</source>
        <translation> · 缺失 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="590"/>
        <source> · store unreachable</source>
        <translation> · 数据库不可达</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="594"/>
        <source>Pending {0} · Duplicates {1} · Batches {2} · Last batch {3} ms</source>
        <translation>待处理 {0} · 重复 {1} · 批次 {2} · 上一批 {3} 毫秒</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="609"/>
        <source>MQTT: {0}</source>
        <translation>MQTT：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="639"/>
        <source>New alarm: {0}</source>
        <translation>新告警：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="695"/>
        <location filename="../../desktop/live/controller.py" line="700"/>
        <source>Alarm not changed</source>
        <translation>告警未更改</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="791"/>
        <source>State: {0}</source>
        <translation>状态：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="793"/>
        <source> · value {0} {1}</source>
        <translation> · 数值 {0} {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="800"/>
        <source>Last reading: {0}</source>
        <translation>最近读数：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="803"/>
        <source>Battery: {0} %</source>
        <translation>电量：{0}%</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="805"/>
        <source>Start live monitoring to see the current value.</source>
        <translation>开始实时监控后可查看当前数值。</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="809"/>
        <source>Thresholds: warning {0}, alarm {1}</source>
        <translation>阈值：预警 {0}，告警 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="816"/>
        <source>Alarm since {0}</source>
        <translation>告警开始于 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="825"/>
        <source>Camera {0}</source>
        <translation>摄像头 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="835"/>
        <source>Feed: {0}</source>
        <translation>视频流：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="837"/>
        <source>Motion seen</source>
        <translation>侦测到移动</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="839"/>
        <source>Bin overflowing</source>
        <translation>垃圾满溢</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="841"/>
        <source>No stream address for this camera</source>
        <translation>该摄像头没有视频流地址</translation>
    </message>
    <message>
        <location filename="../../desktop/live/controller.py" line="879"/>
        <source>Camera {0} has no stream address</source>
        <translation>摄像头 {0} 没有视频流地址</translation>
    </message>
</context>
<context>
    <name>LiveSettingsDialog</name>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="69"/>
        <source>Live monitoring settings</source>
        <translation>实时监控设置</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="75"/>
        <source>every community of the store</source>
        <translation>数据库中的所有社区</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="77"/>
        <source>the logged-in user</source>
        <translation>当前登录用户</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="80"/>
        <source>Only for a store without user accounts: after a login, acknowledgements are recorded under the account&apos;s user name.</source>
        <translation>仅用于没有用户账户的数据库：登录后，确认告警以登录账户的用户名记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="84"/>
        <source>Sound on new alarms</source>
        <translation>新告警时发出声音</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="86"/>
        <source>Start live monitoring when a store opens</source>
        <translation>打开数据库时自动开始实时监控</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="89"/>
        <source>none (motion only, no bin regions)</source>
        <translation>无（仅移动侦测，无垃圾桶区域）</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="92"/>
        <source>MQTT broker</source>
        <translation>MQTT 消息服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="93"/>
        <source>Community code</source>
        <translation>社区编码</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="94"/>
        <source>Operator</source>
        <translation>值班员</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="95"/>
        <source>Camera settings file</source>
        <translation>摄像头配置文件</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="111"/>
        <source>Not a broker URL: {0}</source>
        <translation>不是有效的消息服务器地址：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/settings_dialog.py" line="118"/>
        <source>Cannot read the camera settings: {0}</source>
        <translation>无法读取摄像头配置：{0}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../desktop/login_dialog.py" line="60"/>
        <source>This account is locked after {0} failed logins in a row. Try again in {1} minutes (after {2}), or ask an administrator to unlock it.</source>
        <translation>该账户因连续 {0} 次登录失败已被锁定。请在 {1} 分钟后（{2} 以后）再试，或请系统管理员解锁。</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="66"/>
        <source>Wrong user name or password. After {0} failed logins in a row the account is locked for {1} minutes.</source>
        <translation>用户名或密码错误。连续 {0} 次登录失败后，账户将被锁定 {1} 分钟。</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="86"/>
        <source>Log in — Zhiwang</source>
        <translation>登录 — 织网</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="88"/>
        <source>{0} has user accounts. Log in to open it.</source>
        <translation>{0} 启用了用户账户，请登录后打开。</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="96"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="97"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="106"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="107"/>
        <source>{0}/{1} ({2})</source>
        <translation>{0}/{1}（{2}）</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="112"/>
        <source>This is the demo store. Its public training accounts: {0}. The data are fictitious.</source>
        <translation>这是演示存储，公开的培训账户：{0}。其中的数据均为虚构。</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="134"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="158"/>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="169"/>
        <source>Logging in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/main_window.py" line="316"/>
        <source>&amp;About Zhiwang</source>
        <translation>关于织网(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="315"/>
        <source>&amp;Add bookmark…</source>
        <translation>添加书签(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="308"/>
        <source>&amp;Attribute table</source>
        <translation>属性表(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="360"/>
        <source>&amp;Bookmarks</source>
        <translation>书签(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="301"/>
        <source>&amp;Clear selection</source>
        <translation>清除选择(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="319"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/access.py" line="255"/>
        <location filename="../../desktop/analysis/controller.py" line="176"/>
        <location filename="../../desktop/fusion/controller.py" line="98"/>
        <location filename="../../desktop/main_window.py" line="362"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="346"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="357"/>
        <source>&amp;Layer</source>
        <translation>图层(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="253"/>
        <source>&amp;Open store…</source>
        <translation>打开数据库(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="271"/>
        <source>&amp;Print layout (PNG/PDF)…</source>
        <translation>打印版式(PNG/PDF)(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="277"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="261"/>
        <source>&amp;Save project…</source>
        <translation>保存工程(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="314"/>
        <source>&amp;Style…</source>
        <translation>样式(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="332"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="275"/>
        <source>A print-quality map with title, legend and scale bar</source>
        <translation>带标题、图例和比例尺的打印级地图</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1214"/>
        <source>About Zhiwang</source>
        <translation>关于织网</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="961"/>
        <source>Add bookmark</source>
        <translation>添加书签</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="184"/>
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="621"/>
        <source>Building the demo community…</source>
        <translation>正在生成演示社区…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="114"/>
        <source>Cannot reach the PostGIS server {0}. Is it running, and are the host and port right?</source>
        <translation>无法连接 PostGIS 服务器 {0}。请确认服务器正在运行，且主机和端口正确。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="600"/>
        <source>Choose a SpatiaLite file first.</source>
        <translation>请先选择一个 SpatiaLite 文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="305"/>
        <source>Clear the selection and highlight</source>
        <translation>清除选择和高亮</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1173"/>
        <source>Community grid map</source>
        <translation>社区网格图</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1072"/>
        <location filename="../../desktop/main_window.py" line="1083"/>
        <source>Could not open the project</source>
        <translation>无法打开工程</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="448"/>
        <location filename="../../desktop/main_window.py" line="600"/>
        <location filename="../../desktop/main_window.py" line="617"/>
        <source>Could not open the store</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="132"/>
        <source>Could not open {0}: {1}</source>
        <translation>无法打开 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1008"/>
        <source>Could not save the bookmarks in the store: {0}</source>
        <translation>无法将书签保存到数据库：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="693"/>
        <source>Could not save the layer styles in the store: {0}</source>
        <translation>无法将图层样式保存到数据库：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1107"/>
        <source>Could not write {0}</source>
        <translation>无法写入 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="995"/>
        <source>Delete bookmark</source>
        <translation>删除书签</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1107"/>
        <location filename="../../desktop/main_window.py" line="1160"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1193"/>
        <source>Export print layout</source>
        <translation>导出打印版式</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1117"/>
        <source>Export view</source>
        <translation>导出视图</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="264"/>
        <source>Export view as &amp;PNG…</source>
        <translation>导出当前视图为 PNG(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1153"/>
        <source>Exporting {0}…</source>
        <translation>正在导出 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="735"/>
        <source>Grid cell code:</source>
        <translation>网格编码：</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="178"/>
        <source>Identify and search</source>
        <translation>识别与搜索</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1207"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="175"/>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1142"/>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="365"/>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1104"/>
        <location filename="../../desktop/main_window.py" line="1156"/>
        <source>Map saved to {0}</source>
        <translation>地图已保存到 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="962"/>
        <source>Name of this view:</source>
        <translation>此视图的名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="729"/>
        <source>No grid cell {0}</source>
        <translation>没有网格 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="395"/>
        <location filename="../../desktop/main_window.py" line="446"/>
        <location filename="../../desktop/main_window.py" line="464"/>
        <location filename="../../desktop/main_window.py" line="545"/>
        <source>No store open</source>
        <translation>未打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="883"/>
        <source>Nothing found for “{0}”</source>
        <translation>未找到“{0}”</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="259"/>
        <source>Open &amp;project…</source>
        <translation>打开工程(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1065"/>
        <source>Open project</source>
        <translation>打开工程</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="312"/>
        <source>Open the attribute table of the current layer</source>
        <translation>打开当前图层的属性表</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="257"/>
        <source>Open the demo, a SpatiaLite file or a PostGIS server</source>
        <translation>打开演示数据、SpatiaLite 文件或 PostGIS 服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1085"/>
        <source>Open the project&apos;s PostGIS store first (File → Open store), then the project.</source>
        <translation>请先打开工程所用的 PostGIS 数据库（文件 → 打开数据库），再打开工程。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="444"/>
        <location filename="../../desktop/main_window.py" line="462"/>
        <location filename="../../desktop/main_window.py" line="569"/>
        <source>Open: {0}</source>
        <translation>已打开：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="424"/>
        <source>Opening {0}…</source>
        <translation>正在打开 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1195"/>
        <source>PDF documents (*.pdf);;PNG images (*.png)</source>
        <translation>PDF 文档 (*.pdf);;PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1117"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1181"/>
        <source>Page (landscape)</source>
        <translation>纸张（横向）</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1171"/>
        <source>Print layout</source>
        <translation>打印版式</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1027"/>
        <source>Project saved to {0}</source>
        <translation>工程已保存到 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="747"/>
        <source>Rendered in {0} ms</source>
        <translation>绘制用时 {0} 毫秒</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="203"/>
        <source>Rendering…</source>
        <translation>正在绘制…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1182"/>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1056"/>
        <source>Save project</source>
        <translation>保存工程</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="268"/>
        <source>Save the map as shown</source>
        <translation>按当前显示保存地图</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="742"/>
        <source>Scale 1:{0}</source>
        <translation>比例尺 1:{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="385"/>
        <source>Search a grid cell code, address, facility or enterprise…</source>
        <translation>搜索网格编码、地址、设施或企业…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="871"/>
        <source>Search failed: {0}</source>
        <translation>搜索失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="866"/>
        <source>Searching “{0}”…</source>
        <translation>正在搜索“{0}”…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="297"/>
        <source>Show the whole community</source>
        <translation>显示整个社区</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1208"/>
        <source>The new language is used the next time Zhiwang starts.</source>
        <translation>新语言将在下次启动织网时生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="119"/>
        <source>The server has no such database: {0}.</source>
        <translation>服务器上没有该数据库：{0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="97"/>
        <source>The server {0} refused the user name or password. Check them and try again.</source>
        <translation>服务器 {0} 拒绝了用户名或密码。请检查后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="128"/>
        <source>There is no store at {0}. Create one with “zhiwang demo” or open another.</source>
        <translation>{0} 处没有数据库。请用“zhiwang demo”创建，或打开其他数据库。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="500"/>
        <source>Logging in to {0}…</source>
        <translation>正在登录 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="618"/>
        <source>This installation has no demo builder.</source>
        <translation>此安装不包含演示数据生成器。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1180"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="963"/>
        <source>View {0}</source>
        <translation>视图 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1215"/>
        <source>Zhiwang (织网) — a desktop GIS for community grid management.</source>
        <translation>织网 — 社区网格化管理桌面 GIS。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1058"/>
        <location filename="../../desktop/main_window.py" line="1065"/>
        <source>Zhiwang projects (*.zwproj)</source>
        <translation>织网工程 (*.zwproj)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="141"/>
        <location filename="../../desktop/main_window.py" line="546"/>
        <source>Zhiwang — community grid management</source>
        <translation>织网 — 社区网格化管理</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="570"/>
        <source>Zhiwang — {0}</source>
        <translation>织网 — {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="279"/>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="286"/>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="283"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="290"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="293"/>
        <source>Zoom to &amp;community</source>
        <translation>缩放到社区(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="299"/>
        <source>Zoom to grid &amp;cell…</source>
        <translation>缩放到网格(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="735"/>
        <source>Zoom to grid cell</source>
        <translation>缩放到网格</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="611"/>
        <location filename="../../desktop/main_window.py" line="633"/>
        <source>embedded demo</source>
        <translation>内置演示</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="711"/>
        <source>{0} is empty</source>
        <translation>{0} 为空</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="123"/>
        <source>{0} is not a Zhiwang store. Create one with “zhiwang init” or “zhiwang demo”.</source>
        <translation>{0} 不是织网数据库。请用“zhiwang init”或“zhiwang demo”创建。</translation>
    </message>
    <message>
        <location filename="../../desktop/main_window.py" line="1131"/>
        <source>{0} · EPSG:{1} · made with Zhiwang</source>
        <translation>{0} · EPSG:{1} · 由织网制作</translation>
    </message>
</context>
<context>
    <name>MapCanvas</name>
    <message>
        <location filename="../../desktop/canvas.py" line="396"/>
        <location filename="../../desktop/main_window.py" line="1143"/>
        <source>N</source>
        <translation>北</translation>
    </message>
    <message>
        <location filename="../../desktop/canvas.py" line="614"/>
        <source>{0} km</source>
        <translation>{0} 千米</translation>
    </message>
    <message>
        <location filename="../../desktop/canvas.py" line="615"/>
        <source>{0} m</source>
        <translation>{0} 米</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <location filename="../../desktop/names.py" line="42"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="107"/>
        <source>Air quality</source>
        <translation>空气质量</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="74"/>
        <source>Alarm threshold</source>
        <translation>报警阈值</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="111"/>
        <source>Arterial road</source>
        <translation>主干道</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="65"/>
        <source>Beds</source>
        <translation>床位</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="104"/>
        <source>Bin fill level</source>
        <translation>垃圾桶满溢</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="38"/>
        <source>Building ID</source>
        <translation>建筑编号</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="24"/>
        <source>Buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="28"/>
        <source>Cameras</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="64"/>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="75"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="92"/>
        <source>Clinic</source>
        <translation>诊所</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="40"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="86"/>
        <source>Commercial</source>
        <translation>商业</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="37"/>
        <source>Community ID</source>
        <translation>社区编号</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="21"/>
        <source>Community boundary</source>
        <translation>社区边界</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="61"/>
        <source>Credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="59"/>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="79"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="46"/>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="105"/>
        <source>Door</source>
        <translation>门磁</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="97"/>
        <source>Elderly care</source>
        <translation>养老机构</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="63"/>
        <source>Employees</source>
        <translation>从业人数</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="26"/>
        <source>Enterprises</source>
        <translation>法人单位</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="31"/>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="27"/>
        <source>Facilities</source>
        <translation>公共设施</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="68"/>
        <source>Field of view (°)</source>
        <translation>视场角（°）</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="100"/>
        <source>Fire station</source>
        <translation>消防站</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="43"/>
        <source>Floors</source>
        <translation>层数</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="108"/>
        <source>Gas</source>
        <translation>燃气</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="58"/>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="36"/>
        <source>Grid cell ID</source>
        <translation>网格编号</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="22"/>
        <source>Grid cells</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="48"/>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="49"/>
        <source>Grid worker phone</source>
        <translation>网格员电话</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="98"/>
        <source>Grocery</source>
        <translation>商超</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="67"/>
        <source>Heading (°)</source>
        <translation>朝向（°）</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="93"/>
        <source>Hospital</source>
        <translation>医院</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="55"/>
        <source>Household</source>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="35"/>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="56"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="89"/>
        <source>Industrial</source>
        <translation>工业</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="62"/>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="53"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="95"/>
        <source>Kindergarten</source>
        <translation>幼儿园</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="113"/>
        <source>Lane</source>
        <translation>巷道</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="109"/>
        <source>Manhole cover</source>
        <translation>井盖</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="87"/>
        <source>Mixed use</source>
        <translation>商住混合</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="41"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="115"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="90"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="101"/>
        <source>Park</source>
        <translation>公园</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="72"/>
        <source>Period (s)</source>
        <translation>上报周期（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="96"/>
        <source>Pharmacy</source>
        <translation>药店</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="57"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="99"/>
        <source>Police station</source>
        <translation>派出所</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="88"/>
        <source>Public</source>
        <translation>公共</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="66"/>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="69"/>
        <source>Range (m)</source>
        <translation>视距（米）</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="30"/>
        <source>Readings</source>
        <translation>读数</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="80"/>
        <source>Reported at</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="85"/>
        <source>Residential</source>
        <translation>住宅</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="25"/>
        <source>Residents</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="94"/>
        <source>School</source>
        <translation>学校</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="112"/>
        <source>Secondary road</source>
        <translation>次干道</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="29"/>
        <source>Sensors</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="103"/>
        <source>Smoke</source>
        <translation>烟感</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="76"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="39"/>
        <source>Source ID</source>
        <translation>来源编号</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="77"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="70"/>
        <source>Stream URL</source>
        <translation>视频流地址</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="47"/>
        <source>Street office</source>
        <translation>街道办</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="23"/>
        <source>Streets</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="50"/>
        <source>Supervisor</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="60"/>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="78"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="71"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="44"/>
        <source>Units</source>
        <translation>户数</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="52"/>
        <source>Updated at</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="45"/>
        <source>Use</source>
        <translation>用途</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="51"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="73"/>
        <source>Warning threshold</source>
        <translation>预警阈值</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="106"/>
        <source>Water level</source>
        <translation>水位</translation>
    </message>
    <message>
        <location filename="../../desktop/names.py" line="54"/>
        <source>Width (m)</source>
        <translation>宽度（米）</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="84"/>
        <source>What was done, who was sent, or why it is false…</source>
        <translation>已采取的措施、派遣人员，或误报原因…</translation>
    </message>
    <message>
        <location filename="../../desktop/live/alarm_panel.py" line="87"/>
        <source>Recorded as {0}, now.</source>
        <translation>将以 {0} 的名义记录，时间为现在。</translation>
    </message>
</context>
<context>
    <name>OpenStoreDialog</name>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="74"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="100"/>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="60"/>
        <source>Embedded demo community</source>
        <translation>内置演示社区</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="98"/>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="96"/>
        <source>No system keyring is available: the password is asked for each time.</source>
        <translation>没有可用的系统密钥环：每次都需要输入密码。</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="136"/>
        <source>Open a SpatiaLite store</source>
        <translation>打开 SpatiaLite 数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="56"/>
        <source>Open a store</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="102"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="99"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="62"/>
        <source>PostGIS server</source>
        <translation>PostGIS 服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="92"/>
        <source>Remember the password in the system keyring</source>
        <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="61"/>
        <source>SpatiaLite file</source>
        <translation>SpatiaLite 文件</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="138"/>
        <source>SpatiaLite stores (*.sqlite *.db *.spatialite);;All files (*)</source>
        <translation>SpatiaLite 数据库 (*.sqlite *.db *.spatialite);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="68"/>
        <source>The demo store in {0}; it is built on first use.</source>
        <translation>演示数据库位于 {0}，首次使用时自动生成。</translation>
    </message>
    <message>
        <location filename="../../desktop/open_store_dialog.py" line="101"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
</context>
<context>
    <name>ParamsForm</name>
    <message>
        <location filename="../../desktop/analysis/params_form.py" line="289"/>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/params_form.py" line="291"/>
        <source>Show advanced parameters</source>
        <translation>显示高级参数</translation>
    </message>
</context>
<context>
    <name>QualityPanel</name>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="64"/>
        <source>Data quality per grid cell</source>
        <translation>网格数据质量</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="75"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="77"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="87"/>
        <source>Per source:</source>
        <translation>按来源：</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="104"/>
        <source>{0} sources, {1} grid cells with records.</source>
        <translation>{0} 个来源，{1} 个网格有记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/quality_panel.py" line="106"/>
        <source>No fusion records in this store yet (zhiwang fusion import).</source>
        <translation>此数据库尚无融合记录（zhiwang fusion import）。</translation>
    </message>
</context>
<context>
    <name>ResultsDock</name>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="82"/>
        <source>Analysis results</source>
        <translation>分析结果</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="85"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="86"/>
        <source>Stored runs</source>
        <translation>已保存的运行</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="96"/>
        <source>Run an analysis from the Analysis menu.</source>
        <translation>请从“分析”菜单运行一项分析。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="114"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="126"/>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="133"/>
        <location filename="../../desktop/analysis/dock.py" line="524"/>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="133"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="137"/>
        <source>Lorenz curve</source>
        <translation>洛伦兹曲线</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="154"/>
        <source>Share of residents (least served first)</source>
        <translation>居民累计比例（服务最差者在前）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="155"/>
        <source>Share of supply</source>
        <translation>供给累计比例</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="167"/>
        <source>Cells below the threshold, most unmet demand first</source>
        <translation>低于阈值的网格（按未满足需求从多到少）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="178"/>
        <source>What if… (click the map)</source>
        <translation>情景推演（在地图上点击）</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="185"/>
        <source>Add facility</source>
        <translation>新增设施</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="186"/>
        <source>Move facility</source>
        <translation>迁移设施</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="187"/>
        <source>Remove facility</source>
        <translation>撤除设施</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="197"/>
        <source>Capacity of an added facility</source>
        <translation>新增设施的服务能力</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="204"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="206"/>
        <source>Reset</source>
        <translation>复原</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="208"/>
        <source>Save as run</source>
        <translation>保存为运行</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="220"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="224"/>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="225"/>
        <source>GeoPackage…</source>
        <translation>GeoPackage…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="226"/>
        <source>HTML report…</source>
        <translation>HTML 报告…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="232"/>
        <source>Run again</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="234"/>
        <source>Recompute this run with its stored parameters on today&apos;s data</source>
        <translation>用保存的参数在当前数据上重新计算</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="254"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="254"/>
        <source>Analysis</source>
        <translation>分析</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="254"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="254"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="261"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="263"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="266"/>
        <source>Compare two</source>
        <translation>对比两次</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="269"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="276"/>
        <source>Comparison</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="279"/>
        <source>Per-cell figure</source>
        <translation>网格指标</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="324"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="353"/>
        <source>Click “Add facility” and then the map.</source>
        <translation>点击“新增设施”，然后在地图上点击位置。</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="503"/>
        <source>A: run {0} {1} · B: run {2} {3}</source>
        <translation>A：第 {0} 次 {1} · B：第 {2} 次 {3}</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="511"/>
        <location filename="../../desktop/analysis/dock.py" line="524"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../../desktop/analysis/dock.py" line="511"/>
        <location filename="../../desktop/analysis/dock.py" line="524"/>
        <source>B</source>
        <translation>B</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="86"/>
        <source>No store open</source>
        <translation>未打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="88"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="97"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="97"/>
        <source>Entity</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="97"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="97"/>
        <source>Candidates</source>
        <translation>候选值</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="116"/>
        <source>Show unmasked (logged)</source>
        <translation>显示完整值（将记录审计）</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="124"/>
        <source>Note for the decision log (why)</source>
        <translation>审核备注（写入决定日志）</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="127"/>
        <source>Corrected value</source>
        <translation>更正后的值</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="129"/>
        <location filename="../../desktop/fusion/review_panel.py" line="272"/>
        <source>Accept selected</source>
        <translation>采用所选</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="132"/>
        <location filename="../../desktop/fusion/review_panel.py" line="273"/>
        <source>Reject proposal</source>
        <translation>驳回建议值</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="135"/>
        <source>Set edited value</source>
        <translation>改为此值</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="144"/>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="146"/>
        <source>Edit:</source>
        <translation>修改：</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="216"/>
        <source>{0} open conflicts</source>
        <translation>{0} 条待审核冲突</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="252"/>
        <source>Select a conflict on the left.</source>
        <translation>请在左侧选择一条冲突。</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="258"/>
        <source>#{0}: are these two records the same {1}?</source>
        <translation>#{0}：这两条记录是同一个{1}吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="262"/>
        <source>(match probability {0:.0%})</source>
        <translation>（匹配概率 {0:.0%}）</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="264"/>
        <source>Same entity (link)</source>
        <translation>同一对象（关联）</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="265"/>
        <source>Keep apart</source>
        <translation>保持分开</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="268"/>
        <source>#{0}: {1} {2} — the sources disagree on “{3}”.</source>
        <translation>#{0}：{1} {2} — 各来源的“{3}”不一致。</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="289"/>
        <source>Record {0}</source>
        <translation>记录 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="291"/>
        <source>Candidate {0}</source>
        <translation>候选 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/fusion/review_panel.py" line="294"/>
        <source>(proposed)</source>
        <translation>（建议）</translation>
    </message>
</context>
<context>
    <name>RiskLayerController</name>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="40"/>
        <source>Risk score</source>
        <extracomment>One colour per level of gis_core.risk.LEVELS (low → severe).</extracomment>
        <translation>风险评分</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="174"/>
        <source>Could not compute the early-warning scores: {0}</source>
        <translation>无法计算预警评分：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="197"/>
        <source>Grid cell</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="199"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="200"/>
        <source>Alarms</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="201"/>
        <source>Open hazards</source>
        <translation>未办结隐患</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="202"/>
        <source>Vulnerable residents</source>
        <translation>重点关爱人员</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="203"/>
        <source>Near alarming sensors</source>
        <translation>告警设备附近</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="214"/>
        <source>Early warning (risk per grid cell)</source>
        <translation>预警（网格风险）</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="249"/>
        <source>Grid cell {0}: risk {1:.1f} ({2})</source>
        <translation>网格 {0}：风险 {1:.1f}（{2}）</translation>
    </message>
    <message>
        <location filename="../../desktop/live/risk_layer.py" line="254"/>
        <source>No recent alarms, open hazards or vulnerable residents.</source>
        <translation>近期无告警、未办结隐患或重点关爱人员。</translation>
    </message>
</context>
<context>
    <name>SensorHistoryDialog</name>
    <message>
        <location filename="../../desktop/live/history.py" line="52"/>
        <source>Sensor history — {0}</source>
        <translation>传感器历史 — {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/history.py" line="56"/>
        <source>last {0} h</source>
        <translation>最近 {0} 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/live/history.py" line="58"/>
        <source>last {0} days</source>
        <translation>最近 {0} 天</translation>
    </message>
    <message>
        <location filename="../../desktop/live/history.py" line="63"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/live/history.py" line="67"/>
        <source>Span:</source>
        <translation>时段：</translation>
    </message>
    <message>
        <location filename="../../desktop/live/history.py" line="80"/>
        <source>warning {0}</source>
        <translation>预警 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/history.py" line="81"/>
        <source>alarm {0}</source>
        <translation>告警 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/history.py" line="113"/>
        <source>Could not read: {0}</source>
        <translation>无法读取：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/history.py" line="124"/>
        <source>{0} readings, last {1:g}</source>
        <translation>{0} 条读数，最新 {1:g}</translation>
    </message>
    <message>
        <location filename="../../desktop/live/history.py" line="131"/>
        <source>No readings in this span</source>
        <translation>该时段没有读数</translation>
    </message>
</context>
<context>
    <name>StyleDialog</name>
    <message>
        <location filename="../../desktop/style_dialog.py" line="221"/>
        <source>Blues</source>
        <translation>蓝色</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="177"/>
        <source>Categorised</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="231"/>
        <source>Classes</source>
        <translation>级数</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="192"/>
        <location filename="../../desktop/style_dialog.py" line="228"/>
        <source>Classify</source>
        <translation>分类计算</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="233"/>
        <source>Colour ramp</source>
        <translation>色带</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="411"/>
        <source>Could not read values: {0}</source>
        <translation>无法读取取值：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="217"/>
        <source>Equal interval</source>
        <translation>等间距</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="194"/>
        <location filename="../../desktop/style_dialog.py" line="230"/>
        <location filename="../../desktop/style_dialog.py" line="250"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="178"/>
        <source>Graduated</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="222"/>
        <source>Greens</source>
        <translation>绿色</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="238"/>
        <source>Labels</source>
        <translation>标注</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="275"/>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="232"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="220"/>
        <source>Oranges</source>
        <translation>橙色</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="224"/>
        <source>Purples</source>
        <translation>紫色</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="216"/>
        <source>Quantile</source>
        <translation>分位数</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="335"/>
        <location filename="../../desktop/style_dialog.py" line="387"/>
        <source>Reading values…</source>
        <translation>正在读取取值…</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="223"/>
        <source>Reds</source>
        <translation>红色</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="269"/>
        <source>Renderer</source>
        <translation>渲染方式</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="176"/>
        <source>Single symbol</source>
        <translation>单一符号</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="251"/>
        <source>Size (px)</source>
        <translation>大小（像素）</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="166"/>
        <source>Style of {0}</source>
        <translation>{0}的样式</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="199"/>
        <source>Symbol</source>
        <translation>符号</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="380"/>
        <source>This layer has no numeric field.</source>
        <translation>此图层没有数值字段。</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="199"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="346"/>
        <source>{0} categories</source>
        <translation>{0} 个类别</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="401"/>
        <source>{0} classes</source>
        <translation>{0} 级</translation>
    </message>
</context>
<context>
    <name>SymbolEditor</name>
    <message>
        <location filename="../../desktop/style_dialog.py" line="133"/>
        <source>Fill</source>
        <translation>填充</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="135"/>
        <source>Line</source>
        <translation>线条</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="139"/>
        <source>Marker size (px)</source>
        <translation>符号大小（像素）</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="119"/>
        <source>No fill</source>
        <translation>无填充</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="135"/>
        <source>Outline</source>
        <translation>边线</translation>
    </message>
    <message>
        <location filename="../../desktop/style_dialog.py" line="137"/>
        <source>Width (px)</source>
        <translation>宽度（像素）</translation>
    </message>
</context>
</TS>
