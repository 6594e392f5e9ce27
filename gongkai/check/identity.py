"""Check stage: which reports are one agency, across years and spellings.

An agency's identity is the one division its leading place names end at (its national
division code, :func:`gongkai.parse.region.place`) with the rest of its name, so the region
prefix is optional: ``洪泽区人民政府`` (2023) and ``淮安市洪泽区人民政府`` (2024) are both
``320813:洪泽区人民政府``. A name whose place is not certain (``朝阳区…``, a misprinted place,
a central agency) is its own identity: the name, NFKC, without whitespace.

Renames and misprints the code cannot know (``灋河`` for ``瀍河``, ``沐阳`` for ``沭阳``) come
from the maintainer's aliases file (``aliases.yml`` beside ``mkdocs.yml``): each entry
replaces a piece of a printed name by the spelling to use before the identity is taken. The
pages still show the name each report printed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from gongkai.parse import region
from gongkai.parse.region import Division

ALIASES_FILE = "aliases.yml"
_SPACE = re.compile(r"\s+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")


def normalised(name: str | None) -> str:
    """A name as the identity sees it: NFKC, control and format characters and whitespace
    removed (``盐池县 科学技术局`` and ``盐池县科学技术局`` are one name)."""
    if not name:
        return ""
    return _SPACE.sub("", _CONTROL.sub("", unicodedata.normalize("NFKC", name)))


@dataclass(frozen=True)
class Aliases:
    """Pieces of printed names and the spelling that replaces them, longest first."""

    pairs: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()  # what was wrong with the file, in plain Chinese

    def apply(self, name: str) -> str:
        """``name`` with every piece replaced, in one pass (a replacement is not replaced
        again, so the order of the file does not matter)."""
        if not self.pairs or not name:
            return name
        return _pattern(self.pairs).sub(lambda m: dict(self.pairs)[m.group(0)], name)


NO_ALIASES = Aliases()


@lru_cache(maxsize=16)
def _pattern(pairs: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(old) for old, _ in pairs))


def parse_aliases(text: str) -> Aliases:
    """The aliases file: a YAML mapping, printed spelling → spelling to use. An entry that is
    not a pair of names is left out and named in ``notes`` (the build report shows them)."""
    notes: list[str] = []
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as err:
        return Aliases((), (f"别名文件不是有效的 YAML，未使用：{str(err)[:200]}",))
    if data is None:
        return NO_ALIASES
    if not isinstance(data, dict):
        return Aliases((), ("别名文件应为“报告所印写法: 本站采用的写法”的列表，未使用。",))
    pairs: dict[str, str] = {}
    for old, new in data.items():
        a = normalised(old) if isinstance(old, str) else ""
        b = normalised(new) if isinstance(new, str) else ""
        if not a or not b:
            notes.append(f"别名“{old}: {new}”不是一对名称，未使用。")
        elif a != b:
            pairs[a] = b
    ordered = tuple(sorted(pairs.items(), key=lambda p: (-len(p[0]), p[0])))
    return Aliases(ordered, tuple(notes))


@dataclass(frozen=True)
class Identity:
    key: str  # "320813:洪泽区人民政府", or the normalised name when its place is not certain
    short: str  # the name without the region above its own place: 洪泽区人民政府
    division: Division | None = None  # the place the name ends at, when certain
    rest: str | None = None  # the name after its place: 人民政府 (the agency type)
    aliased: bool = False  # the aliases file changed the name


@lru_cache(maxsize=65536)
def identity(name: str | None, aliases: Aliases = NO_ALIASES) -> Identity:
    """The identity of the agency a report names (see the module's text)."""
    printed = normalised(name)
    text = aliases.apply(printed)
    if not text:
        return Identity("", "")
    division, rest = region.place(text)
    if division is None or rest is None:
        return Identity(text, text, aliased=text != printed)
    short = division.name + rest
    return Identity(f"{division.code}:{short}", short, division, rest, text != printed)
