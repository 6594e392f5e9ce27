"""Reading one printed cell: numbers, null tokens, units, and runs of digits with no separator."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from gongkai.layout import NULL_TOKENS, NUMBER_PATTERN

_NUMBER = re.compile(f"^{NUMBER_PATTERN}$")  # on compact() text: see layout.NUMBER_PATTERN
_DIGIT_RUN = re.compile(r"^\d{2,}$")
# Long enough for a table row's worth of cells run together; longer strings are not split.
MAX_RUN = 40
# More significant digits than a float or a JavaScript number holds exactly (2**53 ≈ 9e15):
# such a cell is not a count anyone printed, and Python's int() refuses 4300+ digits anyway.
MAX_DIGITS = 15
# Candidate splits of run-together digits tried per table; a 37-digit run into 7 numbers has
# two million splits (hostile input), while a real glued row needs a few thousand at most.
MAX_SPLITS = 100_000
# Candidates examined by splits() in this process so far, every table and file together (never
# reset; a worker process has its own). The hostile-input tests bound this work count instead
# of timing the parse (tests/test_hostile_parse.py).
splits_tried = 0


@dataclass(frozen=True)
class Value:
    """What one cell says: a number, an explicit blank, or text that is not a number."""

    number: int | float | None
    unit: str | None = None
    blank: bool = False  # empty or a null token: the report gives no value
    raw: str = ""

    @property
    def readable(self) -> bool:
        return self.number is not None or self.blank


BLANK = Value(None, blank=True)


# Invisible format characters: zero-width spaces and joiners, bidi embeddings and overrides
# (U+202E turns "局术技学科" around on screen), BOMs, soft hyphens. Never part of a label, a
# number or an agency's name; a hostile name uses them to look like another agency.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
        0xAD,
    ]
)


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """NFKC (full-width digits and brackets to half-width), unified minus signs and quotes,
    invisible format characters removed."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return (
        text.replace("\u2212", "-")
        .replace("\u2013", "-")
        .replace("\u00a0", " ")
        .replace("\u3000", " ")
        .replace('"', "“")
    )


@lru_cache(maxsize=1 << 16)
def compact(text: str) -> str:
    """A label for matching: normalized, without any whitespace."""
    return "".join(normalize(text).split())


def is_null_token(token: str) -> bool:
    return compact(token) in NULL_TOKENS or token.strip() in NULL_TOKENS


@lru_cache(maxsize=1 << 16)
def read_value(token: str) -> Value:
    """Read one cell as printed. Never guesses: anything unusual is not a number."""
    raw = token
    token = compact(token)
    if token in NULL_TOKENS:
        return Value(None, blank=True, raw=raw)
    match = _NUMBER.match(token)
    if not match or _odd_digits(raw):
        return Value(None, raw=raw)
    digits = match["int"].replace(",", "")
    sign = match["sign"] or ""
    if sign == "±" or too_many_digits(token):
        return Value(None, raw=raw)
    if match["frac"]:
        number: int | float = float(sign + digits + match["frac"])
    else:
        number = int(sign + digits)
    return Value(number, unit=match["unit"], raw=raw)


@lru_cache(maxsize=1 << 16)
def is_value_token(token: str) -> bool:
    """True for a cell that holds a number or an explicit null token (not for empty cells)."""
    if not token.strip():
        return False
    value = read_value(token)
    return (
        value.number is not None
        or (value.blank and compact(token) != "")
        or too_many_digits(token)  # a value cell, though not a readable one
        or (_odd_digits(token) and bool(_NUMBER.match(compact(token))))  # ③, ²: likewise
    )


@lru_cache(maxsize=1 << 12)
def _odd_digits(token: str) -> bool:
    """The cell prints a digit that is not a plain decimal digit: a circled ③, a superscript
    ², a ⑩. NFKC turns them into 3, 2 and 10, but a report that prints ③ in a count cell
    numbers a footnote or a list item: it is not read as a count."""
    return any(
        ch.isnumeric() and not ch.isdecimal() and unicodedata.normalize("NFKC", ch) != ch
        for ch in token
    )


def is_whole(value: Value) -> bool:
    """A count as printed: a whole number (``1.5`` and ``0.0000001`` are not; ``1.500`` may
    be 1.5 or, with a European thousands point, 1500: neither is certain)."""
    return value.number is None or isinstance(value.number, int)


def too_many_digits(token: str) -> bool:
    """A number with more digits than can be published exactly (see MAX_DIGITS)."""
    token = compact(token)
    return sum(ch.isdigit() for ch in token) > MAX_DIGITS and bool(_NUMBER.match(token))


def is_digit_run(token: str) -> bool:
    return bool(_DIGIT_RUN.match(compact(token))) and len(compact(token)) <= MAX_RUN


class TooManySplits(Exception):
    """The run has more candidate splits than MAX_SPLITS: it is not read."""


def splits(run: str, parts: int, budget: list[int] | None = None) -> Iterator[tuple[int, ...]]:
    """Every way to cut a run of digits into `parts` numbers written without leading zeros.

    `budget` (a one-item list, shared across calls) counts the candidates tried; when it
    runs out, TooManySplits is raised. Every candidate examined adds one to `splits_tried`.
    """
    global splits_tried
    n = len(run)
    if parts <= 0 or parts > n:
        return
    for cuts in combinations(range(1, n), parts - 1):
        if budget is not None:
            budget[0] -= 1
            if budget[0] < 0:
                raise TooManySplits
        splits_tried += 1
        bounds = (0, *cuts, n)
        pieces = [run[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if all(p == "0" or p[0] != "0" for p in pieces):
            yield tuple(int(p) for p in pieces)


def decode_runs(
    tokens: Sequence[str],
    parts: int,
    consistent: Callable[[tuple[int, ...]], bool] | None,
    budget: list[int] | None = None,
) -> tuple[int, ...] | None:
    """Split digit runs so that `tokens` give exactly `parts` numbers.

    Returns the split only when exactly one split is possible among those the table's own
    arithmetic accepts (`consistent`); otherwise None. Tokens that are not digit runs are
    taken as single numbers. When the candidates tried exceed `budget` (a one-item list,
    shared by the rows of a table; MAX_SPLITS by default): None, never a guess.
    """
    singles: list[list[tuple[int, ...]]] = []
    for token in tokens:
        value = read_value(token)
        if is_digit_run(token):
            singles.append([])  # filled below per chosen width
        elif value.number is not None and isinstance(value.number, int):
            singles.append([(value.number,)])
        else:
            return None
    found: list[tuple[int, ...]] = []
    runs = [compact(t) if is_digit_run(t) else None for t in tokens]
    if budget is None:
        budget = [MAX_SPLITS]

    def walk(i: int, left: int, acc: tuple[int, ...]) -> None:
        if len(found) > 1:
            return
        if i == len(tokens):
            if left == 0 and (consistent is None or consistent(acc)):
                found.append(acc)
            return
        run = runs[i]
        if run is None:
            walk(i + 1, left - 1, acc + singles[i][0])
            return
        remaining_tokens = len(tokens) - i - 1
        # The last token takes exactly the numbers still missing.
        first = left if remaining_tokens == 0 else 1
        for width in range(first, min(len(run), left - remaining_tokens) + 1):
            for piece in splits(run, width, budget):
                walk(i + 1, left - width, acc + piece)
                if len(found) > 1:
                    return

    try:
        walk(0, parts, ())
    except TooManySplits:
        return None
    return found[0] if len(found) == 1 else None
