"""Check: what a report's numbers say about themselves (:mod:`~gongkai.check.arithmetic`) and
across one agency's years (:mod:`~gongkai.check.series`). Nothing here changes a value: a
check compares printed numbers and yields :class:`~gongkai.model.Problem` s."""

from dataclasses import replace

from gongkai.check.arithmetic import check_record
from gongkai.check.narrative import check_narrative
from gongkai.check.series import agency_key, check_series, series_problems
from gongkai.model import Record

__all__ = [
    "agency_key",
    "check_narrative",
    "check_record",
    "check_series",
    "checked",
    "series_problems",
]


def checked(record: Record) -> Record:
    """The record with the problems of its own arithmetic, and of its text against its
    tables, added to those met while reading."""
    return replace(
        record, problems=(*record.problems, *check_record(record), *check_narrative(record))
    )
