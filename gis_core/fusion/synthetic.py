"""A generated population kept by several departments, with known truth: who is who.

Each source holds a share of the residents in its own column names and habits (full-width digits,
``+86`` prefixes, ``3-2-501`` flats), with typos in names, swapped digits in ID numbers, missing
fields, residents who moved (a newer address in one source) and duplicate entries within a source.
Tests and ``bench/fusion_bench.py`` link the sources and compare the result with ``truth``.

    >>> pop = generate_population(1000, seed=1)
    >>> sorted(pop.sources), len(pop.truth["police"]) > 900
    (['grid', 'police', 'street'], True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from gis_core.fusion.idcodes import id_check_digit
from gis_core.fusion.sources import SourceSpec

__all__ = [
    "Population",
    "generate_population",
    "SOURCE_SPECS",
    "HOUSEHOLD_SPECS",
    "generate_households",
    "pairs_of",
]

_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文玉梅红飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣琳晨辰阳佳雪婷颖倩琪瑶璐怡欢蕾妍萱涵梓轩子睿博诚彤宸泽昊然思雨嘉豪心悦晓东志海亮春燕丹云峰鹏辉"
)
_ROADS = ["书院门路", "东大街", "南大街", "湘子庙街", "南院门", "粉巷", "德福巷", "五味什字",
          "大车家巷", "马厂子", "竹笆市", "琉璃街", "柏树林路", "开通巷", "建国路", "长安北路",
          "和平路", "东木头市", "西木头市", "端履门"]  # fmt: skip
_REGIONS = ["610102", "610103", "610104", "610111", "610112", "610113", "610114", "610115",
            "610116", "610122", "610124", "612701", "610402", "410102", "510104"]  # fmt: skip

SOURCE_SPECS = {
    "police": SourceSpec(
        "police", "residents", "公安分局", system="人口信息系统",
        mapping={"姓名": "name", "公民身份号码": "id_number", "性别": "gender",
                 "出生日期": "birth_date", "联系电话": "phone", "现住址": "address"},
        trust={"*": 0.7, "id_number": 0.95, "name": 0.9, "birth_date": 0.95, "gender": 0.95},
        key_field="人员编号", default_area="029",
    ),
    "street": SourceSpec(
        "street", "residents", "街道办事处", system="居民台账",
        mapping={"姓名": "name", "证件号码": "id_number", "手机": "phone", "居住地址": "address",
                 "户号": "household_code"},
        trust={"*": 0.6, "address": 0.8, "household_code": 0.9},
        key_field="台账编号", default_area="029",
    ),
    "grid": SourceSpec(
        "grid", "residents", "网格中心", system="网格员采集",
        mapping={"name": "name", "id_no": "id_number", "tel": "phone", "addr": "address",
                 "sex": "gender"},
        trust={"*": 0.5, "phone": 0.8},
        key_field="rec_id", default_area="029",
    ),
}  # fmt: skip
_SHARE = {"police": 0.95, "street": 0.85, "grid": 0.7}
_EXTRACTED = {"police": dt.date(2026, 9, 30), "street": dt.date(2026, 6, 30), "grid": dt.date(2026, 10, 15)}  # fmt: skip


@dataclass
class Population:
    """``sources[code]``: header and rows as a department would export them; ``truth[code]``:
    the person (index) of each row; ``people``: the true attributes."""

    people: dict[str, list]
    sources: dict[str, tuple[list[str], list[list]]] = field(default_factory=dict)
    truth: dict[str, np.ndarray] = field(default_factory=dict)
    extracted: dict[str, dt.date] = field(default_factory=lambda: dict(_EXTRACTED))

    def columns(self, code: str) -> tuple[dict[str, list], list[str]]:
        """A source's rows as our fields (through its mapping) and its row keys."""
        spec = SOURCE_SPECS[code]
        header, rows = self.sources[code]
        cols = {ours: [r[header.index(src)] for r in rows] for src, ours in spec.mapping.items()}
        k = header.index(spec.key_field)
        return cols, [r[k] for r in rows]


def _ids(rng: np.random.Generator, births: list[dt.date], male: np.ndarray) -> list[str]:
    out, seen = [], set()
    regions = rng.choice(_REGIONS, len(births))
    for region, born, m in zip(regions, births, male):
        while True:
            seq = int(rng.integers(0, 500)) * 2 + (1 if m else 0)
            first17 = f"{region}{born:%Y%m%d}{seq:03d}"
            if first17 not in seen:
                break
        seen.add(first17)
        out.append(first17 + id_check_digit(first17))
    return out


def _swap(text: str, rng: np.random.Generator) -> str:
    i = int(rng.integers(0, 16))
    if text[i] == text[i + 1]:
        i = (i + 3) % 16
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" else c for c in text)


def generate_population(n: int, seed: int = 0) -> Population:
    """``n`` residents in households of 1–5 and three sources that know most of them."""
    rng = np.random.default_rng(seed)
    # Households: an address each; people of one household share it and often the surname.
    sizes = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.25, 0.3, 0.25, 0.15, 0.05])
    household = np.repeat(np.arange(len(sizes)), sizes)[:n]
    h = int(household.max()) + 1
    road = rng.integers(0, len(_ROADS), h)
    number = rng.integers(1, 120, h)
    building = rng.integers(1, 25, h)
    unit = rng.integers(1, 7, h)
    room = rng.integers(1, 30, h) * 100 + rng.integers(1, 5, h)
    surname_h = rng.integers(0, len(_SURNAMES), h)
    own_surname = rng.random(n) < 0.3
    surname = np.where(own_surname, rng.integers(0, len(_SURNAMES), n), surname_h[household])
    given_len = rng.choice([1, 2], n, p=[0.35, 0.65])
    g1, g2 = rng.integers(0, len(_GIVEN), n), rng.integers(0, len(_GIVEN), n)
    names = [
        _SURNAMES[s] + _GIVEN[a] + (_GIVEN[b] if k == 2 else "")
        for s, a, b, k in zip(surname, g1, g2, given_len)
    ]
    start = dt.date(1930, 1, 1).toordinal()
    births = [dt.date.fromordinal(start + int(d)) for d in rng.integers(0, 33_000, n)]
    male = rng.random(n) < 0.5
    ids = _ids(rng, births, male)
    phones = [f"1{p}{int(x):09d}" for p, x in zip(rng.choice(list("3456789"), n), rng.integers(0, 10**9, n))]  # fmt: skip
    addr = [f"{_ROADS[road[k]]}{number[k]}号{building[k]}栋{unit[k]}单元{room[k]}室" for k in household]  # fmt: skip
    people = {
        "name": names,
        "id_number": ids,
        "gender": ["男" if m else "女" for m in male],
        "birth_date": births,
        "phone": phones,
        "address": addr,
        "household": household.tolist(),
    }
    pop = Population(people)
    for code in ("police", "street", "grid"):
        _make_source(pop, code, rng)
    return pop


def _make_source(pop: Population, code: str, rng: np.random.Generator) -> None:
    p = pop.people
    n = len(p["name"])
    rows_of = np.flatnonzero(rng.random(n) < _SHARE[code])
    if code == "grid":  # grid workers enter some people twice
        rows_of = np.sort(np.concatenate([rows_of, rng.choice(rows_of, len(rows_of) // 200)]))
    m = len(rows_of)
    r = rng.random((m, 8))
    spec = SOURCE_SPECS[code]
    header = [spec.key_field, *spec.mapping]
    rows = []
    for j, i in enumerate(rows_of.tolist()):
        name = p["name"][i]
        if r[j, 0] < {"police": 0.01, "street": 0.03, "grid": 0.04}[code]:
            k = int(rng.integers(1, len(name)))
            name = name[:k] + _GIVEN[int(rng.integers(0, len(_GIVEN)))] + name[k + 1 :]
        idn = p["id_number"][i]
        if r[j, 1] < {"police": 0.005, "street": 0.02, "grid": 0.03}[code]:
            idn = _swap(idn, rng)
        if r[j, 2] < {"police": 0.0, "street": 0.1, "grid": 0.25}[code]:
            idn = ""
        phone = p["phone"][i]
        if r[j, 3] < {"police": 0.3, "street": 0.15, "grid": 0.05}[code]:
            phone = ""
        elif r[j, 4] < 0.3:
            phone = rng.choice([f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", _fullwidth(phone)])  # fmt: skip
        address = p["address"][i]
        if code != "police" and r[j, 5] < 0.03:  # moved: the newer source knows the new flat
            address = f"{_ROADS[int(rng.integers(0, len(_ROADS)))]}{int(rng.integers(1, 120))}号{int(rng.integers(1, 25))}栋1单元{int(rng.integers(1, 30)) * 100 + 1}室"  # fmt: skip
        elif code == "street":
            a = address.replace("栋", "-").replace("单元", "-").replace("室", "")
            address = a if r[j, 6] < 0.5 else "碑林区" + address
        elif code == "grid" and r[j, 6] < 0.2:
            address = ""
        born = p["birth_date"][i]
        key = f"{code[0].upper()}{j:07d}"
        values = {
            "姓名": name, "公民身份号码": idn, "证件号码": idn, "id_no": idn, "性别": p["gender"][i],
            "sex": p["gender"][i] if r[j, 7] < 0.8 else "", "出生日期": f"{born:%Y-%m-%d}",
            "联系电话": phone, "手机": phone, "tel": phone, "现住址": address, "居住地址": address,
            "addr": address, "户号": f"H{p['household'][i]:07d}", "name": name,
        }  # fmt: skip
        rows.append([key] + [values[c] for c in spec.mapping])
    pop.sources[code] = (header, rows)
    pop.truth[code] = rows_of


HOUSEHOLD_SPECS = {
    "hukou": SourceSpec(
        "hukou", "households", "公安分局户籍科", system="户籍管理系统",
        mapping={"户号": "household_code", "户主姓名": "head_name", "户主身份证号": "head_id_number",
                 "住址": "address", "户内人数": "members", "联系电话": "phone"},
        trust={"*": 0.7, "household_code": 0.95, "head_id_number": 0.95, "head_name": 0.9},
        key_field="记录号", default_area="029",
    ),
    "street_hh": SourceSpec(
        "street_hh", "households", "街道办事处", system="户籍台账",
        mapping={"户号": "household_code", "户主": "head_name", "户主证件号": "head_id_number",
                 "地址": "address", "人口数": "members", "电话": "phone"},
        trust={"*": 0.6, "address": 0.8, "members": 0.8},
        key_field="台账号", default_area="029",
    ),
}  # fmt: skip
_HH_EXTRACTED = {"hukou": dt.date(2026, 9, 30), "street_hh": dt.date(2026, 10, 20)}


def generate_households(n: int, seed: int = 0) -> Population:
    """``n`` households (some two to a flat) known to two sources, ``hukou`` (the register) and
    ``street_hh`` (the street office's ledger), with typos in heads' names, swapped digits and
    missing ID numbers, missing household numbers, flats written ``3-2-501`` and changed member
    counts; ``truth[code]`` is the household of each row."""
    rng = np.random.default_rng(seed)
    road = rng.integers(0, len(_ROADS), n)
    number = rng.integers(1, 120, n)
    building = rng.integers(1, 25, n)
    unit = rng.integers(1, 7, n)
    room = rng.integers(1, 30, n) * 100 + rng.integers(1, 5, n)
    shared = np.flatnonzero(rng.random(n) < 0.05)  # a second household in another's flat
    host = rng.integers(0, n, len(shared))
    for k, h in zip(shared.tolist(), host.tolist()):
        road[k], number[k], building[k], unit[k], room[k] = (
            road[h],
            number[h],
            building[h],
            unit[h],
            room[h],
        )
    g1, g2 = rng.integers(0, len(_GIVEN), n), rng.integers(0, len(_GIVEN), n)
    heads = [
        _SURNAMES[int(s)] + _GIVEN[a] + _GIVEN[b]
        for s, a, b in zip(rng.integers(0, len(_SURNAMES), n), g1, g2)
    ]
    start = dt.date(1940, 1, 1).toordinal()
    births = [dt.date.fromordinal(start + int(d)) for d in rng.integers(0, 25_000, n)]
    ids = _ids(rng, births, rng.random(n) < 0.5)
    phones = [f"1{p}{int(x):09d}" for p, x in zip(rng.choice(list("3456789"), n), rng.integers(0, 10**9, n))]  # fmt: skip
    people = {
        "household_code": [f"6101{k:08d}" for k in range(n)],
        "head_name": heads,
        "head_id_number": ids,
        "address": [
            f"{_ROADS[road[k]]}{number[k]}号{building[k]}栋{unit[k]}单元{room[k]}室"
            for k in range(n)
        ],  # fmt: skip
        "members": rng.choice([1, 2, 3, 4, 5, 6], n, p=[0.2, 0.3, 0.25, 0.15, 0.07, 0.03]).tolist(),
        "phone": phones,
    }
    pop = Population(people, extracted=dict(_HH_EXTRACTED))
    rates = {  # share known, name typo, ID swapped, ID missing, code missing, phone missing
        "hukou": (0.95, 0.01, 0.005, 0.0, 0.0, 0.4),
        "street_hh": (0.85, 0.03, 0.02, 0.15, 0.1, 0.1),
    }
    for code, (share, typo, swap, no_id, no_code, no_phone) in rates.items():
        spec = HOUSEHOLD_SPECS[code]
        rows_of = np.flatnonzero(rng.random(n) < share)
        r = rng.random((len(rows_of), 8))
        rows = []
        for j, i in enumerate(rows_of.tolist()):
            name = heads[i]
            if r[j, 0] < typo:
                k = int(rng.integers(1, len(name)))
                name = name[:k] + _GIVEN[int(rng.integers(0, len(_GIVEN)))] + name[k + 1 :]
            idn = ids[i] if r[j, 1] >= swap else _swap(ids[i], rng)
            idn = "" if r[j, 2] < no_id else idn
            hh = "" if r[j, 3] < no_code else people["household_code"][i]
            phone = "" if r[j, 4] < no_phone else phones[i]
            address = people["address"][i]
            members = people["members"][i]
            if code == "street_hh":
                if r[j, 5] < 0.5:
                    address = address.replace("栋", "-").replace("单元", "-").replace("室", "")
                if r[j, 6] < 0.1:  # a birth or a move since the register was extracted
                    members = max(1, members + int(rng.choice([-1, 1])))
                if r[j, 7] < 0.3 and phone:
                    phone = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
            values = [hh, name, idn, address, str(members), phone]
            rows.append([f"{code[0].upper()}{j:07d}", *values])
        pop.sources[code] = ([spec.key_field, *spec.mapping], rows)
        pop.truth[code] = rows_of
    return pop


def pairs_of(labels: np.ndarray) -> set[tuple[int, int]]:
    """All pairs (i < j) of positions that share a label — to count precision and recall."""
    order = np.argsort(labels, kind="stable")
    out: set[tuple[int, int]] = set()
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]])
    ends = np.r_[starts[1:], len(labels)]
    for s, e in zip(starts.tolist(), ends.tolist()):
        members = sorted(order[s:e].tolist())
        out.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
    return out
