"""Properties that hold for any input: parsing never crashes, and never invents a number.

Every number in a record must appear in its source text (after NFKC and without thousands
separators); hypothesis mutates the real seed reports to look for a counterexample.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.model import NotAReport
from gongkai.parse.numbers import normalize
from gongkai.report import read_report

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
        assert_numbers_in_source(read_report(path), text)


# Characters GBK cannot encode (re-encoding replaces them), markup and template syntax.
UNENCODABLE = "𠀀𪚥😀\u202e\u200b\ufeff"
MARKUP = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "{{ config }}",
    '--8<-- "/etc/passwd"',
]
OPS = [
    "delete", "duplicate", "swap", "digit", "join", "blank",
    "cell_digit", "cell_sign", "unencodable", "markup", "fullwidth",
]  # fmt: skip


@st.composite
def mutated(draw):
    """A seed with lines deleted, duplicated, swapped, joined; digits inserted anywhere and
    inside table rows; characters GBK cannot hold; markup; then re-encoded."""
    text = draw(st.sampled_from(SEED_TEXT))
    lines = text.split("\n")
    rows = [n for n, line in enumerate(lines) if "\t" in line]
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(OPS))
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if op in ("cell_digit", "cell_sign") and rows:
            i = draw(st.sampled_from(rows)) % len(lines)
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "digit":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from("0123456789")) + lines[i][pos:]
        elif op in ("cell_digit", "cell_sign"):
            # inside a table row: into a cell, at its start or its end, or as a new cell
            cells = lines[i].split("\t")
            k = draw(st.integers(0, len(cells) - 1))
            extra = (
                draw(st.sampled_from("0123456789"))
                if op == "cell_digit"
                else draw(st.sampled_from(["-", "−", "+", ",", ".", "1,0", "件", "万元", "元"]))
            )
            where = draw(st.sampled_from(["start", "end", "middle", "new"]))
            cell = cells[k]
            if where == "start":
                cells[k] = extra + cell
            elif where == "end":
                cells[k] = cell + extra
            elif where == "middle":
                pos = draw(st.integers(0, len(cell)))
                cells[k] = cell[:pos] + extra + cell[pos:]
            else:
                cells.insert(k, extra)
            lines[i] = "\t".join(cells)
        elif op == "unencodable":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from(UNENCODABLE)) + lines[i][pos:]
        elif op == "markup":
            lines.insert(i, draw(st.sampled_from(MARKUP)))
        elif op == "fullwidth":
            lines[i] = lines[i].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
        elif op == "blank":
            lines[i] = lines[i].replace("0", "", 1)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"]))
    errors = (
        draw(st.sampled_from(["replace", "xmlcharrefreplace"])) if encoding == "gbk" else "strict"
    )
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if newline == "mixed":
        ends = draw(
            st.lists(
                st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines), max_size=len(lines)
            )
        )
        joined = "".join(line + end for line, end in zip(lines, ends, strict=True))
    else:
        joined = newline.join(lines)
    return joined.encode(encoding, errors=errors), encoding


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutated())
def test_mutated_seeds_never_crash_nor_invent_numbers(tmp_path, case):
    data, encoding = case
    path = tmp_path / "mutated.txt"
    path.write_bytes(data)
    try:
        record = read_report(path)
    except NotAReport:
        return
    # The numbers must appear in what was written (GBK may have replaced some characters).
    assert_numbers_in_source(record, data.decode(encoding, errors="replace"))
    assert record.to_json()["record_version"] == 1
    json.dumps(record.to_json(), allow_nan=False)  # no inf/nan ever reaches the dataset
