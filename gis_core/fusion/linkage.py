"""Record linkage on arrays: deterministic on a valid identifier (households also on the
household number within the same address), then Fellegi–Sunter.

Candidate pairs come from blocking rules (parts of the ID number, name + birth date, flat,
building + surname, phone); each pair gets a comparison vector of levels per field; ``u`` (how
often a level occurs among non-matches) is estimated from random pairs and ``m`` (among matches)
by expectation–maximisation over the distinct comparison patterns — the method of Splink, here
in numpy because at 600,000 records it runs in seconds without a database engine (see
bench/fusion_bench.py). Clusters come from a constrained union-find: identifier links first, then
pairs by descending match weight, never joining two clusters with different valid identifiers.

    >>> frame = LinkFrame.from_columns({"id_key": ["A", "A", None], "name": ["张三", "张三", "李四"]})
    >>> link(frame).labels.tolist()
    [0, 0, 1]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "LinkFrame",
    "Model",
    "LinkResult",
    "COMPARISONS",
    "candidate_pairs",
    "compare",
    "train",
    "link",
]

MAX_BLOCK = (
    60  # larger blocks say little (a common name on a common date): pairs within the first 60
)
NULL = -1

# Comparison → number of levels (0 = most alike); NULL (-1) when either side is missing.
COMPARISONS: dict[str, dict[str, int]] = {
    "residents": {"id": 3, "name": 3, "birth": 3, "gender": 2, "phone": 2, "address": 4},
    # Households: the head's ID number and name, the household number, phone and address.
    "households": {"id": 3, "name": 3, "household": 2, "phone": 2, "address": 4},
    "enterprises": {"id": 3, "name": 3, "phone": 2, "address": 4},
    "buildings": {"name": 3, "address": 4},
}
_FIELDS = (
    "id_key", "id_raw", "name", "birth", "gender", "phone", "address_key", "building_key", "road",
    "household",
)  # fmt: skip
# Kinds whose identifier is an ID number (18 characters, fuzzy comparison of digits).
_ID_NUMBER_KINDS = ("residents", "households")


@dataclass
class LinkFrame:
    """Records as arrays (object arrays of str/None, birth as ``yyyymmdd`` ints, 0 = missing).

    ``entity`` is each record's current entity (-1: none) and ``settled`` whether that link is
    current (False for new and changed records: only pairs with one of those are compared).
    ``id_key`` is the deterministic key (a blind index), ``id_raw`` the identifier as written —
    in memory only, for the fuzzy comparison of ID numbers.
    """

    record_id: np.ndarray
    source: np.ndarray
    entity: np.ndarray
    settled: np.ndarray
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.record_id)

    @classmethod
    def from_columns(cls, columns: Mapping[str, Sequence[Any]], **arrays) -> LinkFrame:
        n = len(next(iter(columns.values())))
        cols = {}
        for name in _FIELDS:
            values = columns.get(name)
            if name == "birth":
                cols[name] = (
                    np.zeros(n, np.int64) if values is None else np.asarray(values, np.int64)
                )
                continue
            col = np.empty(n, dtype=object)
            col[:] = [None] * n if values is None else list(values)
            cols[name] = col
        return cls(
            record_id=np.asarray(arrays.get("record_id", np.arange(n)), np.int64),
            source=np.asarray(arrays.get("source", np.zeros(n)), np.int64),
            entity=np.asarray(arrays.get("entity", np.full(n, -1)), np.int64),
            settled=np.asarray(arrays.get("settled", np.zeros(n, bool)), bool),
            columns=cols,
        )


@dataclass
class Model:
    """Fellegi–Sunter parameters: ``m`` and ``u`` per comparison level and the prior ``lam``."""

    kind: str
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    lam: float
    pairs: int = 0
    iterations: int = 0

    def weights(self) -> dict[str, np.ndarray]:
        """log2(m/u) per comparison and level, with a last entry 0 for "missing"."""
        return {
            c: np.r_[np.log2(np.asarray(self.m[c]) / np.asarray(self.u[c])), 0.0] for c in self.m
        }

    def to_json(self) -> dict:
        return {"m": self.m, "u": self.u, "lam": self.lam, "iterations": self.iterations}

    @classmethod
    def from_json(cls, kind: str, data: Mapping, pairs: int = 0) -> Model:
        return cls(kind, dict(data["m"]), dict(data["u"]), float(data["lam"]), pairs,
                   int(data.get("iterations", 0)))  # fmt: skip


@dataclass
class LinkResult:
    labels: np.ndarray  # cluster index per record (0..k-1)
    rule: np.ndarray  # per record: "id", "fs", "entity" (kept), "new"
    weight: np.ndarray  # best match weight that joined the record (nan: none)
    model: Model | None
    pairs: int
    possible: list[tuple[int, int, float]] = field(
        default_factory=list
    )  # (i, j, weight) below the bar
    timings: dict[str, float] = field(default_factory=dict)


# ----------------------------------------------------------------------------- blocking
def _codes(keys: np.ndarray) -> np.ndarray:
    """Integer code per key (-1 for None / empty)."""
    present = np.array([k is not None and k != "" for k in keys], bool)
    codes = np.full(len(keys), -1, np.int64)
    if present.any():
        _, inv = np.unique(keys[present].astype(str), return_inverse=True)
        codes[present] = inv
    return codes


def _block_pairs(codes: np.ndarray, limit: int = MAX_BLOCK) -> tuple[np.ndarray, np.ndarray]:
    idx = np.flatnonzero(codes >= 0)
    order = idx[np.argsort(codes[idx], kind="stable")]
    c = codes[order]
    left, right = [], []
    for d in range(1, limit):
        if d >= len(c):
            break
        same = c[d:] == c[:-d]
        if not same.any():
            break
        left.append(order[:-d][same])
        right.append(order[d:][same])
    if not left:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(left), np.concatenate(right)


def _slice(values: np.ndarray, parts: Sequence[tuple[int, int]], length: int) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = [
        "".join(v[a:b] for a, b in parts) if isinstance(v, str) and len(v) == length else None
        for v in values
    ]
    return out


def _join(*cols: np.ndarray) -> np.ndarray:
    out = np.empty(len(cols[0]), dtype=object)
    out[:] = [
        None if any(v is None or v == "" or v == 0 for v in vs) else "|".join(map(str, vs))
        for vs in zip(*cols)
    ]
    return out


def blocking_keys(frame: LinkFrame, kind: str) -> dict[str, np.ndarray]:
    """The blocking rules of a kind, as one key column each (None: the rule does not apply)."""
    c = frame.columns
    surname = np.empty(len(frame), dtype=object)
    surname[:] = [n[0] if isinstance(n, str) and n else None for n in c["name"]]
    keys = {
        "id_raw": c["id_raw"],
        "phone": c["phone"],
        "address_key+surname": _join(c["address_key"], surname),
        "building_key+name": _join(c["building_key"], c["name"]),
    }
    if kind in _ID_NUMBER_KINDS:
        raw = c["id_raw"]
        # Any one swap of neighbouring digits leaves at least one of these (or name + birth) whole.
        keys["id_head14"] = _slice(raw, [(0, 14)], 18)
        keys["id_tail8"] = _slice(raw, [(10, 18)], 18)
        keys["id_head10_tail4"] = _slice(raw, [(0, 10), (14, 18)], 18)
        if kind == "residents":
            keys["name+birth"] = _join(c["name"], c["birth"])
        else:  # households: the same flat, or the same household number on the same road
            keys["address_key"] = c["address_key"]
            keys["household+road"] = _join(c["household"], c["road"])
    elif kind == "enterprises":
        keys["name"] = c["name"]
        keys["road+name"] = _join(c["road"], c["name"])
    else:
        keys["building_key"] = c["building_key"]
        keys["address_key"] = c["address_key"]
    return keys


def candidate_pairs(frame: LinkFrame, kind: str) -> np.ndarray:
    """Unique pairs (i < j) of record positions from all blocking rules, with at least one side
    not yet settled."""
    n = len(frame)
    chunks = []
    for key in blocking_keys(frame, kind).values():
        a, b = _block_pairs(_codes(key))
        if len(a):
            chunks.append(np.minimum(a, b) * n + np.maximum(a, b))
    if not chunks:
        return np.empty((0, 2), np.int64)
    flat = np.unique(np.concatenate(chunks))
    pairs = np.column_stack([flat // n, flat % n])
    open_ = ~frame.settled[pairs[:, 0]] | ~frame.settled[pairs[:, 1]]
    return pairs[open_]


# ----------------------------------------------------------------------------- comparing
def _present(col: np.ndarray) -> np.ndarray:
    return np.array([v is not None and v != "" for v in col], bool)


def _digits(col: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    ok = np.array([isinstance(v, str) and len(v) == length for v in col], bool)
    arr = np.zeros((len(col), length), np.uint8)
    if ok.any():
        joined = "".join(v for v, k in zip(col, ok) if k).encode()
        arr[ok] = np.frombuffer(joined, np.uint8).reshape(-1, length)
    return arr, ok


def _id_levels(raw: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 same, 1 one digit wrong or two neighbours swapped, 2 different, NULL missing."""
    length = 18
    arr, ok = _digits(raw, length)
    out = np.full(len(a), NULL, np.int8)
    both = ok[a] & ok[b]
    for s in range(0, len(a), 500_000):  # chunks keep the (pairs × 18) arrays small
        sl = slice(s, min(len(a), s + 500_000))
        x, y = arr[a[sl]], arr[b[sl]]
        diff = x != y
        nd = diff.sum(1)
        p = np.argmax(diff, 1)
        q = np.minimum(p + 1, length - 1)
        rows = np.arange(len(p))
        swap = (nd == 2) & diff[rows, q] & (x[rows, p] == y[rows, q]) & (x[rows, q] == y[rows, p])
        lv = np.where(nd == 0, 0, np.where((nd == 1) | swap, 1, 2)).astype(np.int8)
        out[sl] = np.where(both[sl], lv, NULL)
    # Identifiers of another length (a malformed entry) still compare by equality.
    other = ~both & _present(raw)[a] & _present(raw)[b]
    if other.any():
        eq = raw[a[other]] == raw[b[other]]
        out[other] = np.where(eq.astype(bool), 0, 2)
    return out


def _name_levels(names: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 same, 1 one character apart (a typo or a homophone), 2 different."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import cpdist

    ok = _present(names)
    both = ok[a] & ok[b]
    out = np.full(len(a), NULL, np.int8)
    if both.any():
        x = [str(v) for v in names[a[both]]]
        y = [str(v) for v in names[b[both]]]
        dist = cpdist(x, y, scorer=Levenshtein.distance, workers=-1)
        out[both] = np.where(dist == 0, 0, np.where(dist == 1, 1, 2))
    return out


def _eq_levels(col: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ok = _present(col)
    both = ok[a] & ok[b]
    out = np.full(len(a), NULL, np.int8)
    out[both] = np.where((col[a[both]] == col[b[both]]).astype(bool), 0, 1)
    return out


def _birth_levels(birth: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 same date, 1 two of year / month / day the same (or day and month swapped), 2 other."""
    x, y = birth[a], birth[b]
    both = (x > 0) & (y > 0)
    same = (
        (x // 10000 == y // 10000).astype(int)
        + (x // 100 % 100 == y // 100 % 100)
        + (x % 100 == y % 100)
    )
    swapped = (x // 10000 == y // 10000) & (x // 100 % 100 == y % 100) & (x % 100 == y // 100 % 100)
    lv = np.where(x == y, 0, np.where((same >= 2) | swapped, 1, 2)).astype(np.int8)
    return np.where(both, lv, NULL).astype(np.int8)


def _address_levels(c: Mapping[str, np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 same flat, 1 same building, 2 same road, 3 elsewhere."""
    road = c["road"]
    ok = _present(road)
    both = ok[a] & ok[b]
    out = np.full(len(a), NULL, np.int8)
    ia, ib = a[both], b[both]
    flat = (c["address_key"][ia] == c["address_key"][ib]).astype(bool) & _present(c["address_key"])[
        ia
    ]
    bld = (c["building_key"][ia] == c["building_key"][ib]).astype(bool) & _present(
        c["building_key"]
    )[ia]
    same_road = (road[ia] == road[ib]).astype(bool)
    out[both] = np.where(flat, 0, np.where(bld, 1, np.where(same_road, 2, 3)))
    return out


def compare(frame: LinkFrame, pairs: np.ndarray, kind: str) -> dict[str, np.ndarray]:
    """Comparison levels of each pair, per comparison of the kind."""
    a, b = pairs[:, 0], pairs[:, 1]
    c = frame.columns
    out: dict[str, np.ndarray] = {}
    for name in COMPARISONS[kind]:
        if name == "id":
            out[name] = (
                _id_levels(c["id_raw"], a, b)
                if kind in _ID_NUMBER_KINDS
                else np.where(
                    _eq_levels(c["id_raw"], a, b) == 1, 2, _eq_levels(c["id_raw"], a, b)
                ).astype(np.int8)
            )
        elif name == "name":
            out[name] = _name_levels(c["name"], a, b)
        elif name == "birth":
            out[name] = _birth_levels(c["birth"], a, b)
        elif name in ("gender", "phone", "household"):
            out[name] = _eq_levels(c[name], a, b)
        elif name == "address":
            out[name] = _address_levels(c, a, b)
    return out


# ----------------------------------------------------------------------------- training
_M_START = {2: [0.95, 0.05], 3: [0.85, 0.1, 0.05], 4: [0.7, 0.15, 0.1, 0.05]}


def _patterns(
    levels: dict[str, np.ndarray], sizes: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct comparison patterns (rows of levels, NULL as ``size``) and their counts."""
    names = list(sizes)
    code = np.zeros(len(next(iter(levels.values()))), np.int64)
    for c in names:
        lv = levels[c].astype(np.int64)
        code = code * (sizes[c] + 1) + np.where(lv < 0, sizes[c], lv)
    uniq, counts = np.unique(code, return_counts=True)
    rows = np.zeros((len(uniq), len(names)), np.int64)
    rest = uniq.copy()
    for k in range(len(names) - 1, -1, -1):
        base = sizes[names[k]] + 1
        rows[:, k] = rest % base
        rest //= base
    return rows, counts


def _random_u(
    frame: LinkFrame, kind: str, rng: np.random.Generator, samples: int
) -> dict[str, list[float]]:
    n = len(frame)
    a = rng.integers(0, n, samples)
    b = rng.integers(0, n, samples)
    keep = a != b
    levels = compare(frame, np.column_stack([a[keep], b[keep]]), kind)
    u = {}
    for c, size in COMPARISONS[kind].items():
        lv = levels[c]
        lv = lv[lv >= 0]
        counts = np.bincount(lv, minlength=size).astype(float) + 0.5  # never 0
        u[c] = (counts / counts.sum()).tolist()
    return u


def train(
    frame: LinkFrame,
    pairs: np.ndarray,
    levels: dict[str, np.ndarray],
    kind: str,
    seed: int = 0,
    samples: int = 300_000,
    iterations: int = 50,
    known: np.ndarray | None = None,
) -> Model:
    """Estimate the model: ``u`` from random pairs (nearly all non-matches); ``m`` of every
    comparison but the identifier from ``known`` matches (pairs with the same valid identifier),
    ``m`` of the identifier from candidate pairs that agree on everything else; then the match
    share ``lam`` of the candidates by expectation–maximisation with m and u fixed.

    (Plain EM over all parameters, tried first, settles on "same flat" instead of "same person":
    households dominate the candidate pairs.)"""
    sizes = COMPARISONS[kind]
    u = _random_u(frame, kind, np.random.default_rng(seed), min(samples, max(1000, len(frame) * 3)))
    m = {c: list(_M_START[s]) for c, s in sizes.items()}
    if known is not None and len(known) >= 30:
        labelled = compare(frame, known, kind)
        for c, size in sizes.items():
            if c == "id":
                continue
            lv = labelled[c][labelled[c] >= 0]
            if len(lv) >= 30:
                counts = np.bincount(lv, minlength=size) + 0.5
                m[c] = (counts / counts.sum()).tolist()
    if "id" in sizes and len(pairs):
        sure = np.ones(len(pairs), bool)
        for c in ("name", "birth"):
            if c in levels:
                sure &= levels[c] == 0
        sure &= (levels["address"] == 0) | (levels.get("phone", levels["address"]) == 0)
        lv = levels["id"][sure]
        lv = lv[lv >= 0]
        if len(lv) >= 30:
            counts = np.bincount(lv, minlength=sizes["id"]) + 0.5
            m["id"] = (counts / counts.sum()).tolist()
    rows, counts = _patterns(levels, sizes)
    log_bf = np.zeros(len(rows))
    for k, c in enumerate(sizes):
        table = np.r_[np.log(np.asarray(m[c]) / np.asarray(u[c])), 0.0]
        log_bf += table[rows[:, k]]
    bf = np.exp(np.clip(log_bf, -700, 700))
    lam, it = 0.1, 0
    for it in range(1, iterations + 1):  # noqa: B007 - the count is kept in the model
        odds = lam / (1 - lam)
        g = odds * bf / (1 + odds * bf)
        new = float((g * counts).sum() / counts.sum())
        done = abs(new - lam) < 1e-7
        lam = min(max(new, 1e-6), 1 - 1e-6)
        if done:
            break
    return Model(kind, m, u, lam, int(len(pairs)), it)


def match_weights(model: Model, levels: dict[str, np.ndarray], n_pairs: int) -> np.ndarray:
    """Match weight (log2 Bayes factor, prior not included) of each pair."""
    total = np.zeros(n_pairs)
    for c, table in model.weights().items():
        lv = levels[c].astype(np.int64)
        total += table[np.where(lv < 0, len(table) - 1, lv)]
    return total


# ----------------------------------------------------------------------------- clustering
class _Clusters:
    """Union-find whose sets remember their valid identifier (blind index), to refuse merging two
    different people (entities) that each have one, and the records a reviewer kept apart from
    their members (``forbid``: root -> record positions), to refuse those merges too."""

    def __init__(self, keys: np.ndarray):
        self.parent = np.arange(len(keys))
        self.key = list(keys)
        self.forbid: dict[int, set[int]] = {}

    def keep_apart(self, i: int, j: int) -> None:
        self.forbid.setdefault(self.find(i), set()).add(j)
        self.forbid.setdefault(self.find(j), set()).add(i)

    def allowed(self, i: int, j: int) -> bool:
        """Whether the clusters of ``i`` and ``j`` may be joined (or are one already)."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        ki, kj = self.key[ri], self.key[rj]
        if ki is not None and kj is not None and ki != kj:
            return False
        return not any(self.find(p) == rj for p in self.forbid.get(ri, ())) and not any(
            self.find(p) == ri for p in self.forbid.get(rj, ())
        )

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        if not self.allowed(ri, rj):
            return False
        ki, kj = self.key[ri], self.key[rj]
        if rj < ri:
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.key[ri] = ki if ki is not None else kj
        if rj in self.forbid:
            self.forbid.setdefault(ri, set()).update(self.forbid.pop(rj))
        return True


def link(
    frame: LinkFrame,
    kind: str = "residents",
    model: Model | None = None,
    retrain: bool = False,
    threshold: float = 0.95,
    review_from: float = 0.5,
    progress: Callable[[str], None] | None = None,
    must_link: np.ndarray | None = None,
    cannot_link: np.ndarray | None = None,
) -> LinkResult:
    """Cluster the records of one kind: identical valid identifiers, then candidate pairs whose
    match probability (with the model's prior) reaches ``threshold``; settled records keep their
    entities. Pairs between ``review_from`` and ``threshold`` that end up apart, and could be
    joined (no different valid identifiers, not kept apart), are returned as possible matches,
    one per pair of clusters (the highest weight). Without a model (or with ``retrain``) one is
    trained on the candidates.

    Reviewers' decisions on possible matches come in as record positions (k × 2 arrays):
    ``cannot_link`` pairs are never joined, neither directly nor through other records, and
    ``must_link`` pairs are joined first (rule ``"review"``)."""
    import time

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    n = len(frame)
    rule = np.full(n, "new", dtype=object)
    weight = np.full(n, np.nan)
    ids = frame.columns["id_key"]
    uf = _Clusters(ids)
    for i, j in np.asarray(cannot_link if cannot_link is not None else [], np.int64).reshape(-1, 2):
        uf.keep_apart(int(i), int(j))
    # Existing entities: settled members stay together.
    if frame.settled.any():
        idx = np.flatnonzero(frame.settled & (frame.entity >= 0))
        order = idx[np.argsort(frame.entity[idx], kind="stable")]
        e = frame.entity[order]
        for k in np.flatnonzero(e[1:] == e[:-1]).tolist():
            uf.union(int(order[k]), int(order[k + 1]))
        rule[idx] = "entity"
    # Pairs a reviewer accepted.
    for i, j in np.asarray(must_link if must_link is not None else [], np.int64).reshape(-1, 2):
        i, j = int(i), int(j)
        if uf.find(i) != uf.find(j) and uf.union(i, j):
            for r in (i, j):
                if not frame.settled[r]:
                    rule[r] = "review"
    # 1. Deterministic: the same valid identifier.
    codes = _codes(ids)
    a, b = (
        _block_pairs(codes, limit=len(frame) + 1)
        if (codes >= 0).any()
        else (np.empty(0, np.int64),) * 2
    )
    chain = codes[a] == codes[b]
    for i, j in zip(a[chain].tolist(), b[chain].tolist()):
        if uf.union(i, j):
            for r in (i, j):
                if not frame.settled[r]:
                    rule[r], weight[r] = "id", np.inf
    if kind == "households":
        # ... and for households the same household number at the same address (a new head of
        # household with a different valid ID number is not joined by it: see _Clusters).
        hh = _codes(_join(frame.columns["household"], frame.columns["address_key"]))
        if (hh >= 0).any():
            ha, hb = _block_pairs(hh, limit=2)  # neighbours in code order chain each block
            for i, j in zip(ha.tolist(), hb.tolist()):
                if uf.find(i) != uf.find(j) and uf.union(i, j):
                    for r in (i, j):
                        if not frame.settled[r] and rule[r] == "new":
                            rule[r], weight[r] = "household", np.inf
    timings["deterministic"] = time.perf_counter() - t0
    # 2. Fellegi–Sunter on candidate pairs.
    t = time.perf_counter()
    pairs = candidate_pairs(frame, kind)
    timings["blocking"] = time.perf_counter() - t
    t = time.perf_counter()
    levels = compare(frame, pairs, kind)
    timings["comparing"] = time.perf_counter() - t
    if len(pairs) == 0:
        labels = _labels(uf, n)
        return LinkResult(labels, rule, weight, model, 0, [], timings)
    t = time.perf_counter()
    if model is None or retrain:
        known = np.column_stack([a, b])[chain]
        model = train(frame, pairs, levels, kind, known=known[:200_000])
    timings["training"] = time.perf_counter() - t
    t = time.perf_counter()
    prior = math.log2(model.lam / (1 - model.lam))
    w = match_weights(model, levels, len(pairs)) + prior
    bar = math.log2(threshold / (1 - threshold))
    low = math.log2(review_from / (1 - review_from))
    order = np.argsort(-w, kind="stable")
    possible = []
    for k in order.tolist():
        wk = float(w[k])
        if wk < low:
            break
        i, j = int(pairs[k, 0]), int(pairs[k, 1])
        if wk >= bar:
            before = uf.find(i) == uf.find(j)
            if uf.union(i, j) and not before:
                for r in (i, j):
                    if not frame.settled[r] and rule[r] == "new":
                        rule[r], weight[r] = "fs", wk
        elif uf.find(i) != uf.find(j):
            possible.append((i, j, wk))
    timings["clustering"] = time.perf_counter() - t
    labels = _labels(uf, n)
    # Possible matches between records that ended up together are not possible any more, nor
    # those that could not be joined; one per pair of clusters (the list is in weight order).
    seen: set[tuple[int, int]] = set()
    kept = []
    for i, j, wk in possible:
        pair = (min(labels[i], labels[j]), max(labels[i], labels[j]))
        if pair[0] != pair[1] and pair not in seen and uf.allowed(i, j):
            seen.add(pair)
            kept.append((i, j, wk))
    possible = kept
    return LinkResult(labels, rule, weight, model, int(len(pairs)), possible, timings)


def _labels(uf: _Clusters, n: int) -> np.ndarray:
    roots = np.array([uf.find(i) for i in range(n)], np.int64)
    _, labels = np.unique(roots, return_inverse=True)
    return labels
