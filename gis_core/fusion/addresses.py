"""Chinese addresses split into their parts: province / city / district (cpca, GB/T 2260), then
street office / community / estate / road / number / building / unit / room (our regex parser —
no maintained library covers the part below the district: 街道, 社区, 路, 号, 栋, 单元, 室).

    >>> a = parse_address("陕西省西安市碑林区南院门街道湘子庙社区书院门路12号3栋2单元501室")
    >>> (a.district, a.street, a.community, a.road, a.number, a.building, a.unit, a.room)
    ('碑林区', '南院门街道', '湘子庙社区', '书院门路', '12', '3', '2', '501')
    >>> parse_address("书院门路１２号三栋二单元0501").key
    '书院门路|12|3|2|501'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields

from gis_core.fusion.findings import ERROR, WARNING
from gis_core.fusion.idcodes import Issue

__all__ = ["Address", "parse_address", "parse_addresses", "cn_number", "ADDRESS_PARTS"]

ADDRESS_PARTS = (
    "province",
    "city",
    "district",
    "street",
    "community",
    "estate",
    "road",
    "number",
    "building",
    "unit",
    "room",
)


@dataclass(frozen=True)
class Address:
    province: str | None = None
    city: str | None = None
    district: str | None = None
    adcode: str | None = None
    street: str | None = None  # 街道 / 镇 / 乡
    community: str | None = None  # 社区 / 村
    estate: str | None = None  # 小区 / 花园 / 苑 …
    road: str | None = None
    number: str | None = None  # 门牌号
    building: str | None = None  # 栋 / 幢 / 号楼 / 座
    unit: str | None = None  # 单元
    room: str | None = None  # 室
    rest: str | None = None  # what no rule took

    @property
    def key(self) -> str | None:
        """``road|number|building|unit|room``: what two records of one dwelling share; None
        without a road and number."""
        if not (self.road and self.number):
            return None
        return "|".join(
            p or "" for p in (self.road, self.number, self.building, self.unit, self.room)
        )

    @property
    def building_key(self) -> str | None:
        """``road|number|building``: the house, whatever the flat."""
        if not (self.road and self.number):
            return None
        return f"{self.road}|{self.number}|{self.building or ''}"

    def as_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip


def cn_number(text: str) -> str:
    """``三`` → ``3``, ``十二`` → ``12``, ``二十一`` → ``21``, ``一〇一`` → ``101``; digits stay;
    leading zeros go (``0501`` → ``501``)."""
    if text.isdigit():
        return str(int(text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        return str(
            (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
        )
    if all(c in _CN_DIGITS for c in text):
        return str(int("".join(str(_CN_DIGITS[c]) for c in text)))
    return text


_NUM = r"(?:\d+|[零〇一二两三四五六七八九十]+)"
_STREET = re.compile(r"^(.+?(?:街道办事处|街道办|街道|镇|乡))")
_COMMUNITY = re.compile(r"^(.+?(?:社区居委会|社区居民委员会|社区|村民委员会|村委会|居委会|村))")
_ROAD = re.compile(rf"^(.+?(?:大道|大街|路|街|巷|胡同|弄|里))(?={_NUM}|$)")
# A road without a suffix (五味什字, 南院门): whatever stands before the house number.
_ROAD_BARE = re.compile(rf"^(\D{{2,12}}?)(?={_NUM}(?:-\d+)?号)")
_NUMBER = re.compile(rf"^({_NUM}(?:-\d+)?)号(?!楼)(?:院)?")
_ESTATE = re.compile(r"^(.+?(?:小区|花园|家园|新村|公寓|大厦|广场|苑|园|城|府|庭))")
_BUILDING = re.compile(rf"^({_NUM}|[A-Za-z])(?:栋|幢|号楼|座|楼|号)")
_UNIT = re.compile(rf"^({_NUM})单元")
_ROOM = re.compile(r"^(\d+)(?:室|号房|房|户)?$")
_TRIPLE = re.compile(r"^(\d+)-(\d+)-(\d+)$")  # 3-2-501: building-unit-room
_PAIR = re.compile(r"^(\d+)-(\d+)$")  # 3-501: building-room


def _normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return text.replace("—", "-").replace("－", "-").replace("#", "号")


def _admin_parts(
    texts: Sequence[str],
) -> list[tuple[str | None, str | None, str | None, str | None, str]]:
    """(province, city, district, adcode, rest) per address, through cpca (grouped by the text
    up to the first street-level word, so a population's few distinct prefixes are parsed once)."""
    try:
        import cpca
    except ImportError:  # pragma: no cover - dependency; kept optional for the parser's sake
        return [(None, None, None, None, t) for t in texts]
    heads: dict[str, int] = {}
    split = []
    for t in texts:
        m = re.search(r"(街道|镇|乡|社区|村|路|街|巷|大道)", t)
        cut = m.start() if m else len(t)
        # The head ends after the last 省/市/区/县 before the first street-level word.
        admin = re.match(r"^(.*(?:省|自治区|市|区|县|旗))", t[:cut])
        head = admin.group(1) if admin else ""
        split.append((head, t[len(head) :]))
        heads.setdefault(head, len(heads))
    parsed: dict[str, tuple] = {"": (None, None, None, None)}
    todo = [h for h in heads if h]
    if todo:
        frame = cpca.transform(todo)
        for h, prov, city, dist, adcode, left in zip(
            todo, frame["省"], frame["市"], frame["区"], frame["adcode"], frame["地址"]
        ):
            if not (_s(prov) or _s(city) or _s(dist)):  # "翠华小区" ends in 区 but is no district
                parsed[h] = (None, None, None, None, h)
            else:
                parsed[h] = (_s(prov), _s(city), _s(dist), _s(adcode), _s(left) or "")
    out = []
    for head, rest in split:
        prov, city, dist, adcode, *left = parsed[head] + (("",) if head == "" else ())
        out.append((prov, city, dist, adcode, (left[0] if left else "") + rest))
    return out


def _s(value: object) -> str | None:
    """cpca's cell as text (it gives NaN or None for what it did not find)."""
    return value if isinstance(value, str) and value else None


def _sub_district(rest: str) -> tuple[dict[str, str | None], str]:
    parts: dict[str, str | None] = {}
    for name, pattern in (("street", _STREET), ("community", _COMMUNITY)):
        m = pattern.match(rest)
        if m:
            parts[name] = m.group(1)
            rest = rest[m.end() :]
    m = _ROAD.match(rest) or _ROAD_BARE.match(rest)
    if m:
        parts["road"] = m.group(1)
        rest = rest[m.end() :]
        m = _NUMBER.match(rest)
        if m:
            parts["number"] = "-".join(cn_number(p) for p in m.group(1).split("-"))
            rest = rest[m.end() :]
    m = _ESTATE.match(rest)
    if m and not _BUILDING.match(rest):
        parts["estate"] = m.group(1)
        rest = rest[m.end() :]
    m = _TRIPLE.match(rest)
    if m:
        parts["building"], parts["unit"], parts["room"] = (str(int(g)) for g in m.groups())
        return parts, ""
    m = _BUILDING.match(rest)
    if m:
        parts["building"] = cn_number(m.group(1)).upper()
        rest = rest[m.end() :]
    m = _UNIT.match(rest)
    if m:
        parts["unit"] = cn_number(m.group(1))
        rest = rest[m.end() :]
    m = _PAIR.match(rest)
    if m and "building" not in parts:
        parts["building"], parts["room"] = str(int(m.group(1))), str(int(m.group(2)))
        return parts, ""
    m = _ROOM.match(rest)
    if m and rest:
        parts["room"] = str(int(m.group(1)))
        rest = ""
    return parts, rest


def parse_addresses(values: Sequence[object]) -> list[tuple[Address | None, list[Issue]]]:
    """Parse many addresses at once (cpca is called once per distinct district prefix)."""
    texts = [None if v is None or str(v).strip() == "" else _normalise_text(str(v)) for v in values]
    present = [t for t in texts if t is not None]
    admin = iter(_admin_parts(present))
    out: list[tuple[Address | None, list[Issue]]] = []
    for t in texts:
        if t is None:
            out.append((None, [("address_missing", "address missing", WARNING)]))
            continue
        prov, city, dist, adcode, rest = next(admin)
        parts, left = _sub_district(rest)
        address = Address(
            province=prov, city=city, district=dist, adcode=adcode, rest=left or None, **parts
        )
        issues: list[Issue] = []
        if not address.road:
            issues.append(("address_no_road", "address has no road (路/街/巷)", ERROR))
        elif not address.number:
            issues.append(("address_no_number", "address has no house number (号)", ERROR))
        if left:
            issues.append(
                ("address_unparsed", f"{len(left)} trailing characters not understood", WARNING)
            )
        out.append((address, issues))
    return out


def parse_address(value: object) -> Address | None:
    """One address (see :func:`parse_addresses` for many)."""
    return parse_addresses([value])[0][0]
