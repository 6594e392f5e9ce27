"""Properties that hold for any input: parsing never crashes, and never invents a number.

Every number in a record must appear in its source text (after NFKC and without thousands
separators); hypothesis mutates the real seed reports to look for a counterexample.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.model import NotAReport
from gongkai.numbers import normalize
from gongkai.parse import parse_file

SEEDS = sorted((Path(__file__).parent / "fixtures" / "reports").glob("*.txt"))
SEED_TEXT = [p.read_text(encoding="utf-8") for p in SEEDS]


def numbers_of(record) -> list[tuple[str, float]]:
    out = []
    for name in ("table2", "table3", "table4"):
        for row, cells in getattr(record, name).items():
            for col, value in cells.items():
                if isinstance(value, int | float) and not isinstance(value, bool):
                    out.append((f"{name}.{row}.{col}", value))
    return out


def printed(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(abs(value))


def assert_numbers_in_source(record, text: str) -> None:
    source = normalize(text).replace(",", "")
    for cell, value in numbers_of(record):
        assert printed(value) in source, f"{cell}={value} does not appear in the source"


def test_every_number_of_the_seeds_appears_in_their_text():
    for path, text in zip(SEEDS, SEED_TEXT, strict=True):
        assert_numbers_in_source(parse_file(path), text)


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(SEED_TEXT))
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "digit", "join", "blank"]))
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "digit":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from("0123456789")) + lines[i][pos:]
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
        elif op == "blank":
            lines[i] = lines[i].replace("0", "", 1)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines), encoding


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_mutated_seeds_never_crash_nor_invent_numbers(tmp_path, case):
    text, encoding = case
    path = tmp_path / "mutated.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        record = parse_file(path)
    except NotAReport:
        return
    assert_numbers_in_source(record, text)
    assert record.to_json()["record_version"] == 1
