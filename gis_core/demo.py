"""The demo community: a deterministic, plausible Chinese urban community near Xianyang (秦都区),
generated with vectorised numpy/shapely and loaded into a store in one transaction.

The layout is a lattice of street blocks between arterials (主干道), secondary streets (支路) and
lanes (巷). Blocks hold building footprints on non-overlapping lots: old low-rise quarters cut by
a lane, slab estates, tower estates, shopping blocks, civic blocks (school, clinic, …), small
works and parks. Grid cells are 3 × 3 blocks bounded by street centrelines, so the cells of a
community form a valid coverage whose union is the community boundary. Every cell-scoped row
carries the id of the cell that contains it.

At the default size (~3,000 buildings) this is one community, 文汇社区 (610402-001), of about a
dozen cells. Larger sizes grow into a district: communities of up to 4 × 3 cells, codes
``610402-CCC-NN``, with streets, cells, facilities and devices in proportion. The same seed and
size always give the same data. Example::

    data = generate(3000, seed=7)
    with Store.init("demo.sqlite") as store:
        load(store, data)
        print(summary(store))
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import shapely

from gis_core import schema

__all__ = [
    "DemoData",
    "generate",
    "load",
    "build_demo",
    "summary",
    "store_state",
    "reset_demo",
    "RESIDENT_TAGS",
    "SENSOR_SPECS",
    "ANCHOR_LONLAT",
    "DISTRICT_CODE",
    "REFERENCE_DATE",
    "LOAD_ORDER",
]

Progress = Callable[[str, float], None]

#: Where the demo sits: central Xianyang (lon, lat), district 秦都区.
ANCHOR_LONLAT = (108.70, 34.33)
DISTRICT_CODE = "610402"
DISTRICT_NAME = "秦都区"
CITY_NAME = "咸阳市"
#: Ages and birth dates are relative to this day, so the data does not change with the calendar.
REFERENCE_DATE = np.datetime64("2026-07-01")

#: Kinds in the order they are inserted (foreign keys point backwards).
LOAD_ORDER = (
    "communities",
    "grid_cells",
    "streets",
    "buildings",
    "residents",
    "enterprises",
    "facilities",
    "cameras",
    "sensors",
)

#: Resident tags: living alone aged 65+, disabled, low-income (低保), veteran, migrant (流动人口).
RESIDENT_TAGS = ("elderly_alone", "disabled", "low_income", "veteran", "migrant")

#: Per sensor kind: code prefix, unit, reporting period (s), warn and alarm thresholds, Chinese
#: name. Units and thresholds match gis_core.live.SENSOR_KIND_SPECS.
SENSOR_SPECS: dict[str, tuple[str, str | None, float, float, float, str]] = {
    "smoke": ("SMK", "%/m", 300.0, 2.0, 4.0, "烟感"),
    "bin_fill": ("BIN", "%", 900.0, 75.0, 90.0, "垃圾分类点满溢传感器"),
    "door": ("DOR", None, 60.0, 1.0, 2.0, "单元门磁"),
    "water_level": ("WTR", "m", 60.0, 1.5, 2.5, "积水监测"),
    "air_quality": ("AIR", "AQI", 300.0, 150.0, 200.0, "空气质量监测站"),
    "gas": ("GAS", "%LEL", 30.0, 10.0, 25.0, "燃气报警器"),
    "manhole": ("MHL", "deg", 600.0, 5.0, 15.0, "井盖监测"),
}

# ------------------------------------------------------------------------------------ layout
BLOCKS_PER_CELL = 3  # a cell is 3 x 3 blocks
CELLS_PER_COMMUNITY = (4, 3)  # a community is up to 4 x 3 cells
ARTERIAL_EVERY = (6, 9)  # x-lines, y-lines: every n-th street line is an arterial
STREET_WIDTH = {"arterial": 40.0, "secondary": 20.0, "lane": 8.0}
SETBACK = 5.0  # from the street's edge to the first lot
LANE_CLEAR = 6.0  # from a lane's centreline to the lots on either side

# Block types and their share of blocks.
HOUSES, SLABS, TOWERS, SHOPS, CIVIC, WORKS, PARK = range(7)
BLOCK_SHARE = np.array([0.40, 0.20, 0.10, 0.12, 0.07, 0.05, 0.06])
LOTS_PER_BLOCK = np.array([72, 8, 12, 27, 4, 6, 2])
COMPOUND_SUFFIX = {
    HOUSES: ("家属院", "小区", "新村", "北院", "南院"),
    SLABS: ("花园", "家园", "小区", "苑"),
    TOWERS: ("华府", "名城", "公馆", "国际", "雅居"),
    SHOPS: ("商业街", "广场", "商厦"),
    CIVIC: ("公共服务中心",),
    WORKS: ("工业园", "产业园"),
    PARK: ("公园",),
}

# Lot roles: what kind of building a lot holds.
R_HOUSE, R_HOUSE_FRONT, R_SLAB, R_TOWER, R_SHOP, R_MALL, R_CIVIC, R_WORKS, R_KIOSK = range(9)
# Per role: inset of the lot (m), fill of the lot's width and height (lo, hi), share of L shapes.
ROLE_INSET = np.array([1.0, 1.0, 3.0, 4.0, 0.6, 4.0, 3.0, 3.0, 0.5])
ROLE_FILL_W = np.array(
    [(0.72, 0.92), (0.72, 0.92), (0.80, 0.95), (0.42, 0.62), (0.85, 0.97), (0.55, 0.80),
     (0.65, 0.90), (0.60, 0.90), (0.90, 1.00)]
)  # fmt: skip
ROLE_FILL_H = np.array(
    [(0.62, 0.88), (0.62, 0.88), (0.30, 0.45), (0.42, 0.62), (0.65, 0.92), (0.55, 0.80),
     (0.65, 0.90), (0.55, 0.85), (0.90, 1.00)]
)  # fmt: skip
ROLE_L_SHARE = np.array([0.08, 0.04, 0.20, 0.0, 0.0, 0.30, 0.60, 0.15, 0.0])
# Floors per role: (values, weights).
ROLE_FLOORS = {
    R_HOUSE: ((2, 3, 4, 5, 6), (0.2, 0.3, 0.25, 0.15, 0.1)),
    R_HOUSE_FRONT: ((2, 3, 4, 5, 6), (0.2, 0.3, 0.25, 0.15, 0.1)),
    R_SLAB: ((6, 7, 9, 11), (0.45, 0.25, 0.1, 0.2)),
    R_TOWER: (tuple(range(18, 34)), None),
    R_SHOP: ((1, 2, 3), (0.5, 0.35, 0.15)),
    R_MALL: (tuple(range(3, 25)), None),
    R_CIVIC: ((2, 3, 4, 5, 6), None),
    R_WORKS: ((1, 2, 3), (0.5, 0.3, 0.2)),
    R_KIOSK: ((1,), None),
}
# Units (dwellings, or rentable units for shops and malls) per floor: inclusive range.
ROLE_UNITS = np.array([(1, 3), (1, 3), (2, 6), (2, 4), (1, 3), (4, 12), (0, 0), (0, 0), (0, 0)])
USES = schema.BUILDING_USES  # residential, commercial, mixed, public, industrial, other
RES, COM, MIX, PUB, IND, OTH = range(6)
# Probability of each use per role (columns in BUILDING_USES order).
ROLE_USE_P = np.array(
    [
        [0.90, 0.00, 0.05, 0.00, 0.00, 0.05],  # house in an old quarter
        [0.52, 0.03, 0.40, 0.00, 0.00, 0.05],  # house facing the street: shops below
        [1.00, 0.00, 0.00, 0.00, 0.00, 0.00],  # slab block
        [0.90, 0.00, 0.10, 0.00, 0.00, 0.00],  # tower
        [0.00, 0.80, 0.20, 0.00, 0.00, 0.00],  # shop
        [0.00, 0.70, 0.30, 0.00, 0.00, 0.00],  # mall / office tower
        [0.00, 0.00, 0.00, 1.00, 0.00, 0.00],  # civic building
        [0.00, 0.00, 0.00, 0.00, 0.85, 0.15],  # works
        [0.00, 0.00, 0.00, 0.00, 0.00, 1.00],  # park kiosk, public toilet
    ]
)
DROPPABLE = np.array([True, True, True, True, True, False, False, True, False])


# ------------------------------------------------------------------------------------ names
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ROAD_WORDS = _words(
    "渭阳 世纪 西兰 中华 玉泉 朝阳 统一 永安 东风 彩虹 光明 团结 建设 和平 胜利 幸福 育才 振兴 "
    "渭滨 沣河 毕塬 五陵 长兴 安谷 古渡 钓台 双照 马泉 渭柳 文林 科技 学府 锦绣 迎宾 丰收 红旗 "
    "新兴 通文 金桥 望贤 北塬 西宝 抗战 北平 咸通 星火 秦都 兴平 汉阳 银杏 紫薇 翠竹 石化 电子 "
    "纺织 民生 仁和 龙台 天王 沣东 高新 渭城 正阳 周陵 底张 连心 吉庆 安康 福园 红光 健康 "
    "宝泉 清渭 秦宫 兰池 咸宁 凤凰 丰乐 龙泉 太平 永乐 兴盛 长乐 同心 友谊 启明 惠民"
)
ORDINALS = ("", "二", "三", "四", "五", "六", "七", "八", "九", "十")
COMMUNITY_SIDES = ("", "东", "西", "南", "北", "中")
STREET_OFFICES = _words(
    "人民街道 渭阳街道 西兰路街道 吴家堡街道 陈杨寨街道 古渡街道 沣东街道 钓台街道 双照街道 "
    "马泉街道 渭滨街道 马庄街道"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严武戴莫孔向汤"
)
GIVEN_MALE = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林峰建国文博志海东亮晨阳锋斌毅鸿诚"
)
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀燕玲桂英丹萍红琳洁倩婷雪慧莹颖琴晶欣月梅兰蕾薇璐瑶佳悦怡淑珍"
GIVEN_ANY = "子嘉思雨晓一可心安乐永春秋天德伟玉金小海红梓浩欣家"
BRANDS = _words(
    "鑫源 宏达 恒信 华泰 金诚 聚福 顺发 德润 盛世 天和 福瑞 嘉禾 永盛 通达 佳美 众鑫 海诚 博远 "
    "新锐 荣丰 汇通 同福 利民 秦韵 锦华 兴业 万家 百川 凯旋 瑞丰 晨光 益民 康泰 丰源 润泽 老秦 "
    "渭水 长安 乐家 民乐"
)
COMPANY_INDUSTRIES = (
    ("餐饮业", "餐饮管理"),
    ("零售业", "商贸"),
    ("批发业", "贸易"),
    ("软件和信息技术服务业", "网络科技"),
    ("物业管理", "物业管理"),
    ("居民服务业", "家政服务"),
    ("教育培训", "教育咨询"),
    ("建筑装饰业", "装饰工程"),
)
WORKS_INDUSTRIES = (("道路运输业", "物流"), ("制造业", "机械制造"), ("制造业", "食品"))
SHOP_INDUSTRIES = (
    ("餐饮业", "面馆"),
    ("零售业", "便利店"),
    ("居民服务业", "理发店"),
    ("零售业", "五金店"),
    ("居民服务业", "干洗店"),
    ("零售业", "水果店"),
    ("居民服务业", "手机维修店"),
    ("餐饮业", "包子铺"),
)

# Facilities per 3,000 buildings (parks: one per park block).
FACILITY_RATES = {
    "clinic": 2,
    "hospital": 1,
    "school": 2,
    "kindergarten": 3,
    "pharmacy": 4,
    "elderly_care": 2,
    "grocery": 6,
    "police": 1,
    "fire_station": 1,
}
CIVIC_KINDS = (
    "hospital",
    "school",
    "clinic",
    "kindergarten",
    "elderly_care",
    "police",
    "fire_station",
)
ENTERPRISES_PER_3000 = 40

# GB 11643 (citizen ID) and GB 32100 (unified social credit code) check characters.
_ID_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)


@dataclass
class DemoData:
    """Everything needed to fill a store, in the working CRS ``srid``.

    ``layers`` maps a kind to ``(columns, geometry)``: columns for :meth:`Store.bulk_insert`
    (including an explicit ``id``) and a shapely geometry array, or None for residents. Kinds
    come in :data:`LOAD_ORDER`. ``meta`` holds the community code and name, seed and size.
    """

    srid: int
    layers: dict[str, tuple[dict[str, np.ndarray | list], np.ndarray | None]]
    meta: dict[str, str] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per kind."""
        return {kind: len(cols["id"]) for kind, (cols, _geom) in self.layers.items()}


# ==================================================================================== generate
def generate(
    buildings: int = 3000,
    seed: int = 7,
    residents: bool = True,
    srid: int = 4545,
    progress: Progress | None = None,
) -> DemoData:
    """Generate a demo community (a district of communities for large sizes) with exactly
    ``buildings`` buildings, deterministically from ``seed``, in the projected CRS ``srid``.

    ``residents=False`` skips the population (benchmarks of a million buildings use that).
    Nothing is printed; ``progress(message, fraction)`` is called between stages.
    """
    n = int(buildings)
    if n < 1:
        raise ValueError(f"a demo needs at least one building, not {buildings}")
    report = progress or (lambda _m, _f: None)
    ss = np.random.SeedSequence([int(seed) & 0xFFFFFFFF, 0x5A4957])
    streams = ss.spawn(8)
    rng_layout, rng_bld, rng_names, rng_res, rng_fac, rng_ent, rng_dev, rng_cell = (
        np.random.default_rng(s) for s in streams
    )

    report("streets and blocks", 0.0)
    plan = _plan(n)
    lat = _lattice(plan, srid, rng_layout, rng_names)
    report("buildings", 0.15)
    bld = _buildings(lat, n, rng_bld)
    report("grid cells", 0.4)
    layers: dict[str, tuple[dict, np.ndarray | None]] = {}
    layers["communities"], layers["grid_cells"] = _communities_and_cells(lat, rng_cell)
    layers["streets"] = _streets(lat)
    layers["buildings"] = (bld.columns, bld.geometry)
    if residents:
        report("residents", 0.5)
        layers["residents"] = (_residents(bld, rng_res), None)
    else:
        layers["residents"] = (_empty_residents(), None)
    report("facilities, enterprises and devices", 0.85)
    taken = np.zeros(len(bld.geometry), dtype=bool)
    layers["facilities"] = _facilities(lat, bld, rng_fac, taken)
    layers["enterprises"] = _enterprises(bld, rng_ent, taken)
    bins = _bins(lat, rng_dev)
    layers["cameras"] = _cameras(lat, bins, rng_dev)
    layers["sensors"] = _sensors(lat, bld, bins, rng_dev)
    report("generated", 1.0)
    comm_cols = layers["communities"][0]
    meta = {
        "community_code": str(comm_cols["code"][0]),
        "community_name": str(comm_cols["name"][0]),
        "district_code": DISTRICT_CODE,
        "district_name": DISTRICT_NAME,
        "demo_seed": str(int(seed)),
        "demo_buildings": str(n),
    }
    return DemoData(srid=int(srid), layers={k: layers[k] for k in LOAD_ORDER}, meta=meta)


# ------------------------------------------------------------------------------------ sizing
@dataclass(frozen=True)
class _Plan:
    ncx: int  # cells across
    ncy: int  # cells up
    notch: bool  # the north-east corner cell is left out (an L-shaped outline)
    type_counts: np.ndarray  # blocks per block type
    to_slabs: int  # house blocks turned into slab estates to bring the capacity near n


def _cell_lattice(cells: int) -> tuple[int, int, bool]:
    ncx = max(1, round(math.sqrt(cells * 4 / 3)))
    ncy = math.ceil(cells / ncx)
    notch = ncx >= 2 and ncy >= 2 and ncx * ncy - 1 >= cells
    return ncx, ncy, notch


def _type_counts(nblocks: int) -> np.ndarray:
    """Blocks per type: the shares by largest remainder, with a park, shops and civic blocks."""
    raw = BLOCK_SHARE * nblocks
    counts = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: nblocks - counts.sum()]] += 1
    for kind, least in ((CIVIC, 2), (PARK, 1), (SHOPS, 1)):
        short = max(0, min(least, nblocks - 3) - counts[kind])
        counts[kind] += short
        counts[HOUSES] -= short
    return counts


def _plan(n: int) -> _Plan:
    per_cell = float(BLOCK_SHARE @ LOTS_PER_BLOCK) * BLOCKS_PER_CELL**2
    cells = max(1, math.ceil(n / per_cell))
    while True:
        ncx, ncy, notch = _cell_lattice(cells)
        nblocks = (ncx * ncy - notch) * BLOCKS_PER_CELL**2
        counts = _type_counts(nblocks)
        capacity = int(counts @ LOTS_PER_BLOCK)
        if capacity >= n:
            break
        cells += 1
    # Too many lots: turn some old quarters into slab estates (at most a third of them), then
    # leave random lots empty for the rest.
    per_swap = LOTS_PER_BLOCK[HOUSES] - LOTS_PER_BLOCK[SLABS]
    to_slabs = min((capacity - n) // per_swap, counts[HOUSES] // 3)
    return _Plan(ncx, ncy, bool(notch), counts, int(to_slabs))


# ------------------------------------------------------------------------------------ lattice
@dataclass
class _Lattice:
    srid: int
    X: np.ndarray  # x of the N-S street lines (nbx + 1)
    Y: np.ndarray  # y of the E-W street lines (nby + 1)
    kind_x: np.ndarray  # street kind per x-line ("arterial"/"secondary")
    kind_y: np.ndarray
    name_x: np.ndarray  # street name per x-line
    name_y: np.ndarray
    base_y: np.ndarray  # name_y without 路 (人民路 → 人民), for facility names
    active: np.ndarray  # (nbx, nby) bool: block is part of the district
    # Cells, in id order
    cell_cx: np.ndarray
    cell_cy: np.ndarray
    cell_comm: np.ndarray  # community index (0-based) per cell
    cell_no: np.ndarray  # number within its community (1-based)
    comm_names: np.ndarray
    comm_codes: np.ndarray
    # Blocks, in cell order (id order of their cells)
    bi: np.ndarray
    bj: np.ndarray
    bcell: np.ndarray  # cell id (1-based)
    btype: np.ndarray
    bname: np.ndarray  # compound name
    bbase: np.ndarray  # compound base word (for lanes)
    prop: np.ndarray  # (nb, 4) property rect inside the street edges
    ymid: np.ndarray  # (nby,) centreline y of a lane in row j

    @property
    def nbx(self) -> int:
        return len(self.X) - 1

    @property
    def nby(self) -> int:
        return len(self.Y) - 1

    def block_address(self) -> np.ndarray:
        """``<south street><no>号`` for each block."""
        return _cat(self.name_y[self.bj], (2 * (self.bi + 1)).astype(str), "号")


def _cat(*parts) -> np.ndarray:
    """Element-wise string concatenation of arrays and scalars (numpy's string ufuncs)."""
    out = None
    for part in parts:
        if isinstance(part, np.ndarray) and part.dtype.kind in "iu":
            part = part.astype(str)
        out = part if out is None else np.strings.add(out, part)
    return np.asarray(out)


def _line_names(words: list[str], count: int, suffix: str = "") -> np.ndarray:
    """``count`` distinct names: each word with ``suffix``, then again as 二路, 三路, …"""
    k = np.arange(count)
    word = np.asarray(words)[k % len(words)]
    rank = k // len(words)
    ords = np.array([*ORDINALS, *(str(i + 1) for i in range(len(ORDINALS), 200))])
    return _cat(word, ords[np.minimum(rank, len(ords) - 1)], suffix)


def _origin(srid: int, width: float, height: float) -> tuple[float, float]:
    from gis_core.crs import transformer

    cx, cy = transformer("EPSG:4326", f"EPSG:{srid}").transform(*ANCHOR_LONLAT)
    return float(round(cx - width / 2)), float(round(cy - height / 2))


def _lattice(plan: _Plan, srid: int, rng: np.random.Generator, names: np.random.Generator):
    k = BLOCKS_PER_CELL
    nbx, nby = plan.ncx * k, plan.ncy * k
    bw = 200.0 + rng.integers(-25, 26, nbx)
    bh = 150.0 + rng.integers(-20, 21, nby)
    x0, y0 = _origin(srid, float(bw.sum()), float(bh.sum()))
    X = x0 + np.concatenate([[0.0], np.cumsum(bw)])
    Y = y0 + np.concatenate([[0.0], np.cumsum(bh)])
    ix, iy = np.arange(nbx + 1), np.arange(nby + 1)
    art_x = (ix % ARTERIAL_EVERY[0] == 0) | (ix == nbx)
    art_y = (iy % ARTERIAL_EVERY[1] == 0) | (iy == nby)
    kind_x = np.where(art_x, "arterial", "secondary")
    kind_y = np.where(art_y, "arterial", "secondary")
    wx = np.where(art_x, STREET_WIDTH["arterial"], STREET_WIDTH["secondary"])
    wy = np.where(art_y, STREET_WIDTH["arterial"], STREET_WIDTH["secondary"])
    words = list(ROAD_WORDS)
    names.shuffle(words)
    half = len(words) // 2
    base_y = _line_names(["人民", "文汇", *words[:half]], nby + 1)
    name_y = _cat(base_y, "路")
    name_x = _line_names(["乐育", "秦皇", *words[half:]], nbx + 1, "街")

    # Cells: reading order (north-west first) within communities, communities in reading order.
    ccx, ccy = CELLS_PER_COMMUNITY
    gx, gy = np.meshgrid(np.arange(plan.ncx), np.arange(plan.ncy), indexing="ij")
    cx, cy = gx.ravel(), gy.ravel()
    keep = ~((cx == plan.ncx - 1) & (cy == plan.ncy - 1)) if plan.notch else np.ones(len(cx), bool)
    cx, cy = cx[keep], cy[keep]
    ncomx, ncomy = -(-plan.ncx // ccx), -(-plan.ncy // ccy)
    comm_key = (ncomy - 1 - cy // ccy) * ncomx + cx // ccx
    order = np.lexsort((cx, -cy, comm_key))
    cx, cy, comm_key = cx[order], cy[order], comm_key[order]
    _, comm, comm_size = np.unique(comm_key, return_inverse=True, return_counts=True)
    first = np.concatenate([[0], np.cumsum(comm_size)[:-1]])
    cell_no = np.arange(len(cx)) - first[comm] + 1
    ncomm = len(comm_size)
    cwords = list(ROAD_WORDS)
    names.shuffle(cwords)
    cwords = ["文汇", *(w for w in cwords if w != "文汇")]
    kc = np.arange(ncomm)
    sides = np.array(COMMUNITY_SIDES)[np.minimum(kc // len(cwords), len(COMMUNITY_SIDES) - 1)]
    comm_names = _cat(np.asarray(cwords)[kc % len(cwords)], sides, "社区")
    width = max(3, len(str(ncomm)))
    comm_codes = _cat(DISTRICT_CODE + "-", np.strings.zfill((kc + 1).astype(str), width))

    # Blocks: 3 x 3 per cell, in reading order within the cell.
    a = np.tile(np.arange(k), k)
    b = np.repeat(np.arange(k - 1, -1, -1), k)
    bi = (cx[:, None] * k + a[None, :]).ravel()
    bj = (cy[:, None] * k + b[None, :]).ravel()
    bcell = np.repeat(np.arange(1, len(cx) + 1), k * k)
    active = np.zeros((nbx, nby), dtype=bool)
    active[bi, bj] = True
    prop = np.column_stack(
        [
            X[bi] + wx[bi] / 2,
            Y[bj] + wy[bj] / 2,
            X[bi + 1] - wx[bi + 1] / 2,
            Y[bj + 1] - wy[bj + 1] / 2,
        ]
    )
    ymid = (Y[:-1] + wy[:-1] / 2 + Y[1:] - wy[1:] / 2) / 2

    # Block types: shopping blocks along arterials, the rest scattered.
    nb = len(bi)
    counts = plan.type_counts.copy()
    touches = art_x[bi] | art_x[bi + 1] | art_y[bj] | art_y[bj + 1]
    score = touches + rng.random(nb) * 0.8
    btype = np.full(nb, HOUSES, dtype=np.int64)
    by_score = np.argsort(-score, kind="stable")
    shops = by_score[: counts[SHOPS]]
    btype[shops] = SHOPS
    rest = np.setdiff1d(np.arange(nb), shops)
    rest = rest[rng.permutation(len(rest))]
    at = 0
    for t in (CIVIC, PARK, WORKS, TOWERS, SLABS):
        c = counts[t] + (plan.to_slabs if t == SLABS else 0)
        btype[rest[at : at + c]] = t
        at += c
    base_idx = names.integers(0, len(ROAD_WORDS), nb)
    bbase = np.asarray(ROAD_WORDS)[base_idx]
    suffix = np.empty(nb, dtype=object)
    for t, options in COMPOUND_SUFFIX.items():
        m = btype == t
        suffix[m] = np.asarray(options)[names.integers(0, len(options), int(m.sum()))]
    bname = _cat(bbase, suffix.astype(str))
    return _Lattice(
        srid=srid, X=X, Y=Y, kind_x=kind_x, kind_y=kind_y, name_x=name_x, name_y=name_y,
        base_y=base_y,
        active=active, cell_cx=cx, cell_cy=cy, cell_comm=comm, cell_no=cell_no,
        comm_names=comm_names, comm_codes=comm_codes, bi=bi, bj=bj, bcell=bcell, btype=btype,
        bname=bname, bbase=bbase, prop=prop, ymid=ymid,
    )  # fmt: skip


# ------------------------------------------------------------------------------------ lots
def _grid_lots(rect: np.ndarray, cols: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Split each rect into cols x rows lots; returns lots (nb, rows*cols, 4) and each lot's row."""
    x0, y0, x1, y1 = (rect[:, i][:, None, None] for i in range(4))
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    u = np.arange(cols)[None, None, :]
    v = np.arange(rows)[None, :, None]
    lx0 = np.broadcast_to(x0 + w * u, (len(rect), rows, cols))
    ly0 = np.broadcast_to(y0 + h * v, (len(rect), rows, cols))
    lots = np.stack([lx0, ly0, lx0 + w, ly0 + h], -1).reshape(len(rect), rows * cols, 4)
    return lots, np.repeat(np.arange(rows), cols)


def _lots(btype: int, prop: np.ndarray, ymid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lots (nb, L, 4) and their roles (L,) for blocks of one type (property rects ``prop``)."""
    inner = prop + np.array([SETBACK, SETBACK, -SETBACK, -SETBACK])
    if btype == HOUSES:
        south = inner.copy()
        south[:, 3] = ymid - LANE_CLEAR
        north = inner.copy()
        north[:, 1] = ymid + LANE_CLEAR
        ls, rs = _grid_lots(south, 12, 3)
        ln, rn = _grid_lots(north, 12, 3)
        roles = np.concatenate(
            [np.where(rs == 0, R_HOUSE_FRONT, R_HOUSE), np.where(rn == 2, R_HOUSE_FRONT, R_HOUSE)]
        )
        return np.concatenate([ls, ln], 1), roles
    if btype == SLABS:
        lots, _ = _grid_lots(inner, 2, 4)
        return lots, np.full(8, R_SLAB)
    if btype == TOWERS:
        lots, _ = _grid_lots(inner, 4, 3)
        return lots, np.full(12, R_TOWER)
    if btype == SHOPS:
        x0, y0, x1, y1 = inner.T
        d = np.clip(0.22 * (y1 - y0), 12.0, 22.0)
        rows = [
            _grid_lots(np.column_stack([x0, y0, x1, y0 + d]), 10, 1)[0],
            _grid_lots(np.column_stack([x0, y1 - d, x1, y1]), 10, 1)[0],
            _grid_lots(np.column_stack([x0, y0 + d, x0 + d, y1 - d]), 1, 3)[0],
            _grid_lots(np.column_stack([x1 - d, y0 + d, x1, y1 - d]), 1, 3)[0],
            np.column_stack([x0 + d + 8, y0 + d + 8, x1 - d - 8, y1 - d - 8])[:, None, :],
        ]
        return np.concatenate(rows, 1), np.array([R_SHOP] * 26 + [R_MALL])
    if btype == CIVIC:
        lots, _ = _grid_lots(inner, 2, 2)
        return lots, np.full(4, R_CIVIC)
    if btype == WORKS:
        lots, _ = _grid_lots(inner, 3, 2)
        return lots, np.full(6, R_WORKS)
    if btype == PARK:
        x0, y0, x1, y1 = inner.T
        sw = np.column_stack([x0, y0, x0 + 14, y0 + 10])
        ne = np.column_stack([x1 - 14, y1 - 10, x1, y1])
        return np.stack([sw, ne], 1), np.full(2, R_KIOSK)
    raise ValueError(btype)


# ------------------------------------------------------------------------------------ buildings
@dataclass
class _Buildings:
    columns: dict[str, np.ndarray]
    geometry: np.ndarray
    block: np.ndarray  # index into the lattice's blocks
    role: np.ndarray
    use: np.ndarray  # index into USES
    point: np.ndarray  # representative point (x, y), inside the footprint


def _footprints(rect: np.ndarray, lshape: np.ndarray, corner: np.ndarray, notch: np.ndarray):
    """Rectangles, or L shapes with a ``notch`` (fraction w, h) cut from ``corner`` (0..3)."""
    n = len(rect)
    geoms = np.empty(n, dtype=object)
    x0, y0, x1, y1 = rect.T
    r = np.flatnonzero(~lshape)
    xs = np.stack([x0[r], x1[r], x1[r], x0[r], x0[r]], 1)
    ys = np.stack([y0[r], y0[r], y1[r], y1[r], y0[r]], 1)
    geoms[r] = shapely.polygons(np.stack([xs, ys], -1))
    li = np.flatnonzero(lshape)
    if len(li):
        nu, nv = notch[li, 0], notch[li, 1]
        zero, one = np.zeros(len(li)), np.ones(len(li))
        # Canonical L: the notch at the top-right corner, counter-clockwise.
        u = np.stack([zero, one, one, 1 - nu, 1 - nu, zero, zero], 1)
        v = np.stack([zero, zero, 1 - nv, 1 - nv, one, one, zero], 1)
        c = corner[li]
        mx, my = (c == 1) | (c == 2), (c == 2) | (c == 3)
        u = np.where(mx[:, None], 1 - u, u)
        v = np.where(my[:, None], 1 - v, v)
        flip = mx ^ my  # one mirror reverses the winding: restore counter-clockwise
        u[flip], v[flip] = u[flip, ::-1], v[flip, ::-1]
        px = x0[li, None] + u * (x1 - x0)[li, None]
        py = y0[li, None] + v * (y1 - y0)[li, None]
        geoms[li] = shapely.polygons(np.stack([px, py], -1))
    return geoms


def _buildings(lat: _Lattice, n: int, rng: np.random.Generator):
    blocks, lots, roles, pos = [], [], [], []
    for t in range(7):
        idx = np.flatnonzero(lat.btype == t)
        if len(idx) == 0:
            continue
        lr, role = _lots(t, lat.prop[idx], lat.ymid[lat.bj[idx]])
        nl = lr.shape[1]
        blocks.append(np.repeat(idx, nl))
        lots.append(lr.reshape(-1, 4))
        roles.append(np.tile(role, len(idx)))
        pos.append(np.tile(np.arange(nl), len(idx)))
    block, rect, role, lot_pos = (np.concatenate(a) for a in (blocks, lots, roles, pos))
    order = np.lexsort((lot_pos, block))
    block, rect, role = block[order], rect[order], role[order]

    # Exactly n buildings: leave random lots empty (green space, parking), civic lots last.
    surplus = len(block) - n
    if surplus > 0:
        droppable = np.flatnonzero(DROPPABLE[role])
        if surplus <= len(droppable):
            drop = rng.choice(droppable, surplus, replace=False)
        else:
            rest = np.flatnonzero(~DROPPABLE[role])
            drop = np.concatenate([droppable, rng.choice(rest, surplus - len(droppable), False)])
        keep = np.ones(len(block), dtype=bool)
        keep[drop] = False
        block, rect, role = block[keep], rect[keep], role[keep]

    m = len(block)
    inset = ROLE_INSET[role][:, None] * np.array([1, 1, -1, -1])
    lot = rect + inset
    lw, lh = lot[:, 2] - lot[:, 0], lot[:, 3] - lot[:, 1]
    fw = ROLE_FILL_W[role, 0] + rng.random(m) * (ROLE_FILL_W[role, 1] - ROLE_FILL_W[role, 0])
    fh = ROLE_FILL_H[role, 0] + rng.random(m) * (ROLE_FILL_H[role, 1] - ROLE_FILL_H[role, 0])
    bw, bh = fw * lw, fh * lh
    bx0 = lot[:, 0] + rng.random(m) * (lw - bw)
    by0 = lot[:, 1] + rng.random(m) * (lh - bh)
    fp = np.round(np.column_stack([bx0, by0, bx0 + bw, by0 + bh]), 2)
    lshape = rng.random(m) < ROLE_L_SHARE[role]
    corner = rng.integers(0, 4, m)
    notch = 0.35 + rng.random((m, 2)) * 0.25
    geometry = _footprints(fp, lshape, corner, notch)
    point = np.column_stack(
        [fp[:, 0] + 0.2 * (fp[:, 2] - fp[:, 0]), fp[:, 1] + 0.2 * (fp[:, 3] - fp[:, 1])]
    )  # inside every footprint: an L's notch never reaches the corner it is cut from...
    # ...unless the notch is at the bottom-left (corner 2): use the opposite side there.
    bl = lshape & (corner == 2)
    point[bl] = np.column_stack(
        [fp[bl, 0] + 0.8 * (fp[bl, 2] - fp[bl, 0]), fp[bl, 1] + 0.2 * (fp[bl, 3] - fp[bl, 1])]
    )

    floors = np.ones(m, dtype=np.int64)
    for r, (values, weights) in ROLE_FLOORS.items():
        sel = np.flatnonzero(role == r)
        if len(sel):
            p = None if weights is None else np.asarray(weights) / np.sum(weights)
            floors[sel] = rng.choice(np.asarray(values), len(sel), p=p)
    units = ROLE_UNITS[role, 0] + (
        rng.random(m) * (ROLE_UNITS[role, 1] - ROLE_UNITS[role, 0] + 1)
    ).astype(np.int64)
    cum = np.cumsum(ROLE_USE_P, axis=1)[role]
    use = np.minimum((rng.random(m)[:, None] >= cum).sum(1), len(USES) - 1)
    use[(use == MIX) & (floors < 2)] = COM
    sheds = (use == OTH) & ((role == R_HOUSE) | (role == R_HOUSE_FRONT))
    floors[sheds] = 1
    units[(use == OTH) | (use == PUB) | (use == IND)] = 0

    # Addresses and names: <south street><no>号<k>栋, <compound><k>号楼.
    starts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
    k = np.arange(m) - np.repeat(starts, np.diff(np.r_[starts, m])) + 1
    address = _cat(lat.block_address()[block], k, "栋")
    compound = lat.bname[block]
    kind_word = np.full(m, "号楼", dtype="<U8")
    kind_word[role == R_SHOP] = "号商铺"
    kind_word[role == R_WORKS] = "号厂房"
    kind_word[sheds] = "号附属用房"
    name = _cat(compound, k, kind_word).astype(object)
    mall = role == R_MALL
    name[mall] = _cat(compound[mall], np.where(use[mall] == COM, "购物中心", "大厦"))
    kiosk = role == R_KIOSK
    name[kiosk] = _cat(compound[kiosk], np.where(k[kiosk] == 1, "公厕", "管理用房"))
    ids = np.arange(1, m + 1, dtype=np.int64)
    columns = {
        "id": ids,
        "grid_cell_id": lat.bcell[block].astype(np.int64),
        "name": name,
        "address": address,
        "floors": floors,
        "units": units.astype(np.int64),
        "use": np.asarray(USES)[use],
    }
    return _Buildings(columns, geometry, block, role, use, point)


# ------------------------------------------------------------------------------------ cells
def _codepoints(text: str | np.ndarray) -> np.ndarray:
    """Unicode code points (uint32) of a string, or (n, width) of a fixed-width string array."""
    if isinstance(text, str):
        return np.array([ord(c) for c in text], dtype=np.uint32)
    a = np.ascontiguousarray(text)
    return a.view(np.uint32).reshape(len(a), -1)


@lru_cache(maxsize=8)
def _digit_table(width: int) -> np.ndarray:
    """Code points of every number 0 … 10**width - 1, zero-padded: shape (10**width, width)."""
    k = np.arange(10**width)
    digits = np.stack([k // 10 ** (width - 1 - p) % 10 for p in range(width)], 1)
    return (digits + ord("0")).astype(np.uint32)


class _Text:
    """Fixed-width strings for millions of rows, written block by block as code points.

    numpy's ``<U`` strings are UCS-4 code points with trailing NULs dropped, so a (n, width)
    uint32 array *is* n strings: no Python string is built per row.
    """

    def __init__(self, n: int, width: int):
        self.cp = np.zeros((n, width), dtype=np.uint32)
        self.at = 0

    def chars(self, cp) -> _Text:
        """One column (a code point per row, or one for all) or a (n, w) block."""
        cp = np.asarray(cp, dtype=np.uint32)
        w = 1 if cp.ndim < 2 else cp.shape[1]
        if cp.ndim < 2:
            self.cp[:, self.at] = cp
        else:
            self.cp[:, self.at : self.at + w] = cp
        self.at += w
        return self

    def text(self, value: str) -> _Text:
        for ch in value:
            self.chars(ord(ch))
        return self

    def digits(self, values: np.ndarray, width: int) -> _Text:
        """Zero-padded decimal digits of non-negative integers."""
        values = np.asarray(values, dtype=np.int64)
        for w in range(width, 0, -4):
            take = min(4, w)
            idx = values // 10 ** (w - take) % 10**take if w > take else values % 10**take
            self.chars(_digit_table(take).take(idx, axis=0))
        return self

    def strings(self) -> np.ndarray:
        return self.cp.view(f"<U{self.cp.shape[1]}").ravel()


def _person_names(rng: np.random.Generator, male: np.ndarray, surname: np.ndarray | None = None):
    """Chinese names: a surname (frequency-weighted) and one or two given characters."""
    n = len(male)
    if surname is None:
        surname = _surnames(rng, n)
    m_pool, f_pool, any_pool = (_codepoints(s) for s in (GIVEN_MALE, GIVEN_FEMALE, GIVEN_ANY))
    first = np.where(
        male, m_pool[rng.integers(0, len(m_pool), n)], f_pool[rng.integers(0, len(f_pool), n)]
    )
    last = np.where(
        male, m_pool[rng.integers(0, len(m_pool), n)], f_pool[rng.integers(0, len(f_pool), n)]
    )
    two = rng.random(n) < 0.7
    lead = np.where(two, any_pool[rng.integers(0, len(any_pool), n)], first)
    return _Text(n, 3).chars(surname).chars(lead).chars(np.where(two, last, 0)).strings()


def _surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """Surname code points, roughly by frequency (王, 李, 张 most common)."""
    sur = _codepoints(SURNAMES)
    w = 1.0 / np.arange(1, len(sur) + 1) ** 0.9
    return sur[rng.choice(len(sur), n, p=w / w.sum())]


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """Mainland mobile numbers, 1[3-9] followed by nine digits."""
    second = rng.choice(np.arange(3, 10), n, p=[0.34, 0.02, 0.25, 0.03, 0.06, 0.25, 0.05])
    text = _Text(n, 11).text("1").digits(second, 1).digits(rng.integers(0, 10**9, n), 9)
    return text.strings()


def _communities_and_cells(lat: _Lattice, rng: np.random.Generator):
    k = BLOCKS_PER_CELL
    # Each cell ring walks every street crossing on its edges, so neighbours share vertices
    # exactly and the cells form a valid coverage.
    di = np.array([0, 1, 2, 3, 3, 3, 3, 2, 1, 0, 0, 0, 0])
    dj = np.array([0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 2, 1, 0])
    ri = lat.cell_cx[:, None] * k + di[None, :]
    rj = lat.cell_cy[:, None] * k + dj[None, :]
    cells = shapely.polygons(np.stack([lat.X[ri], lat.Y[rj]], -1))
    ncell, ncomm = len(cells), len(lat.comm_names)
    cell_ids = np.arange(1, ncell + 1, dtype=np.int64)
    comm_ids = np.arange(1, ncomm + 1, dtype=np.int64)
    boundaries = np.empty(ncomm, dtype=object)
    for c in range(ncomm):  # one coverage union per community, not per building
        boundaries[c] = shapely.coverage_union_all(cells[lat.cell_comm == c])
    boundaries = np.array([shapely.MultiPolygon(shapely.get_parts(b)) for b in boundaries])
    offices = _line_names([w.removesuffix("街道") for w in STREET_OFFICES], -(-ncomm // 6), "街道")
    supervisors = _person_names(rng, rng.random(ncomm) < 0.5)
    communities = {
        "id": comm_ids,
        "code": lat.comm_codes,
        "name": lat.comm_names,
        "district": np.full(ncomm, DISTRICT_NAME),
        "street_office": offices[np.arange(ncomm) // 6],
    }
    comm = lat.cell_comm
    cell_codes = _cat(lat.comm_codes[comm], "-", np.strings.zfill(lat.cell_no.astype(str), 2))
    grid_cells = {
        "id": cell_ids,
        "community_id": comm_ids[comm],
        "code": cell_codes,
        "name": _cat(lat.comm_names[comm], "第", lat.cell_no, "网格"),
        "worker_name": _person_names(rng, rng.random(ncell) < 0.45),
        "worker_phone": _phones(rng, ncell),
        "supervisor": supervisors[comm],
        "version": np.ones(ncell, dtype=np.int64),
    }
    return (communities, boundaries), (grid_cells, cells)


def _streets(lat: _Lattice):
    nbx, nby = lat.nbx, lat.nby
    act = np.zeros((nbx + 2, nby + 2), dtype=bool)
    act[1:-1, 1:-1] = lat.active
    comm_of_cell = np.concatenate([[-1], lat.cell_comm])
    comm = np.full((nbx + 2, nby + 2), -1, dtype=np.int64)
    comm[lat.bi + 1, lat.bj + 1] = comm_of_cell[lat.bcell]
    lane = np.zeros((nbx + 2, nby + 2), dtype=bool)
    houses = lat.btype == HOUSES
    lane[lat.bi[houses] + 1, lat.bj[houses] + 1] = True

    # E-W segments along y-line j between x-lines i and i+1: block (i, j-1) or (i, j) is in.
    gi, gj = np.meshgrid(np.arange(nbx), np.arange(nby + 1), indexing="ij")
    i, j = gi.ravel(), gj.ravel()
    ew = act[i + 1, j] | act[i + 1, j + 1]
    i, j = i[ew], j[ew]
    ew_coords = np.stack(
        [np.column_stack([lat.X[i], lat.Y[j]]), np.column_stack([lat.X[i + 1], lat.Y[j]])], 1
    )
    ew_comm = np.maximum(comm[i + 1, j + 1], comm[i + 1, j])
    ew_name, ew_kind = lat.name_y[j], lat.kind_y[j]
    # N-S segments along x-line i between y-lines j and j+1, split where a lane meets them.
    gi, gj = np.meshgrid(np.arange(nbx + 1), np.arange(nby), indexing="ij")
    i, j = gi.ravel(), gj.ravel()
    ns = act[i, j + 1] | act[i + 1, j + 1]
    i, j = i[ns], j[ns]
    split = lane[i, j + 1] | lane[i + 1, j + 1]
    lo = np.column_stack([lat.X[i], lat.Y[j]])
    hi = np.column_stack([lat.X[i], lat.Y[j + 1]])
    mid = np.column_stack([lat.X[i], lat.ymid[j]])
    ns_coords = np.concatenate(
        [
            np.stack([lo[~split], hi[~split]], 1),
            np.stack([lo[split], mid[split]], 1),
            np.stack([mid[split], hi[split]], 1),
        ]
    )
    sel = np.concatenate([np.flatnonzero(~split), np.flatnonzero(split), np.flatnonzero(split)])
    ns_comm = np.maximum(comm[i + 1, j + 1], comm[i, j + 1])[sel]
    ns_name, ns_kind = lat.name_x[i][sel], lat.kind_x[i][sel]
    # Lanes across old quarters, from street to street.
    hb = np.flatnonzero(houses)
    bi, bj = lat.bi[hb], lat.bj[hb]
    lane_coords = np.stack(
        [
            np.column_stack([lat.X[bi], lat.ymid[bj]]),
            np.column_stack([lat.X[bi + 1], lat.ymid[bj]]),
        ],
        1,
    )
    lane_comm = comm_of_cell[lat.bcell[hb]]
    lane_name = _cat(lat.bbase[hb], "巷")
    coords = np.concatenate([ew_coords, ns_coords, lane_coords])
    kind = np.concatenate([ew_kind, ns_kind, np.full(len(hb), "lane")])
    n = len(coords)
    comm_id = np.concatenate([ew_comm, ns_comm, lane_comm]) + 1
    columns = {
        "id": np.arange(1, n + 1, dtype=np.int64),
        "community_id": np.where(comm_id > 0, comm_id, 1).astype(np.int64),
        "name": np.concatenate([ew_name, ns_name, lane_name]),
        "kind": kind,
        "width_m": np.select(
            [kind == "arterial", kind == "secondary"],
            [STREET_WIDTH["arterial"], STREET_WIDTH["secondary"]],
            STREET_WIDTH["lane"],
        ),
    }
    return columns, shapely.linestrings(coords)


# ------------------------------------------------------------------------------------ residents
RESIDENT_COLUMNS = (
    "id",
    "grid_cell_id",
    "building_id",
    "household_code",
    "name",
    "id_number",
    "phone",
    "gender",
    "birth_date",
    "tags",
)


def _empty_residents() -> dict[str, np.ndarray]:
    cols = {name: np.empty(0, dtype=object) for name in RESIDENT_COLUMNS}
    cols["id"] = np.empty(0, dtype=np.int64)
    return cols


def _id_numbers(days: np.ndarray, male: np.ndarray) -> np.ndarray:
    """GB 11643 citizen ID numbers: region 610402, birth date, sequence (odd: male), check.

    ``days`` are birth dates as days since 1970-01-01.
    """
    n = len(days)
    if n == 0:
        return np.empty(0, dtype="<U18")
    # A sequence number unique within (birth date, sex), so ID numbers do not repeat.
    lo = int(days.min())
    key = ((days - lo) * 2 + male).astype(np.int32)
    order = np.argsort(key, kind="stable")
    ks = key[order]
    start = np.r_[True, ks[1:] != ks[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first
    offset = (days * 7919) % 499
    seq = np.where(male, 2 * ((rank + offset) % 500) + 1, 2 * ((rank + offset) % 499) + 2)
    # Dates and sequence numbers through small tables: code points and weighted digit sums.
    span = np.arange(lo, int(days.max()) + 1).astype("datetime64[D]")
    iso = _codepoints(np.datetime_as_string(span, unit="D"))  # YYYY-MM-DD
    date_cp = iso[:, [0, 1, 2, 3, 5, 6, 8, 9]]
    seq_cp = _digit_table(3)
    weights = _ID_WEIGHTS
    region_sum = int(sum(int(c) * w for c, w in zip(DISTRICT_CODE, weights[:6], strict=True)))
    date_sum = (date_cp.astype(np.int64) - ord("0")) @ weights[6:14]
    seq_sum = (seq_cp.astype(np.int64) - ord("0")) @ weights[14:17]
    d = days - lo
    check = _ID_CHECK[(region_sum + date_sum[d] + seq_sum[seq]) % 11].astype(np.uint32)
    text = _Text(n, 18).text(DISTRICT_CODE).chars(date_cp.take(d, axis=0))
    return text.chars(seq_cp.take(seq, axis=0)).chars(check).strings()


def _residents(bld: _Buildings, rng: np.random.Generator) -> dict[str, np.ndarray]:
    cols = bld.columns
    use, floors, units = bld.use, cols["floors"], cols["units"]
    home_floors = np.where(use == RES, floors, np.where(use == MIX, floors - 1, 0))
    dwellings = home_floors * units
    total = int(dwellings.sum())
    if total == 0:
        return _empty_residents()
    b = np.repeat(np.arange(len(use)), dwellings)
    k = np.arange(total) - np.repeat(np.cumsum(dwellings) - dwellings, dwellings)
    room = (k // units[b] + np.where(use[b] == MIX, 2, 1)) * 100 + k % units[b] + 1
    occupied = rng.random(total) < 0.88
    b, room = b[occupied], room[occupied]
    nh = len(b)
    size = rng.choice(np.arange(1, 6), nh, p=[0.2, 0.3, 0.27, 0.15, 0.08])
    # Head of household's age: singles are often elderly; larger households younger.
    single = size == 1
    head_age = np.empty(nh)
    bins = np.array([24, 35, 45, 55, 65, 75, 90])
    pick = rng.choice(6, nh, p=[0.22, 0.24, 0.2, 0.16, 0.12, 0.06])
    head_age[:] = bins[pick] + rng.random(nh) * (bins[pick + 1] - bins[pick])
    old_single = single & (rng.random(nh) < 0.4)
    head_age[old_single] = np.minimum(65 + rng.gamma(2.0, 5.0, int(old_single.sum())), 98)
    young_single = single & ~old_single
    head_age[young_single] = 19 + rng.random(int(young_single.sum())) * 45

    hh = np.repeat(np.arange(nh), size)
    n = len(hh)
    pos = np.arange(n) - np.repeat(np.cumsum(size) - size, size)
    ha = head_age[hh]
    age = ha.copy()
    spouse = pos == 1
    age[spouse] = np.clip(ha[spouse] + rng.normal(0, 3, int(spouse.sum())), 19, 99)
    child = pos >= 2
    age[child] = ha[child] - (23 + rng.random(int(child.sum())) * 14)
    grand = (size[hh] == 5) & (pos == 4) & (ha <= 60)
    age[grand] = np.minimum(ha[grand] + 24 + rng.random(int(grand.sum())) * 9, 99)
    baby = age < 0
    age[baby] = rng.random(int(baby.sum())) * 3
    head_male = rng.random(nh) < 0.55
    male = np.where(pos == 0, head_male[hh], rng.random(n) < 0.5)
    male[spouse] = ~head_male[hh[spouse]]
    days = REFERENCE_DATE.astype(np.int64) - (age * 365.25).astype(np.int64)
    birth = days.astype("datetime64[D]")
    family = _surnames(rng, nh)[hh]
    surname = np.where(spouse | grand, _surnames(rng, n), family)
    names = _person_names(rng, male, surname)

    elderly_alone = single[hh] & (age >= 65)
    disabled = rng.random(n) < 0.01 + 0.03 * (age >= 65)
    low_income = (rng.random(nh) < 0.03)[hh]
    veteran = male & (age >= 35) & (rng.random(n) < 0.02)
    migrant = (rng.random(nh) < 0.1)[hh] & ~elderly_alone
    bits = (elderly_alone * 1 + disabled * 2 + low_income * 4 + veteran * 8 + migrant * 16).astype(
        np.int64
    )
    combos = np.empty(1 << len(RESIDENT_TAGS), dtype=object)
    for mask in range(len(combos)):
        combos[mask] = [t for i, t in enumerate(RESIDENT_TAGS) if mask >> i & 1]
    has_phone = (age >= 12) & ~((age >= 80) & (rng.random(n) < 0.4))
    phones = _phones(rng, n).astype(object)
    phones[~has_phone] = None

    bid = cols["id"][b]
    width = max(7, len(str(int(cols["id"][-1]))))
    household = _Text(nh, 1 + width + 4).text("H").digits(bid, width).digits(room, 4).strings()
    return {
        "id": np.arange(1, n + 1, dtype=np.int64),
        "grid_cell_id": cols["grid_cell_id"][b][hh],
        "building_id": bid[hh],
        "household_code": household[hh],
        "name": names,
        "id_number": _id_numbers(days, male),
        "phone": phones,
        "gender": np.where(male, "male", "female"),
        "birth_date": birth,
        "tags": combos[bits],
    }


# ------------------------------------------------------------------------------------ places
def _take(rng: np.random.Generator, pools: list[np.ndarray], count: int) -> np.ndarray:
    """``count`` distinct random picks from the first pool, then the next; repeats only when
    every pool is used up (a tiny demo)."""
    picked = np.empty(0, dtype=np.int64)
    for pool in pools:
        if len(picked) >= count:
            break
        fresh = pool[~np.isin(pool, picked)]
        fresh = fresh[rng.permutation(len(fresh))][: count - len(picked)]
        picked = np.concatenate([picked, fresh])
    if len(picked) < count:
        union = np.unique(np.concatenate(pools))
        picked = np.concatenate([picked, rng.choice(union, count - len(picked))])
    return picked


def _dedupe(names: np.ndarray) -> np.ndarray:
    """Tell equal names apart: the second 人民医院 becomes 人民医院（二）, and so on."""
    n = len(names)
    if n == 0:
        return names
    order = np.argsort(names, kind="stable")
    s = names[order]
    start = np.r_[True, s[1:] != s[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first
    labels = np.array(["一", *ORDINALS[1:], *(str(i) for i in range(11, n + 2))])
    return np.where(rank > 0, _cat(names, "（", labels[rank], "）"), names)


def _scaled(rate: float, n_buildings: int) -> int:
    return max(1, round(rate * n_buildings / 3000))


def _points(xy: np.ndarray) -> np.ndarray:
    return shapely.points(np.asarray(xy, dtype=float).reshape(-1, 2))


def _facilities(lat: _Lattice, bld: _Buildings, rng: np.random.Generator, taken: np.ndarray):
    nb = len(bld.role)
    civic = np.flatnonzero(bld.role == R_CIVIC)
    trade = np.flatnonzero((bld.use == COM) | (bld.use == MIX))
    everything = np.arange(nb)
    kinds: list[str] = []
    where: list[np.ndarray] = []
    for kind_name in CIVIC_KINDS:
        count = _scaled(FACILITY_RATES[kind_name], nb)
        pick = _take(rng, [civic[~taken[civic]], everything[~taken], everything], count)
        taken[pick] = True
        kinds += [kind_name] * count
        where.append(pick)
    for kind_name in ("pharmacy", "grocery"):
        count = _scaled(FACILITY_RATES[kind_name], nb)
        pick = _take(rng, [trade[~taken[trade]], everything[~taken], everything], count)
        taken[pick] = True
        kinds += [kind_name] * count
        where.append(pick)
    b = np.concatenate(where)
    kind = np.array(kinds)
    block = bld.block[b]
    base = lat.base_y[lat.bj[block]]
    comm = lat.comm_names[lat.cell_comm[lat.bcell[block] - 1]]
    brand = np.asarray(BRANDS)[rng.integers(0, len(BRANDS), len(b))]
    school = np.where(rng.random(len(b)) < 0.6, "小学", "中学")
    name = np.select(
        [kind == k for k in ("hospital", "clinic", "school", "kindergarten", "elderly_care",
                             "police", "fire_station", "pharmacy", "grocery")],
        [_cat(base, "医院"), _cat(base, "路社区卫生服务站"), _cat(base, school),
         _cat(base, "幼儿园"), _cat(comm, "日间照料中心"), _cat(base, "派出所"),
         _cat(base, "消防救援站"),
         _cat(brand, "大药房"), _cat(brand, "便民超市")],
        "",
    )  # fmt: skip
    ranges = {  # capacity (places, pupils or visits a day) and beds
        "hospital": ((800, 2000), (200, 600)),
        "clinic": ((60, 200), (0, 12)),
        "school": ((800, 2400), None),
        "kindergarten": ((150, 360), None),
        "elderly_care": ((40, 200), (30, 150)),
        "police": (None, None),
        "fire_station": (None, None),
        "pharmacy": ((100, 300), None),
        "grocery": ((300, 1500), None),
    }
    capacity = np.full(len(b), np.nan)
    beds = np.empty(len(b), dtype=object)
    for k_, (cap, bed) in ranges.items():
        m = np.asarray(kind == k_)
        if cap is not None:
            capacity[m] = rng.integers(cap[0], cap[1] + 1, int(m.sum()))
        if bed is not None:
            beds[m] = [int(v) for v in rng.integers(bed[0], bed[1] + 1, int(m.sum()))]
    point = bld.point[b]
    address = bld.columns["address"][b]
    # Parks: one per park block, at its centre.
    parks = np.flatnonzero(lat.btype == PARK)
    if len(parks) == 0:  # a tiny demo without a park block: a pocket park in the first block
        parks = np.array([0])
    pr = lat.prop[parks]
    park_point = np.column_stack([(pr[:, 0] + pr[:, 2]) / 2, (pr[:, 1] + pr[:, 3]) / 2])
    park_area = (pr[:, 2] - pr[:, 0]) * (pr[:, 3] - pr[:, 1])
    np_ = len(parks)
    kind = np.concatenate([kind, np.full(np_, "park")])
    name = _dedupe(np.concatenate([name, lat.bname[parks]]))
    address = np.concatenate([address, lat.block_address()[parks]])
    capacity = np.concatenate([capacity, np.round(park_area / 20.0)])
    beds = np.concatenate([beds, np.full(np_, None, dtype=object)])
    # The civic buildings take their facility's name.
    on_civic = np.flatnonzero(bld.role[b] == R_CIVIC)
    bld.columns["name"][b[on_civic]] = name[on_civic]
    cells = np.concatenate([bld.columns["grid_cell_id"][b], lat.bcell[parks]])
    point = np.concatenate([point, park_point])
    n = len(kind)
    columns = {
        "id": np.arange(1, n + 1, dtype=np.int64),
        "grid_cell_id": cells.astype(np.int64),
        "kind": kind,
        "name": name,
        "address": address,
        "capacity": capacity,
        "beds": beds,
    }
    return columns, _points(point)


def _credit_codes(rng: np.random.Generator, individual: np.ndarray) -> np.ndarray:
    """GB 32100 unified social credit codes: 9 1|2 + 610402 + GB 11714 organisation code + check."""
    n = len(individual)
    org = rng.choice(100_000_000, n, replace=False) if n else np.empty(0, np.int64)
    org_digits = np.stack([org // 10 ** (7 - p) % 10 for p in range(8)], 1)
    c9 = 11 - (org_digits @ _ORG_WEIGHTS) % 11
    alphabet = np.frombuffer(_USCC_ALPHABET.encode(), dtype=np.uint8)
    values = np.empty((n, 17), dtype=np.int64)
    values[:, 0] = 9
    values[:, 1] = np.where(individual, 2, 1)
    values[:, 2:8] = [int(c) for c in DISTRICT_CODE]
    values[:, 8:16] = org_digits
    # The organisation code's own check: 10 is X (value 29 in the GB 32100 alphabet), 11 is 0.
    values[:, 16] = np.where(c9 == 11, 0, np.where(c9 == 10, _USCC_ALPHABET.index("X"), c9))
    check = (31 - (values @ _USCC_WEIGHTS) % 31) % 31
    chars = np.empty((n, 18), dtype=np.uint8)
    chars[:, :17] = alphabet[values]
    chars[:, 17] = alphabet[check]
    return chars.view("S18").ravel().astype("U18")


def _enterprises(bld: _Buildings, rng: np.random.Generator, taken: np.ndarray):
    nb = len(bld.role)
    count = max(3, round(ENTERPRISES_PER_3000 * nb / 3000))
    trade = np.flatnonzero(((bld.use == COM) | (bld.use == MIX) | (bld.use == IND)) & ~taken)
    b = _take(rng, [trade, np.flatnonzero(~taken), np.arange(nb)], count)
    taken[b] = True
    works = bld.use[b] == IND
    individual = ~works & (rng.random(count) < 0.4)
    brand = np.asarray(BRANDS)[rng.integers(0, len(BRANDS), count)]
    ci = rng.integers(0, len(COMPANY_INDUSTRIES), count)
    wi = rng.integers(0, len(WORKS_INDUSTRIES), count)
    si = rng.integers(0, len(SHOP_INDUSTRIES), count)
    table = np.array(COMPANY_INDUSTRIES)[ci]
    table[works] = np.array(WORKS_INDUSTRIES)[wi[works]]
    table[individual] = np.array(SHOP_INDUSTRIES)[si[individual]]
    company = _cat(CITY_NAME.removesuffix("市"), brand, table[:, 1], "有限公司")
    shop = _cat(DISTRICT_NAME, brand, table[:, 1])
    employees = np.where(
        individual,
        rng.integers(1, 9, count),
        np.clip(np.round(rng.lognormal(np.log(15), 1.0, count)), 2, 500).astype(np.int64),
    )
    columns = {
        "id": np.arange(1, count + 1, dtype=np.int64),
        "grid_cell_id": bld.columns["grid_cell_id"][b],
        "building_id": bld.columns["id"][b],
        "name": _dedupe(np.where(individual, shop, company)),
        "credit_code": _credit_codes(rng, individual),
        "address": bld.columns["address"][b],
        "industry": table[:, 0],
        "employees": employees.astype(np.int64),
    }
    return columns, _points(bld.point[b])


# ------------------------------------------------------------------------------------ devices
def _codes(prefix: str, n: int) -> np.ndarray:
    width = max(4, len(str(n)))
    return _cat(prefix + "-", np.strings.zfill(np.arange(1, n + 1).astype(str), width))


def _bins(lat: _Lattice, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A waste collection point on the south edge of each residential block."""
    blocks = np.flatnonzero(np.isin(lat.btype, (HOUSES, SLABS, TOWERS)))
    pr = lat.prop[blocks]
    x = pr[:, 0] + (0.2 + 0.6 * rng.random(len(blocks))) * (pr[:, 2] - pr[:, 0])
    return blocks, np.column_stack([x, pr[:, 1] + 2.5])


def _cameras(lat: _Lattice, bins: tuple[np.ndarray, np.ndarray], rng: np.random.Generator):
    nb = len(lat.bi)
    # Security cameras on block corners, looking into the crossing; blocks on arterials get two.
    on_arterial = (
        (lat.kind_x[lat.bi] == "arterial")
        | (lat.kind_x[lat.bi + 1] == "arterial")
        | (lat.kind_y[lat.bj] == "arterial")
        | (lat.kind_y[lat.bj + 1] == "arterial")
    )
    first = rng.integers(0, 4, nb)
    blocks = np.concatenate([np.arange(nb), np.flatnonzero(on_arterial)])
    corner = np.concatenate([first, (first[on_arterial] + 2) % 4])  # 0 SW, 1 SE, 2 NE, 3 NW
    pr = lat.prop[blocks]
    east, north = (corner == 1) | (corner == 2), corner >= 2
    x = np.where(east, pr[:, 2] - 2.0, pr[:, 0] + 2.0)
    y = np.where(north, pr[:, 3] - 2.0, pr[:, 1] + 2.0)
    heading = (
        np.array([225.0, 135.0, 45.0, 315.0])[corner] + rng.uniform(-15, 15, len(blocks))
    ) % 360
    bi, bj = lat.bi[blocks], lat.bj[blocks]
    xname = np.where(east, lat.name_x[bi + 1], lat.name_x[bi])
    yname = np.where(north, lat.name_y[bj + 1], lat.name_y[bj])
    side = np.array(["东北", "西北", "西南", "东南"])[corner]  # where the camera is in the crossing
    sec_name = _cat(xname, "与", yname, "交叉口", side, "角")
    ns = len(blocks)
    # Bin-overflow cameras on half of the waste collection points.
    bin_blocks, bin_xy = bins
    watched = rng.random(len(bin_blocks)) < 0.5
    bb, bxy = bin_blocks[watched], bin_xy[watched]
    cam_xy = bxy + np.array([6.0, 0.5])
    bin_heading = np.degrees(np.arctan2(bxy[:, 0] - cam_xy[:, 0], bxy[:, 1] - cam_xy[:, 1])) % 360
    nbin = len(bb)
    n = ns + nbin
    columns = {
        "id": np.arange(1, n + 1, dtype=np.int64),
        "grid_cell_id": np.concatenate([lat.bcell[blocks], lat.bcell[bb]]).astype(np.int64),
        "code": _codes("CAM", n),
        "name": np.concatenate([sec_name, _cat(lat.block_address()[bb], "垃圾分类点")]),
        "purpose": np.concatenate([np.full(ns, "security"), np.full(nbin, "bin_overflow")]),
        "heading_deg": np.round(np.concatenate([heading, bin_heading]), 1),
        "fov_deg": np.concatenate([rng.integers(60, 101, ns), np.full(nbin, 50)]).astype(float),
        "range_m": np.concatenate([rng.integers(40, 81, ns), np.full(nbin, 15)]).astype(float),
        "stream_url": np.full(n, None, dtype=object),
    }
    xy = np.concatenate([np.column_stack([x, y]), cam_xy])
    return columns, _points(xy)


def _sensors(
    lat: _Lattice, bld: _Buildings, bins: tuple[np.ndarray, np.ndarray], rng: np.random.Generator
):
    nb = len(bld.role)
    everything = np.arange(nb)
    house = np.flatnonzero(
        np.isin(bld.role, (R_HOUSE, R_HOUSE_FRONT)) & np.isin(bld.use, (RES, MIX))
    )
    estate = np.flatnonzero(np.isin(bld.role, (R_SLAB, R_TOWER)))
    kitchens = np.flatnonzero(np.isin(bld.role, (R_SHOP, R_MALL)) | (bld.use == MIX))
    parts: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}

    def in_buildings(pool: np.ndarray, share: float) -> tuple:
        count = max(1, round(share * len(pool))) if len(pool) else 1
        b = np.sort(_take(rng, [pool, everything], count))
        block = bld.block[b]
        return (
            bld.point[b],
            lat.bcell[block],
            bld.columns["id"][b].astype(object),
            bld.columns["address"][b],
        )

    parts["smoke"] = in_buildings(house, 0.08)
    bin_blocks, bin_xy = bins
    if len(bin_blocks) == 0:
        bin_blocks, bin_xy = np.array([0]), lat.prop[:1, :2] + 2.5
    parts["bin_fill"] = (
        bin_xy,
        lat.bcell[bin_blocks],
        np.full(len(bin_blocks), None, dtype=object),
        lat.block_address()[bin_blocks],
    )
    parts["door"] = in_buildings(estate, 0.5)
    nblk = len(lat.bi)
    wb = np.sort(rng.choice(nblk, max(1, nblk // 8), replace=False))
    pr = lat.prop[wb]
    parts["water_level"] = (
        np.column_stack([pr[:, 2] - 6.0, pr[:, 1] + 1.5]),
        lat.bcell[wb],
        np.full(len(wb), None, dtype=object),
        _cat(lat.name_x[lat.bi[wb] + 1], "与", lat.name_y[lat.bj[wb]], "交叉口"),
    )
    # Air quality: one station per cell (centre block of the cell) and one per park.
    centre = np.flatnonzero(np.tile(np.arange(9) == 4, len(lat.cell_cx)))
    aq = np.concatenate([centre, np.flatnonzero(lat.btype == PARK)])
    pr = lat.prop[aq]
    parts["air_quality"] = (
        np.column_stack([pr[:, 0] + 10.0, pr[:, 1] + 3.0]),
        lat.bcell[aq],
        np.full(len(aq), None, dtype=object),
        lat.block_address()[aq],
    )
    parts["gas"] = in_buildings(kitchens, 0.12)
    mb = np.sort(rng.choice(nblk, max(1, nblk // 2), replace=False))
    pr = lat.prop[mb]
    parts["manhole"] = (  # in the carriageway, 2.5 m off the south street's centreline
        np.column_stack(
            [
                pr[:, 0] + (0.1 + 0.8 * rng.random(len(mb))) * (pr[:, 2] - pr[:, 0]),
                lat.Y[lat.bj[mb]] + 2.5,
            ]
        ),  # fmt: skip
        lat.bcell[mb],
        np.full(len(mb), None, dtype=object),
        lat.block_address()[mb],
    )
    cols: dict[str, list] = {k: [] for k in ("grid_cell_id", "building_id", "code", "kind", "name",
                                             "unit", "period_s", "warn_threshold", "alarm_threshold")}  # fmt: skip
    xy = []
    for kind in schema.SENSOR_KINDS:
        if kind not in parts:
            continue
        prefix, unit, period, warn, alarm, label = SENSOR_SPECS[kind]
        p, cell, building, place = parts[kind]
        n = len(cell)
        xy.append(np.asarray(p, dtype=float))
        cols["grid_cell_id"].append(np.asarray(cell, dtype=np.int64))
        cols["building_id"].append(building)
        cols["code"].append(_codes(prefix, n))
        cols["kind"].append(np.full(n, kind))
        cols["name"].append(_cat(place, label))
        cols["unit"].append(np.full(n, unit, dtype=object))
        cols["period_s"].append(np.full(n, period))
        cols["warn_threshold"].append(np.full(n, warn))
        cols["alarm_threshold"].append(np.full(n, alarm))
    columns = {k: np.concatenate(v) for k, v in cols.items()}
    n = len(columns["code"])
    columns = {"id": np.arange(1, n + 1, dtype=np.int64), **columns}
    return columns, _points(np.concatenate(xy))


# ==================================================================================== store
DEMO_META_KEYS = (
    "demo",
    "demo_seed",
    "demo_buildings",
    "community_code",
    "community_name",
    "district_code",
    "district_name",
)
_CHUNK = 200_000


def load(store, data: DemoData, progress: Progress | None = None) -> dict[str, int]:
    """Write ``data`` into ``store`` in one transaction; returns the rows written per kind.

    The store must use ``data.srid`` as its working CRS and hold no rows of these kinds.
    Also records ``demo = 1``, the community code and name, seed and size in the store's meta.
    """
    if store.srid != data.srid:
        raise ValueError(
            f"the demo was generated in EPSG:{data.srid} but the store works in EPSG:{store.srid}"
        )
    report = progress or (lambda _m, _f: None)
    counts = data.counts()
    total = max(1, sum(counts.values()))
    done = 0
    written: dict[str, int] = {}
    with store.begin() as conn:
        for kind, (columns, geometry) in data.layers.items():
            n = counts[kind]
            written[kind] = 0
            for start in range(0, n, _CHUNK):
                report(f"loading {kind}", done / total)
                stop = min(n, start + _CHUNK)
                chunk = {k: _for_store(v[start:stop]) for k, v in columns.items()}
                geoms = None if geometry is None else geometry[start:stop]
                written[kind] += store.bulk_insert(kind, chunk, geoms, conn=conn)
                done += stop - start
        for key, value in {"demo": "1", **data.meta}.items():
            store.set_meta(key, value, conn=conn)
    report("loaded", 1.0)
    return written


def _for_store(values):
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        # ISO dates: what SQLAlchemy stores for a Date on SQLite, and what COPY parses on PostGIS.
        iso = np.datetime_as_string(values, unit="D").astype(object)
        iso[np.isnat(values)] = None
        return iso
    return values


def build_demo(
    store,
    buildings: int = 3000,
    seed: int = 7,
    residents: bool = True,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Generate the demo in the store's working CRS and load it (one transaction)."""
    report = progress or (lambda _m, _f: None)
    data = generate(
        buildings, seed, residents, store.srid, progress=lambda m, f: report(m, 0.3 * f)
    )
    return load(store, data, progress=lambda m, f: report(m, 0.3 + 0.7 * f))


def store_state(store) -> str:
    """``"demo"`` (holds the demo), ``"empty"`` (no features) or ``"data"`` (holds other data).

    Reads the store's meta and recorded layer extents only: no table scans.
    """
    if store.meta("demo") == "1":
        return "demo"
    if any(store.extent(kind) is not None for kind in schema.GEOMETRY_TYPES):
        return "data"
    return "empty"


def reset_demo(store) -> None:
    """Delete every row of a demo store (one transaction), keeping its schema and working CRS.

    Refuses a store that holds data other than the demo.
    """
    from sqlalchemy import delete, inspect

    if store_state(store) == "data":
        raise ValueError("the store holds data that is not the demo; it is not reset")
    with store.begin() as conn:
        present = set(inspect(conn).get_table_names())
        for table in reversed(schema.Base.metadata.sorted_tables):
            if table.name not in present:
                continue
            if table.name == "store_meta":
                conn.execute(delete(table).where(table.c.key.in_(DEMO_META_KEYS)))
            else:
                conn.execute(delete(table))


# ------------------------------------------------------------------------------------ summary
SUMMARY_KINDS = (
    ("communities", "社区"),
    ("grid_cells", "网格"),
    ("streets", "道路"),
    ("buildings", "房屋"),
    ("residents", "人口"),
    ("enterprises", "法人"),
    ("facilities", "设施"),
    ("cameras", "摄像头"),
    ("sensors", "传感器"),
)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def summary(store) -> str:
    """A short Chinese + English summary of the store: rows per kind, cells, extent."""
    counts = {kind: store.count(kind) for kind, _ in SUMMARY_KINDS}
    code, name = store.meta("community_code"), store.meta("community_name")
    if store.meta("demo") == "1":
        title = "织网演示社区 Zhiwang demo community"
        seed, size = store.meta("demo_seed"), store.meta("demo_buildings")
        detail = f"{name} ({code}), {DISTRICT_NAME}, {CITY_NAME} · seed {seed}, {int(size or 0):,} buildings"
    else:
        title = "织网数据 Zhiwang store"
        detail = f"{name} ({code})" if name else ""
    lines = [f"{title}: {detail}".rstrip(": "), f"  存储 store: {store.url} ({store.backend})"]
    for kind, zh in SUMMARY_KINDS:
        label = f"{zh} {kind.replace('_', ' ')}"
        pad = " " * max(1, 22 - _display_width(label))
        extra = ""
        if kind == "buildings" and counts["grid_cells"]:
            extra = f"   ({counts['buildings'] / counts['grid_cells']:,.0f} per cell 每网格)"
        lines.append(f"  {label}{pad}{counts[kind]:>10,}{extra}")
    extent = store.extent("communities") or store.extent("buildings")
    if extent is not None:
        minx, miny, maxx, maxy = extent
        line = (
            f"  范围 extent: {(maxx - minx) / 1000:.2f} km × {(maxy - miny) / 1000:.2f} km in "
            f"EPSG:{store.srid} ({minx:,.0f}, {miny:,.0f}) – ({maxx:,.0f}, {maxy:,.0f})"
        )
        try:
            from gis_core.crs import transformer

            lon, lat = transformer(f"EPSG:{store.srid}", "EPSG:4326").transform(
                (minx + maxx) / 2, (miny + maxy) / 2
            )
            line += f"; centre 中心 {lon:.4f}°E {lat:.4f}°N"
        except Exception:  # a CRS pyproj cannot invert: the extent alone still helps
            pass
        lines.append(line)
    return "\n".join(lines)
