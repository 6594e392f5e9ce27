"""Build: ``reports/`` → ``content/`` (the generated pages), incrementally.

:mod:`~gongkai.build.inputs` finds the input files and parses them (cached by content);
:mod:`~gongkai.build.outputs` knows what the last build wrote;
:mod:`~gongkai.build.pipeline` runs the whole thing. MkDocs is not imported here: the
MkDocs plugin (:mod:`gongkai.plugin`) and the CLI call :func:`run`.
"""

from gongkai.build.pipeline import GENERATED_DIRS, GENERATED_FILES, Summary, run

__all__ = ["GENERATED_DIRS", "GENERATED_FILES", "Summary", "run"]
