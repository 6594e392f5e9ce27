"""Digit runs of a flattened table, split with the whole table's arithmetic at once.

Crawled web text and PDF-converted text flatten tables so that the digits of adjacent cells
touch (``640020470`` is 64,0,0,2,0,4,70) or carry stray spaces that are not separators
(``23 0 00 0 023`` is 23,0,0,0,0,0,23). This module decides which cells of such a table can be
published. It never fills a cell where nothing is printed and never publishes a number whose
reading depends on a choice the table's arithmetic does not settle beyond doubt.

Model
-----
A row is a sequence of *items*: a run of printed digits (one or more cells), a cell already read
with certainty (an ``int`` or a number with thousands separators, ``"1,234"``: one cell) or a
blank cell (``None`` or a null token such as ``""``, ``"/"``, ``"-"``: one cell, never filled).
A *split* cuts every run into cells (no number starts with 0 unless it is 0; at most
``MAX_DIGITS`` digits a cell) so that the row has exactly its format's width.

A cell is

* **printed** when every split of its row gives it the same value: it was placed without
  choice (seven digits for seven cells, a delimited row with a token per cell, a leading ``0``);
* **decoded** when arithmetic chose it: its value is the same in every assignment of splits
  to rows that satisfies all the table's identities (表三: T3-C per row, T3-A and T3-B per
  column; 表四: each group's 总计), *and* in every assignment that satisfies them once any one
  printed cell is taken as misprinted (all identities through that cell left out: its row's
  T3-C and its column's T3-A and T3-B). One misprinted cell breaks up to three identities of
  表三, so leaving out one identity at a time is not enough to keep a misprint from steering a
  split; leaving out a cell's identities is, and it includes every leave-one-identity-out case.
* otherwise null, with a reason (``REASONS``).

When no assignment satisfies all identities (the report's own arithmetic is wrong, or a run
was misread), the cells that needed arithmetic stay null and ``Decoded.consistent`` is False.
Rows not given, rows that cannot be split at all and blank cells are unknowns: identities
through them do not constrain anything.

How (表三)
---------
1. Each row: count its splits and the values each cell takes over them (a DP over positions;
   cells with one value are *printed*), then enumerate the splits that keep its own total
   (T3-C) — each possible last cell fixes the sum the others must reach, and no cell may
   exceed what is left of it, nor the digits left fall short of it.
2. The table: rows with one such split are constants; the few rows with several are tried
   in every combination (rows packed 64 bits a column into one int, so a combination costs a
   few int additions), or, past ``LEAF_CAP`` combinations, solved by dynamic programming over
   the column sums of T3-B (result rows → （七）) joined with T3-A (一 + 二 = （七） + 四).
3. Leave-one-out, for the cells so decoded: combinations in which at most one row breaks its
   own total and the column identities break in at most one column. A row breaking its total
   takes only splits that the other rows' numbers allow in all but one column, so these are
   few (where the other rows fix every column, ``Row.near`` finds them by comparing strings).
   A row with one split that keeps its total can change only when its own total is left out,
   so when every decoded cell is in such a row only those rows are relaxed. Stop as soon as
   every decoded cell has shown a second value.

表四 is one row of three groups: its splits keeping all three totals (each total forced by
the sum before it), then, for leave-one-out, the splits keeping any two (short runs: all of
them; long runs: per left-out group, which is not enumerated — the other groups fix where it
may start and end, and a DP over positions gives the values its cells take there).

All work (pieces tried while splitting, combinations and sums formed while solving) is
counted in ``Decoded.work``; a table that needs more than its budget is left undecoded (null,
reason ``budget``), never guessed. Rows are cached between tables (the same budget is charged
again, so answers never depend on what was decoded before).

This module imports only the standard library and ``gongkai.layout``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from gongkai import layout

# A cell never has more digits than this (numbers.MAX_DIGITS: 2**53 ≈ 9e15).
MAX_DIGITS = 15
# A row with more printed characters than this is not split (hostile input, or not a row).
MAX_UNITS = 60
# Work units (pieces tried, sums formed) one table may cost; then it is left undecoded.
DEFAULT_BUDGET = 200_000

PRINTED = "printed"
DECODED = "decoded"

REASONS: dict[str, str] = {
    "blank": "此栏未印出数字",
    "absent": "此行未印出",
    "not_a_number": "此行有无法读作数字的内容，未拆分",
    "too_long": "此行数字过长，未拆分",
    "too_few_digits": "此行印出的数字少于栏数，无法拆分",
    "unsplittable": "此行印出的数字无法按栏数拆分",
    "ambiguous": "数字连在一起，可有多种拆法，本表的勾稽关系不能唯一确定此栏",
    "fragile": "数字连在一起，唯一合乎勾稽关系的拆法要以其他各栏都没有印错为前提，不采用",
    "inconsistent": "数字连在一起，但没有任何拆法能使本表的勾稽关系全部成立，不采用",
    "budget": "拆分的可能过多，未作判断",
}

T3_TOTAL = "total_processed"
T3_A_PLUS = ("new_received", "carried_over")
T3_A_MINUS = ("carried_forward",)  # with T3_TOTAL: 一 + 二 = （七）总计 + 四
T3_WIDTH = len(layout.TABLE3_COLUMNS)
T4_WIDTH = len(layout.TABLE4_GROUPS) * len(layout.TABLE4_COLUMNS)

Token = str | int | None
Candidate = tuple[int | None, ...]


@dataclass(frozen=True)
class RowInput:
    """One printed row of 表三.

    ``tokens``: what the row printed, in order. A ``str`` of ASCII digits is a run of printed
    digits (its inner whitespace is ignored); a number with thousands separators (``"1,234"``)
    or an ``int`` is one cell read with certainty; ``None``, ``""`` or a null token (``"/"``,
    ``"-"``, ``"无"``, …) is one blank cell. Anything else makes the row unreadable.

    ``certain_bounds``: True for a delimited row, where each token holds one or more whole
    cells; False when spaces may be stray, so neighbouring digit tokens form one run (and an
    empty string is nothing, not a blank cell).

    Text is expected normalized (``numbers.normalize``: NFKC, so full-width digits are ASCII).
    """

    key: str
    tokens: tuple[Token, ...]
    certain_bounds: bool


class Cell(NamedTuple):
    """One cell of the output: ``value`` is published only when ``why`` is None."""

    value: int | None
    how: str | None = None  # "printed" | "decoded" when published
    why: str | None = None  # a key of REASONS when null

    @property
    def note(self) -> str | None:
        return REASONS.get(self.why) if self.why else None


@dataclass
class Decoded:
    """The cells of a table, row key → one Cell per column (layout order)."""

    cells: dict[str, tuple[Cell, ...]]
    # some split satisfies every identity that could be checked (False too when the budget ran
    # out before that was known: see exhausted)
    consistent: bool
    work: int  # work units spent (the budget counter), for tests and benchmarks
    exhausted: bool = False  # the budget ran out: every cell that needed a choice is null

    def values(self) -> dict[str, list[int | None]]:
        return {k: [c.value for c in row] for k, row in self.cells.items()}


class _OutOfBudget(Exception):
    pass


class _Done(Exception):
    pass


class _Budget:
    __slots__ = ("left", "spent")

    def __init__(self, total: int) -> None:
        self.left = total
        self.spent = 0

    def take(self, n: int = 1) -> None:
        self.spent += n
        self.left -= n
        if self.left < 0:
            raise _OutOfBudget


# ----------------------------------------------------------------------------------------
# One row: its printed items, its splits.

_DIGITS = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")


def _items(tokens: Iterable[Token], certain_bounds: bool) -> list[tuple[str, str]] | None:
    """("run", digits) | ("fixed", digits) | ("blank", "#"); None when a token is no number."""
    items: list[tuple[str, str]] = []
    for token in tokens:
        if type(token) is str and token.isdigit() and token.isascii():
            items.append(("run", token))
            continue
        if token is None:
            items.append(("blank", "#"))
            continue
        if isinstance(token, bool) or not isinstance(token, int | str):
            return None
        if isinstance(token, int):
            if token < 0:
                return None
            items.append(("fixed", str(token)))
            continue
        text = token.strip()
        if not text and not certain_bounds:
            continue
        if text in layout.NULL_TOKENS:
            items.append(("blank", "#"))
            continue
        parts = text.split()
        if all(_DIGITS.fullmatch(p) for p in parts):
            if certain_bounds:
                items.append(("run", "".join(parts)))
            else:
                items.extend(("run", p) for p in parts)
        elif _GROUPED.fullmatch(text):
            items.append(("fixed", text.replace(",", "")))
        else:
            return None
        if items[-1][0] == "fixed" and len(items[-1][1]) > MAX_DIGITS:
            return None  # not a count anyone printed (numbers.too_many_digits)
    if not certain_bounds:  # stray spaces: neighbouring runs are one run
        merged: list[tuple[str, str]] = []
        for kind, text in items:
            if kind == "run" and merged and merged[-1][0] == "run":
                merged[-1] = ("run", merged[-1][1] + text)
            else:
                merged.append((kind, text))
        items = merged
    return items


# (cells, index of the failed group or -1, index of the cell that missed its limit or -1)
Split = tuple[Candidate, int, int]


class _Row:
    """The printed characters of one row and where cells may be cut."""

    __slots__ = (
        "text",
        "n",
        "width",
        "opts",
        "blanks",
        "count",
        "fin",
        "values",
        "why",
        "single",
        "starts",
        "_own",
        "choice",
        "fixed_cells",
        "unknown_cols",
    )

    def __init__(self, tokens: Iterable[Token], certain_bounds: bool, width: int) -> None:
        self.width = width
        self.why: str | None = None
        self.count = 0  # number of splits
        self.single: Candidate | None = None  # the split, when there is exactly one
        self.values: list[set[int | None]] = [set() for _ in range(width)]
        self.text, self.n, self.blanks = "", 0, False
        self.opts: list[range] = []
        self.fin: list[list[int]] = []
        self.starts: list[set[int]] = []  # starts[k]: where cell k may start, in some split
        self._own: tuple[list[Candidate], int] | None = None  # own_splits(), and its cost
        self.choice: tuple[int, ...] = ()  # the cells that take several numbers
        self.fixed_cells: tuple[Cell | None, ...] = ()  # the others, as output (None: a choice)
        self._read(tokens, certain_bounds)
        self.unknown_cols = frozenset(j for j, v in enumerate(self.values) if None in v)
        if self.why is None:
            self.choice = tuple(
                j for j, v in enumerate(self.values) if len(v) > 1 and None not in v
            )
        self.fixed_cells = tuple(
            None if j in self.choice else _cell(self, j, None, True, False, False)
            for j in range(width)
        )

    def _read(self, tokens: Iterable[Token], certain_bounds: bool) -> None:
        width = self.width
        items = _items(tokens, certain_bounds)
        if items is None:
            self.why = "not_a_number"
            return
        text = "".join(t for _, t in items)
        self.text, self.n = text, len(text)
        self.blanks = any(kind == "blank" for kind, _ in items)
        if self.n > MAX_UNITS:
            self.why, self.text = "too_long", ""
            return
        n = self.n
        if len(items) >= width:  # every item holds at least one cell: one cell each, or none
            if len(items) == width and all(_one_cell(kind, t) for kind, t in items):
                self._place(tuple(None if k == "blank" else int(t) for k, t in items))
            else:
                self.why = "unsplittable"
            return
        if n <= width:  # one character a cell, or too few
            if n == width and all(kind == "run" or len(t) == 1 for kind, t in items):
                self._place(tuple(None if ch == "#" else int(ch) for ch in text))
            else:
                self.why = "too_few_digits"
            return
        # A cell starting at p ends at lo[p] … hi[p]; opts[p] is that range.
        lo = [1] * (n + 1)
        hi = [0] * (n + 1)
        pos = 0
        for kind, part in items:
            end = pos + len(part)
            if kind != "run":
                lo[pos] = hi[pos] = end
            else:
                for p in range(pos, end):
                    lo[p] = p + 1
                    hi[p] = p + 1 if part[p - pos] == "0" else min(end, p + MAX_DIGITS)
            pos = end
        opts = [range(a, b + 1) for a, b in zip(lo, hi, strict=True)]
        self.opts = opts
        # fin[j][p]: number of ways to cut text[p:] into j cells.
        fin = [[0] * n + [1]]
        bounds = list(zip(lo, hi, strict=True))
        for _ in range(width):
            sums = [0, *accumulate(fin[-1])]  # sums[i] = Σ prev[:i]
            fin.append([sums[b + 1] - sums[a] if b >= a else 0 for a, b in bounds])
        self.fin = fin
        self.count = fin[width][0]
        if self.count == 0:
            digits = sum(ch.isdigit() for ch in text)
            self.why = "too_few_digits" if digits + text.count("#") < width else "unsplittable"
            return
        # The values each cell takes over all splits.
        values = self.values
        reach = {0}
        for k in range(width):
            self.starts.append(reach)
            rest = fin[width - k - 1]
            nxt: set[int] = set()
            for p in reach:
                for b in opts[p]:
                    if rest[b]:
                        values[k].add(None if text[p] == "#" else int(text[p:b]))
                        nxt.add(b)
            reach = nxt
        if self.count == 1:
            self.single = tuple(next(iter(v)) for v in values)

    def free_group_values(
        self, groups: Sequence[tuple[int, int]], free: int, meter: _Budget
    ) -> list[set[int | None]]:
        """The values each cell takes over the splits in which every group but `free` keeps
        its identity (all empty when there is none). The free group is not enumerated: the
        other groups' splits fix where it starts and ends, and for each such span the values
        its cells take over every split of the span come from a DP over positions."""
        width, text, opts, fin, n = self.width, self.text, self.opts, self.fin, self.n
        first, stop = groups[free]
        starts = [False] * width
        total_of = [False] * width
        for a, b in groups:
            starts[a] = True
            total_of[b - 1] = True
        prune = not self.blanks
        found: list[set[int | None]] = [set() for _ in range(width)]
        spans: set[tuple[int, int]] = set()
        vals: list[int | None] = [None] * width
        span = [(0, 0)]
        spent = 0
        allowed = meter.left
        known: dict[tuple[int, int], list[set[int | None]]] = {}

        def free_span(a: int, b: int) -> list[set[int | None]]:
            nonlocal spent
            if (a, b) not in known:
                spent += (b - a) * (stop - first)
                known[(a, b)] = self._span(a, b, stop - first)
            return known[(a, b)]

        def rec(p: int, k: int, gsum: int, gknown: bool) -> None:
            nonlocal spent
            spent += 1
            if spent > allowed:
                raise _OutOfBudget
            if k == width:
                for j in range(width):
                    if not first <= j < stop:
                        found[j].add(vals[j])
                spans.add(span[0])
                return
            if k == first:  # jump over the free group: every end it can have
                for e in range(p + stop - first, n - (width - stop) + 1):
                    if fin[width - stop][e] and free_span(p, e):
                        span[0] = (p, e)
                        rec(e, stop, 0, True)
                return
            if starts[k]:
                gsum, gknown = 0, True
            rest = fin[width - k - 1]
            if total_of[k] and gknown and text[p] != "#":
                want = str(gsum)
                b = p + len(want)
                if b in opts[p] and rest[b] and text.startswith(want, p):
                    vals[k] = gsum
                    rec(b, k + 1, 0, True)
                return
            for b in opts[p]:
                if not rest[b]:
                    continue
                if text[p] == "#":
                    vals[k] = None
                    rec(b, k + 1, gsum, False)
                    continue
                v = int(text[p:b])
                if total_of[k]:
                    vals[k] = v  # a blank in the group: its identity cannot be checked
                    rec(b, k + 1, 0, True)
                    continue
                # this group's total needs at least as many digits as the sum so far, and
                # every cell still to come one; the free group's cells only one each
                if prune and n - b < width - k - 2 + len(str(gsum + v)):
                    break
                vals[k] = v
                rec(b, k + 1, gsum + v, gknown)

        try:
            rec(0, 0, 0, True)
            for a, b in spans:
                for j, values in enumerate(free_span(a, b)):
                    found[first + j] |= values
        except _OutOfBudget:
            meter.spent += spent
            meter.left = -1
            raise
        if spent > allowed:
            meter.spent += spent
            meter.left = -1
            raise _OutOfBudget
        meter.take(spent)
        return found

    def _span(self, a: int, b: int, cells: int) -> list[set[int | None]]:
        """The values each of `cells` cells takes over the splits of text[a:b] (empty list:
        there is no such split)."""
        opts, text = self.opts, self.text
        # can[j][p]: text[p:b] splits into j cells
        can = [[False] * (b + 1) for _ in range(cells + 1)]
        can[0][b] = True
        for j in range(1, cells + 1):
            prev, cur = can[j - 1], can[j]
            for p in range(b - j, a - 1, -1):
                cur[p] = any(e <= b and prev[e] for e in opts[p])
        if not can[cells][a]:
            return []
        out: list[set[int | None]] = []
        reach = {a}
        for k in range(cells):
            rest = can[cells - k - 1]
            values: set[int | None] = set()
            nxt = set()
            for p in reach:
                for e in opts[p]:
                    if e <= b and rest[e]:
                        values.add(None if text[p] == "#" else int(text[p:e]))
                        nxt.add(e)
            out.append(values)
            reach = nxt
        return out

    def near(self, targets: Sequence[int], meter: _Budget) -> list[tuple[Candidate, int]]:
        """The splits whose cells equal `targets` in all columns but at most one: (cells, the
        column that differs or -1). Those cells fix every cut but the two around the odd one
        out, so this is a few string comparisons, not a search (a target of -1 is matched by
        nothing). For rows without blank cells."""
        text, opts, n, width = self.text, self.opts, self.n, self.width
        meter.take(2 * width)
        want = [str(t) if t >= 0 else "" for t in targets]
        head: list[int | None] = [0]  # head[k]: where cell k starts if cells < k match
        for k in range(width):
            p = head[-1]
            e = None if p is None or not want[k] else p + len(want[k])
            ok = p is not None and e is not None and p < n and e in opts[p]
            ok = ok and text.startswith(want[k], p)
            head.append(e if ok else None)
        # tail[k]: where cell k starts if cells ≥ k match
        tail: list[int | None] = [None] * (width + 1)
        tail[width] = n
        for k in range(width - 1, -1, -1):
            e = tail[k + 1]
            p = None if e is None or not want[k] else e - len(want[k])
            ok = p is not None and p >= 0 and e in opts[p] and text.startswith(want[k], p)
            tail[k] = p if ok else None
        out: list[tuple[Candidate, int]] = []
        if head[width] == n:
            out.append((tuple(targets), -1))
        for c in range(width):
            a, b = head[c], tail[c + 1]
            if a is None or b is None or b <= a or b not in opts[a]:
                continue
            v = int(text[a:b])
            if v != targets[c]:
                out.append(((*targets[:c], v, *targets[c + 1 :]), c))
        return out

    def own_splits(self, meter: _Budget) -> list[Candidate]:
        """The splits that keep the row's own identity (表三's T3-C), remembered with what they
        cost, which is charged again each time (rows repeat across tables: the same budget
        then gives the same answers, whatever was decoded before)."""
        if self._own is None:
            before = meter.spent
            own = [c for c, _, _ in self.splits(_T3_GROUPS, meter)]
            self._own = (own, meter.spent - before)
            return own
        meter.take(self._own[1])
        return self._own[0]

    def _place(self, cells: Candidate) -> None:
        self.count, self.single = 1, cells
        for k, v in enumerate(cells):
            self.values[k].add(v)

    def printed(self, k: int) -> bool:
        vals = self.values[k]
        return len(vals) == 1 and None not in vals

    def unknown(self, k: int) -> bool:
        return None in self.values[k]

    def splits(
        self,
        groups: Sequence[tuple[int, int]],
        meter: _Budget,
        caps: Sequence[int | None] | None = None,
        exact: Sequence[int | None] | None = None,
        group_slack: bool = False,
        bound_slack: bool = False,
    ) -> list[Split]:
        """The splits in which every group's last cell is the sum of its others and every cell
        is at most its cap and equal to its exact value (None: any). With a slack, one group
        may fail its identity, or one cell miss its cap or exact value (the split says which:
        (cells, failed group or -1, missed cell or -1))."""
        width = self.width
        caps = list(caps) if caps is not None else [None] * width
        exact = list(exact) if exact is not None else [None] * width
        limited = any(c is not None for c in caps) or any(e is not None for e in exact)

        def miss(v: int, k: int) -> int:
            """0: v fits cell k; 1: it does not, a longer piece may; 2: no longer piece does."""
            cap, ex = caps[k], exact[k]
            if cap is not None and v > cap:
                return 2
            if ex is not None and v != ex:
                return 2 if v > ex else 1
            return 0

        if self.single is not None:
            meter.take()
            return _check_single(self.single, groups, miss, group_slack, bound_slack)
        if tuple(groups) == ((0, width),) and not group_slack and not self.blanks:
            return self._sum_to_last(miss if limited else None, bound_slack, meter)
        text, opts, fin, n = self.text, self.opts, self.fin, self.n
        group_of = [-1] * width
        starts = [False] * width
        total_of = [False] * width
        for g, (a, b) in enumerate(groups):
            for k in range(a, b):
                group_of[k] = g
            starts[a] = True
            total_of[b - 1] = True
        prune = not self.blanks
        out: list[Split] = []
        vals: list[int | None] = [None] * width
        spent = 0
        allowed = meter.left

        def rec(p: int, k: int, gsum: int, gknown: bool, failed: int, over: int) -> None:
            nonlocal spent
            if k == width:
                out.append((tuple(vals), failed, over))
                return
            if starts[k]:
                gsum, gknown = 0, True
            rest = fin[width - k - 1]
            strict = failed >= 0 or not group_slack  # this group must keep its identity
            if total_of[k] and gknown and text[p] != "#" and strict:
                # the total is forced: the sum of the group's other cells
                spent += 1
                if spent > allowed:
                    raise _OutOfBudget
                want = str(gsum)
                b = p + len(want)
                if b in opts[p] and rest[b] and text.startswith(want, p):
                    now = over
                    if limited and miss(gsum, k):
                        if not bound_slack or over >= 0:
                            return
                        now = k
                    vals[k] = gsum
                    rec(b, k + 1, 0, True, failed, now)
                return
            for b in opts[p]:
                spent += 1
                if spent > allowed:
                    raise _OutOfBudget
                if not rest[b]:
                    continue
                if text[p] == "#":
                    vals[k] = None
                    rec(b, k + 1, gsum, False, failed, over)
                    continue
                v = int(text[p:b])
                now = over
                if limited:
                    m = miss(v, k)
                    if m:
                        if not bound_slack or over >= 0:
                            if m == 2:
                                break  # longer pieces are larger still
                            continue
                        now = k
                if total_of[k]:
                    if group_of[k] >= 0 and gknown and v != gsum:
                        vals[k] = v
                        rec(b, k + 1, 0, True, group_of[k], now)  # uses the slack
                    elif not gknown or v == gsum:
                        vals[k] = v
                        rec(b, k + 1, 0, True, failed, now)
                    continue
                # the group's total is at least the sum so far: it needs that many digits,
                # and every cell still to come needs one
                if (
                    prune
                    and strict
                    and group_of[k] >= 0
                    and n - b < width - k - 2 + len(str(gsum + v))
                ):
                    break
                vals[k] = v
                rec(b, k + 1, gsum + v, gknown, failed, now)

        try:
            rec(0, 0, 0, True, -1, -1)
        except _OutOfBudget:
            meter.spent += spent
            meter.left = -1
            raise
        meter.take(spent)
        return out

    def _sum_to_last(self, miss, bound_slack: bool, meter: _Budget) -> list[Split]:
        """splits() for one group over the whole row (表三's T3-C): the last cell is the total,
        so each possible last cell fixes the sum that the other cells must reach, and no other
        cell may exceed what is left of it."""
        width, text, opts, n = self.width, self.text, self.opts, self.n
        out: list[Split] = []
        vals: list[int | None] = [None] * width
        spent = 0
        allowed = meter.left

        def rec(p: int, k: int, left: int, end: int, over: int) -> None:
            nonlocal spent
            cells = width - 1 - k  # this one and those after it, before the total
            digits = end - p
            if digits < cells:
                return  # a digit at least each
            if digits > cells * len(str(left)):
                return  # every cell is at most `left`: that many digits at most
            if left >= cells * _POW10[digits - cells + 1]:
                return  # the longest cell has at most that many digits: the sum stays below
            for b in opts[p]:
                spent += 1
                if spent > allowed:
                    raise _OutOfBudget
                if b > end - cells + 1:
                    break
                v = int(text[p:b])
                if v > left:
                    break
                now = over
                if miss is not None:
                    m = miss(v, k)
                    if m:
                        if not bound_slack or over >= 0:
                            if m == 2:
                                break
                            continue
                        now = k
                vals[k] = v
                if cells == 1:
                    if b == end and v == left:
                        out.append((tuple(vals), -1, now))
                elif b < end:
                    rec(b, k + 1, left - v, end, now)

        try:
            for a in sorted(self.starts[width - 1]):
                if n not in opts[a]:
                    continue
                total = int(text[a:n])
                over = -1
                if miss is not None and miss(total, width - 1):
                    if not bound_slack:
                        continue
                    over = width - 1
                vals[width - 1] = total
                if width == 1:
                    out.append((tuple(vals), -1, over))
                else:
                    rec(0, 0, total, a, over)
        except _OutOfBudget:
            meter.spent += spent
            meter.left = -1
            raise
        meter.take(spent)
        return out


_POW10 = [10**i for i in range(MAX_UNITS + 2)]
_NEAR = True  # Row.near() for rows whose every cell has an exact target (tests compare)
# 表四 rows with at most this many splits in all are enumerated whole for the leave-one-out
# check; longer ones one left-out group at a time (Row.free_group_values).
FEW_SPLITS = 512


def _row(tokens: tuple[Token, ...], certain_bounds: bool, width: int) -> _Row:
    """Rows repeat (0000000 above all): one _Row each, never changed once made. A row too long
    to split is not kept (a hostile page may print megabytes of digits)."""
    size = sum(len(t) if isinstance(t, str) else 1 for t in tokens)
    if size > 4 * MAX_UNITS or len(tokens) > MAX_UNITS or any(type(t) is bool for t in tokens):
        return _Row(tokens, certain_bounds, width)  # (True == 1 as a cache key)
    return _cached_row(tokens, certain_bounds, width)


@lru_cache(maxsize=4096)
def _cached_row(tokens: tuple[Token, ...], certain_bounds: bool, width: int) -> _Row:
    return _Row(tokens, certain_bounds, width)


def _one_cell(kind: str, text: str) -> bool:
    return kind != "run" or (len(text) <= MAX_DIGITS and (text == "0" or text[0] != "0"))


def _check_single(
    cand: Candidate, groups: Sequence[tuple[int, int]], miss, group_slack: bool, bound_slack: bool
) -> list[Split]:
    failed = []
    for g, (a, b) in enumerate(groups):
        part = cand[a : b - 1]
        if cand[b - 1] is not None and None not in part and cand[b - 1] != sum(part):  # type: ignore[arg-type]
            failed.append(g)
    over = [k for k, v in enumerate(cand) if v is not None and miss(v, k)]
    if len(failed) > group_slack or len(over) > bound_slack:
        return []
    return [(cand, failed[0] if failed else -1, over[0] if over else -1)]


# ----------------------------------------------------------------------------------------
# Packed rows: the seven cells of a row in one int, 64 bits a cell, so that adding rows and
# comparing sums column by column are single int operations (cells < 2**50, sums < 2**63).

_FIELD = 64
_ONES = (1 << _FIELD) - 1
_GUARD = sum(1 << (_FIELD * i + _FIELD - 1) for i in range(T3_WIDTH))
_LOW = sum(((1 << (_FIELD - 1)) - 1) << (_FIELD * i) for i in range(T3_WIDTH))
_TOO_BIG = object()
# Assignments enumerated one by one at most; beyond, the table is solved column-sum by
# column-sum (dynamic programming over the rows), one leave-one-out system at a time.
LEAF_CAP = 4096


def _pack(cand: Candidate) -> int:
    x = 0
    for j, v in enumerate(cand):
        if v:
            x |= v << (_FIELD * j)
    return x


def _mask(cols: Iterable[int]) -> int:
    return sum(_ONES << (_FIELD * j) for j in cols)


def _leq(w: int, m: int) -> bool:
    """Every column of w is at most the same column of m."""
    return ((m | _GUARD) - w) & _GUARD == _GUARD


def _nonzero(x: int) -> int:
    """How many columns of x are not 0."""
    return ((((x & _LOW) + _LOW) | x) & _GUARD).bit_count()


def _group(packs: Sequence[int], mask: int) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for i, p in enumerate(packs):
        out.setdefault(p & mask, []).append(i)
    return out


# ----------------------------------------------------------------------------------------
# 表三


class _Table3:
    """The rows of one 表三 and its identities: T3-C within each row (kept by the splits
    themselves), T3-A (一 + 二 = （七） + 四) and T3-B (（七） = Σ result rows) per column."""

    def __init__(self, fmt: str, rows: dict[str, _Row], meter: _Budget) -> None:
        self.rows, self.meter = rows, meter
        self.result = layout.TABLE3_RESULT_ROWS[fmt]
        self.live = [k for k, r in rows.items() if r.count]
        a_rows = (*T3_A_PLUS, T3_TOTAL, *T3_A_MINUS)
        b_rows = (T3_TOTAL, *self.result)

        def columns(family: Sequence[str]) -> list[int]:
            if not all(k in rows and rows[k].count for k in family):
                return []  # a row of the identity was not printed: it cannot be checked
            unknown = set().union(*(rows[k].unknown_cols for k in family))
            return [j for j in range(T3_WIDTH) if j not in unknown]

        self.cols_a, self.cols_b = columns(a_rows), columns(b_rows)
        self.mask_a, self.mask_b = _mask(self.cols_a), _mask(self.cols_b)
        # what a row adds to: 一+二 (T3-A), （七）+四 (T3-A), （七） (T3-B), Σ result rows (T3-B)
        self.roles: dict[str, tuple[bool, bool, bool, bool]] = {}
        for k in self.live:
            in_a = bool(self.cols_a) and k in a_rows
            in_b = bool(self.cols_b) and k in b_rows
            self.roles[k] = (
                in_a and k in T3_A_PLUS,
                in_a and k not in T3_A_PLUS,
                in_b and k == T3_TOTAL,
                in_b and k != T3_TOTAL,
            )
        self.ok = {k: rows[k].own_splits(meter) for k in self.live}
        self.packs = {k: [_pack(c) for c in cands] for k, cands in self.ok.items()}
        # Rows whose identity rules some of their splits out: a misprint there matters.
        self.relaxable = [k for k in self.live if rows[k].count > len(self.ok[k])]
        self._bad: dict[str, list[tuple[Candidate, int]]] = {}
        self._sums: tuple[list[int], list[int]] | None = None
        b_rows = (T3_TOTAL, *self.result)
        self._open_b = {k for k in b_rows if k in self.ok and len(self.ok[k]) != 1}

    def linked(self, key: str) -> bool:
        return any(self.roles[key])

    def _relax(self, open_cells: dict[str, dict[int, int]]) -> list[str]:
        """The rows whose own identity is worth leaving out. A row with one split keeps it
        unless its own identity is left out; so if every open cell is in such a row, only
        those rows matter, else every row whose identity rules splits out."""
        rows = [k for k in self.relaxable if self.linked(k)]
        if all(len(self.ok[k]) == 1 for k in open_cells):
            return [k for k in rows if k in open_cells]
        return rows

    def bad(self, key: str) -> list[tuple[Candidate, int]]:
        """The splits of a row that break its own identity, and are not ruled out by the
        column identities in more than one column: (cells, the column over its bound or -1)."""
        if key not in self._bad:
            caps, exact = self._limits(key)
            row = self.rows[key]
            if None not in exact and not row.blanks and _NEAR:
                near = row.near(exact, self.meter)  # type: ignore[arg-type]
                self._bad[key] = [(c, o) for c, o in near if c[-1] != sum(c[:-1])]  # type: ignore[arg-type]
            else:
                found = row.splits(_T3_GROUPS, self.meter, caps, exact, True, True)
                self._bad[key] = [(c, over) for c, failed, over in found if failed >= 0]
        return self._bad[key]

    def _result_sums(self) -> tuple[list[int], list[int]]:
        """Per column: Σ of the result rows with one split, Σ of every result row's maximum."""
        if self._sums is None:
            fixed, top = [0] * T3_WIDTH, [0] * T3_WIDTH
            for k in self.result if self.cols_b else ():
                cands = self.ok[k]
                if len(cands) == 1:
                    for j in self.cols_b:
                        fixed[j] += cands[0][j]  # type: ignore[operator]
                        top[j] += cands[0][j]  # type: ignore[operator]
                else:
                    for j in self.cols_b:
                        top[j] += max(c[j] or 0 for c in cands)  # a blank adds nothing
            self._sums = (fixed, top)
        return self._sums

    def _max(self, key: str, j: int) -> int:
        return max(c[j] or 0 for c in self.ok[key])  # a blank adds nothing

    def _limits(self, key: str) -> tuple[list[int | None], list[int | None]]:
        """What the column identities and the other rows' splits leave for the cells of a row:
        (caps, exact). Where every other row of an identity has one split, the cell must equal
        one number (-1: none fits); elsewhere it is at most a cap (all counts are ≥ 0). A cell
        that misses breaks its column's identity."""
        caps: list[int | None] = [None] * T3_WIDTH
        exact: list[int | None] = [None] * T3_WIDTH
        plus_a, minus_a, total_b, part_b = self.roles[key]
        a_rows = (*T3_A_PLUS, T3_TOTAL, *T3_A_MINUS)
        a_fixed = bool(self.cols_a) and all(len(self.ok[k]) == 1 for k in a_rows if k != key)
        b_fixed = bool(self.cols_b) and self._open_b <= {key}
        sums = self._result_sums()

        def one(k: str, j: int) -> int:
            return self.ok[k][0][j]  # type: ignore[return-value]

        for j in range(T3_WIDTH):
            bound, want = [], []
            if (plus_a or minus_a) and j in self.cols_a:
                same = T3_A_PLUS if plus_a else (T3_TOTAL, *T3_A_MINUS)
                other = (T3_TOTAL, *T3_A_MINUS) if plus_a else T3_A_PLUS
                if a_fixed:  # key = Σ other side − the rest of its own side
                    want.append(
                        sum(one(k, j) for k in other) - sum(one(k, j) for k in same if k != key)
                    )
                else:
                    bound.append(sum(self._max(k, j) for k in other))
            if (total_b or part_b) and j in self.cols_b:
                fixed_sum, max_sum = sums[0][j], sums[1][j]
                if b_fixed:
                    if total_b:
                        want.append(fixed_sum)
                    else:
                        own = one(key, j) if len(self.ok[key]) == 1 else 0
                        want.append(one(T3_TOTAL, j) - (fixed_sum - own))
                elif total_b:
                    bound.append(max_sum)
                else:
                    bound.append(self._max(T3_TOTAL, j))
            if bound:
                caps[j] = min(bound)
            if want:
                exact[j] = want[0] if want[0] >= 0 and all(w == want[0] for w in want) else -1
        return caps, exact

    # -- few rows with a choice: every assignment, one by one --------------------------------

    def _walk(
        self,
        rows: list[str],
        options: dict[str, list[tuple[int, int, bool]]],
        accept,
        visit,
    ) -> None:
        """Call visit(choice) for every assignment (choice: row → split index) that accept
        takes; the rows not in `rows` keep their only split. Raises StopIteration from visit
        to end early."""
        base = [0, 0, 0, 0]
        for k in self.live:
            if k not in options and any(self.roles[k]):
                for i, on in enumerate(self.roles[k]):
                    if on:
                        base[i] += self.packs[k][0]
        roles = [self.roles[k] for k in rows]
        opts = [options[k] for k in rows]
        choice: dict[str, int] = {}
        mask_a, mask_b = self.mask_a, self.mask_b
        meter = self.meter
        depth = len(rows)

        def rec(i: int, al: int, ar: int, bl: int, br: int, bad: int = 0) -> None:
            meter.take()
            if i == depth:
                broken_a = (al ^ ar) & mask_a
                broken_b = (bl ^ br) & mask_b
                if accept(broken_a, broken_b, bad):
                    visit(choice)
                return
            ra, rb, rc, rd = roles[i]
            key = rows[i]
            for index, pack, is_bad in opts[i]:
                if is_bad and bad:
                    continue
                choice[key] = index
                rec(
                    i + 1,
                    al + pack if ra else al,
                    ar + pack if rb else ar,
                    bl + pack if rc else bl,
                    br + pack if rd else br,
                    bad + is_bad,
                )

        rec(0, base[0], base[1], base[2], base[3], 0)

    def full(self) -> dict[str, list[Candidate]] | None | object:
        """The splits of each row that take part in an assignment satisfying every identity;
        None when there is none; _TOO_BIG when there are too many to enumerate."""
        if any(not c for c in self.ok.values()):
            return None
        var = [k for k in self.live if len(self.ok[k]) > 1 and self.linked(k)]
        size = 1
        for k in var:
            size *= len(self.ok[k])
        if size > LEAF_CAP:
            return _TOO_BIG
        options = {k: [(i, p, False) for i, p in enumerate(self.packs[k])] for k in var}
        used: dict[str, set[int]] = {k: set() for k in var}
        hits = []

        def visit(choice: dict[str, int]) -> None:
            hits.append(1)
            for k, i in choice.items():
                used[k].add(i)

        self._walk(var, options, lambda a, b, bad: not (a or b), visit)
        if not hits:
            return None
        return {
            k: [self.ok[k][i] for i in sorted(used[k])] if k in used else self.ok[k]
            for k in self.live
        }

    def robust(
        self, open_cells: dict[str, dict[int, int]], mode: str
    ) -> set[tuple[str, int]] | object:
        """The open cells (row → column → value) that take another value once one printed cell
        is taken as misprinted (mode "cell"), or one identity is left out ("identity")."""
        var = [k for k in self.live if len(self.ok[k]) > 1 and self.linked(k)]
        relax = self._relax(open_cells)
        var += [k for k in relax if k not in var]
        size, extra = 1, 0
        for k in var:
            size *= len(self.ok[k])
        for k in relax:
            extra += len(self.bad(k))
        if size * (1 + extra) > LEAF_CAP:
            return _TOO_BIG
        options = {}
        for k in var:
            opts = [(i, p, False) for i, p in enumerate(self.packs[k])]
            if k in relax:
                n = len(opts)
                opts += [(n + i, _pack(c), True) for i, (c, _) in enumerate(self.bad(k))]
            options[k] = opts
        cands = {
            k: self.ok[k] + [c for c, _ in self.bad(k)] if k in relax else self.ok[k] for k in var
        }
        fragile: set[tuple[str, int]] = set()
        watch = {k: dict(cells) for k, cells in open_cells.items() if k in cands and cells}

        def visit(choice: dict[str, int]) -> None:
            for k in list(watch):
                cand = cands[k][choice[k]]
                cells = watch[k]
                for j in [j for j, v in cells.items() if cand[j] != v]:
                    fragile.add((k, j))
                    del cells[j]
                if not cells:
                    del watch[k]
            if not watch:
                raise _Done

        if mode == "identity":

            def accept(a: int, b: int, bad: int) -> bool:
                return _nonzero(a) + _nonzero(b) + bad <= 1

        else:

            def accept(a: int, b: int, bad: int) -> bool:
                return _nonzero(a | b) <= 1

        if watch:
            with contextlib.suppress(_Done):
                self._walk(var, options, accept, visit)
        return fragile

    # -- many rows with a choice: column sums, dynamic programming ---------------------------

    def solve(
        self, mask_a: int, mask_b: int, relax: str | None = None, over: tuple[int, ...] = (-1,)
    ) -> dict[str, list[Candidate]] | None:
        """Like full(), for any number of rows with a choice, with the identities of the
        columns outside mask_a / mask_b left out, and `relax`'s own identity left out (its
        splits over their bound only in a column of `over`)."""
        dom = dict(self.ok)
        packs = dict(self.packs)
        if relax is not None:
            if any(not d for k, d in dom.items() if k != relax):
                return None
            extra = [c for c, o in self.bad(relax) if o in over]
            dom[relax] = dom[relax] + extra
            packs[relax] = packs[relax] + [_pack(c) for c in extra]
        if any(not d for d in dom.values()):
            return None
        meter = self.meter
        keep: dict[str, set[int]] = {}
        has_total = T3_TOTAL in dom
        t_ok = set(range(len(dom[T3_TOTAL]))) if has_total else set()
        use_b = bool(mask_b) and has_total and bool(self.cols_b)
        use_a = bool(mask_a) and has_total and bool(self.cols_a)
        mask_b = mask_b & self.mask_b
        mask_a = mask_a & self.mask_a

        b_state = None
        if use_b:  # Σ result rows = （七）总计, forward over the rows with a choice
            offset = 0
            open_rows: list[tuple[str, dict[int, list[int]]]] = []
            for key in self.result:
                groups = _group(packs[key], mask_b)
                meter.take(len(packs[key]))
                if len(groups) == 1:
                    offset += next(iter(groups))
                else:
                    open_rows.append((key, groups))
            targets: dict[int, list[int]] = {}
            for t, p in enumerate(packs[T3_TOTAL]):
                tp = p & mask_b
                if _leq(offset, tp):
                    targets.setdefault(tp - offset, []).append(t)
            if not targets:
                return None
            top = 0
            for j in self.cols_b:
                shift = _FIELD * j
                top |= max((tp >> shift) & _ONES for tp in targets) << shift
            layers = [{0}]
            for _, groups in open_rows:
                nxt = set()
                meter.take(len(layers[-1]) * len(groups))
                for s in layers[-1]:
                    for v in groups:
                        w = s + v
                        if _leq(w, top):
                            nxt.add(w)
                if not nxt:
                    return None
                layers.append(nxt)
            reached = layers[-1]
            t_ok &= {t for tp, ts in targets.items() if tp in reached for t in ts}
            b_state = (offset, open_rows, layers)

        a_state = None
        if use_a:  # 一 + 二 = （七）总计 + 四
            one, two = (_group(packs[k], mask_a) for k in T3_A_PLUS)
            four = _group(packs[T3_A_MINUS[0]], mask_a)
            meter.take(len(one) * len(two) + len(t_ok) * len(four))
            pairs: dict[int, list[tuple[int, int]]] = {}
            for p in one:
                for q in two:
                    pairs.setdefault(p + q, []).append((p, q))
            t_packs = {t: packs[T3_TOTAL][t] & mask_a for t in t_ok}
            t_ok = {t for t, tp in t_packs.items() if any(tp + f in pairs for f in four)}
            a_state = (one, two, four, pairs, t_packs)

        if use_a or use_b:
            if not t_ok:
                return None
            keep[T3_TOTAL] = t_ok

        if b_state is not None:
            offset, open_rows, layers = b_state
            goal = {(packs[T3_TOTAL][t] & mask_b) - offset for t in t_ok}
            for i in range(len(open_rows) - 1, -1, -1):
                key, groups = open_rows[i]
                before, used = set(), set()
                meter.take(len(layers[i]) * len(groups))
                for s in layers[i]:
                    for v in groups:
                        if s + v in goal:
                            before.add(s)
                            used.add(v)
                keep[key] = {x for v in used for x in groups[v]}
                goal = before

        if a_state is not None:
            one, two, four, pairs, t_packs = a_state
            used_f, sums = set(), set()
            for t in t_ok:
                tp = t_packs[t]
                for f in four:
                    if tp + f in pairs:
                        used_f.add(f)
                        sums.add(tp + f)
            keep[T3_A_PLUS[0]] = {x for s in sums for p, _ in pairs[s] for x in one[p]}
            keep[T3_A_PLUS[1]] = {x for s in sums for _, q in pairs[s] for x in two[q]}
            keep[T3_A_MINUS[0]] = {x for f in used_f for x in four[f]}

        return {
            key: [d[i] for i in sorted(keep[key])] if key in keep else d for key, d in dom.items()
        }

    def robust_by_systems(
        self, open_cells: dict[str, dict[int, int]], mode: str
    ) -> set[tuple[str, int]]:
        """robust() for tables with many rows with a choice: one leave-one-out system at a
        time, solved by solve()."""
        everything = self.mask_a | self.mask_b
        systems: list[tuple[int, int, str | None, tuple[int, ...]]] = []
        relax = self._relax(open_cells)
        for j in range(T3_WIDTH):
            column = _mask([j])
            if mode == "identity":
                systems.append((everything & ~column, everything, None, (-1,)))
                systems.append((everything, everything & ~column, None, (-1,)))
            else:
                systems.append((everything & ~column, everything & ~column, None, (-1,)))
                systems += [(everything & ~column, everything & ~column, k, (-1, j)) for k in relax]
        if mode == "identity":
            systems += [(everything, everything, k, (-1,)) for k in relax]
        watch = {k: dict(cells) for k, cells in open_cells.items() if cells}
        fragile: set[tuple[str, int]] = set()
        for mask_a, mask_b, key, over in systems:
            if not watch:
                break
            found = self.solve(mask_a, mask_b, key, over)
            if found is None:
                continue
            for k in list(watch):
                cells = watch[k]
                for j in [j for j, v in cells.items() if any(c[j] != v for c in found[k])]:
                    fragile.add((k, j))
                    del cells[j]
                if not cells:
                    del watch[k]
        return fragile


_T3_GROUPS = ((0, T3_WIDTH),)


def decode_table3(
    rows: Sequence[RowInput], fmt: str, *, budget: int = DEFAULT_BUDGET, _mode: str = "cell"
) -> Decoded:
    """Decode the rows of one 表三 jointly. Every row of the format gets 7 cells in the order
    of ``layout.TABLE3_COLUMNS``; rows not given are null (``absent``).

    ``_mode="identity"`` applies the weaker rule (one identity left out at a time) and exists
    only so that the benchmark can show what it would publish."""
    if fmt not in layout.TABLE3_ROWS:
        raise ValueError(f"unknown format {fmt!r}")
    order = [r.key for r in layout.TABLE3_ROWS[fmt]]
    parsed: dict[str, _Row] = {}
    for row in rows:
        if row.key not in order:
            raise ValueError(f"{row.key!r} is not a 表三 row of {fmt}")
        if row.key in parsed:
            raise ValueError(f"{row.key!r} given twice")
        parsed[row.key] = _row(tuple(row.tokens), row.certain_bounds, T3_WIDTH)
    meter = _Budget(budget)
    meter.spent += sum(r.n for r in parsed.values())  # the structural pass, counted only
    feasible: dict[str, list[Candidate]] | None = None
    unions: dict[tuple[str, int], set[int | None]] = {}
    fragile: set[tuple[str, int]] = set()
    exhausted = False
    try:
        table = _Table3(fmt, parsed, meter)
        found = table.full()
        if found is _TOO_BIG:
            found = table.solve(table.mask_a, table.mask_b)
        feasible = found  # type: ignore[assignment]
        if feasible is not None:
            open_cells: dict[str, dict[int, int]] = {}
            for key, cands in feasible.items():
                for j in parsed[key].choice:
                    unions[(key, j)] = vals = {c[j] for c in cands}
                    if len(vals) == 1:
                        open_cells.setdefault(key, {})[j] = next(iter(vals))  # type: ignore[assignment]
            for key in list(open_cells):
                if key in table.relaxable and not table.linked(key):
                    # its own identity is all that holds it: a misprint there frees the row
                    fragile |= {(key, j) for j in open_cells.pop(key)}
            if open_cells:
                more = table.robust(open_cells, _mode)
                if more is _TOO_BIG:
                    more = table.robust_by_systems(open_cells, _mode)
                fragile |= more  # type: ignore[arg-type]
    except _OutOfBudget:
        exhausted = True
    cells: dict[str, tuple[Cell, ...]] = {}
    absent = (_NULL["absent"],) * T3_WIDTH
    for key in order:
        r = parsed.get(key)
        if r is None:
            cells[key] = absent
        elif not r.choice:
            cells[key] = r.fixed_cells  # type: ignore[assignment]
        else:
            cells[key] = tuple(
                c
                if c is not None
                else _cell(
                    r, j, unions.get((key, j)), feasible is not None, exhausted, (key, j) in fragile
                )
                for j, c in enumerate(r.fixed_cells)
            )
    return Decoded(cells, feasible is not None and not exhausted, meter.spent, exhausted)


_NULL = {why: Cell(None, why=why) for why in REASONS}
_SMALL = 1000
_PRINTED = [Cell(v, PRINTED) for v in range(_SMALL)]
_DECODED = [Cell(v, DECODED) for v in range(_SMALL)]


def _cell(
    row: _Row, j: int, vals: set[int | None] | None, feasible: bool, exhausted: bool, fragile: bool
) -> Cell:
    if row.why is not None:
        return _NULL[row.why]
    values = row.values[j]
    if len(values) == 1:
        v = next(iter(values))
        if v is None:
            return _NULL["blank"]
        return _PRINTED[v] if v < _SMALL else Cell(v, PRINTED)
    if None in values:
        return _NULL["ambiguous"]  # blank in some splits, a number in others
    if exhausted:
        return _NULL["budget"]
    if not feasible:
        return _NULL["inconsistent"]
    if fragile:
        return _NULL["fragile"]
    if vals is not None and len(vals) == 1:
        v = next(iter(vals))
        if v is None:
            return _NULL["ambiguous"]
        return _DECODED[v] if v < _SMALL else Cell(v, DECODED)
    return _NULL["ambiguous"]


# ----------------------------------------------------------------------------------------
# 表四 and 表二


def decode_table4(
    tokens: Sequence[Token], certain_bounds: bool, *, budget: int = DEFAULT_BUDGET
) -> Decoded:
    """Decode 表四 printed as one row of 15 cells (行政复议, then the two 行政诉讼 groups; five
    cells each, the fifth the 总计 of the first four). ``cells`` maps each group key of
    ``layout.TABLE4_GROUPS`` to its five cells. A misprinted cell breaks only its own group's
    identity, so a cell is decoded when every split keeping all three identities, and every
    split keeping any two of them, gives it the same value."""
    width = T4_WIDTH
    five = len(layout.TABLE4_COLUMNS)
    groups = tuple((g * five, g * five + five) for g in range(len(layout.TABLE4_GROUPS)))
    row = _row(tuple(tokens), certain_bounds, width)
    meter = _Budget(budget)
    meter.spent += row.n
    unions: list[set[int | None]] = [set() for _ in range(width)]
    fragile: set[int] = set()
    feasible, exhausted = False, False
    try:
        if row.count:  # else the cells say why (not the arithmetic: consistent stays True)
            full = [c for c, _, _ in row.splits(groups, meter)]
            feasible = bool(full)
            for c in full:
                for j in range(width):
                    unions[j].add(c[j])
            open_cells = {
                j: next(iter(unions[j]))
                for j in range(width)
                if len(unions[j]) == 1 and not row.printed(j) and not row.unknown(j)
            }
            if feasible and open_cells and row.count > len(full) and row.count <= FEW_SPLITS:
                for c, _, _ in row.splits(groups, meter, group_slack=True):
                    for j in [j for j, v in open_cells.items() if c[j] != v]:
                        fragile.add(j)
                        del open_cells[j]
                    if not open_cells:
                        break
            elif feasible and open_cells and row.count > len(full):
                for g in range(len(groups)):  # one misprint breaks one group's identity
                    found = row.free_group_values(groups, g, meter)
                    for j in [j for j, v in open_cells.items() if found[j] - {v}]:
                        fragile.add(j)
                        del open_cells[j]
                    if not open_cells:
                        break
    except _OutOfBudget:
        exhausted = True
    flat = [
        _cell(row, j, unions[j] if feasible else None, feasible, exhausted, j in fragile)
        for j in range(width)
    ]
    cells = {
        g.key: tuple(flat[i * five : i * five + five]) for i, g in enumerate(layout.TABLE4_GROUPS)
    }
    consistent = (feasible or not row.count) and not exhausted
    return Decoded(cells, consistent, meter.spent, exhausted)


def decode_table2_row(
    tokens: Sequence[Token], width: int, *, certain_bounds: bool = True
) -> tuple[Cell, ...]:
    """A 表二 row has no identity: a cell is read only where every split of the printed digits
    gives it the same value (``000`` into three cells), else null (``693665`` into three)."""
    row = _row(tuple(tokens), certain_bounds, width)
    return tuple(_cell(row, j, None, True, False, False) for j in range(width))
