"""What the answer tables share: a row (an answer as typed, for an id), its test id, and
what each kind of outcome demands of a check's result.

* ``right``: PROVED or NUMERICALLY EQUAL, exit 0;
* ``wrong``: REFUTED, exit 1, with a counterexample;
* ``unreadable``: CANNOT CHECK, exit 2, with a message.
"""

from __future__ import annotations

from typing import NamedTuple

from derivations.checker import CheckResult, Verdict

RIGHT_VERDICTS = {Verdict.PROVED, Verdict.NUMERICALLY_EQUAL}


class Row(NamedTuple):
    answer_id: str
    answer: str
    latex: bool | None = None  # None: LaTeX if the answer holds a backslash


def r(answer_id: str, answer: str, latex: bool | None = None) -> Row:
    return Row(answer_id, answer, latex)


def ids(kind: str, rows: list[Row]) -> list[str]:
    """Test ids that name the kind, the row's place in its table and the answer id."""
    return [f"{kind}-{i:03d}-{row.answer_id}" for i, row in enumerate(rows)]


def describe(row: Row, res: CheckResult) -> str:
    return (f"\nid={row.answer_id} answer={row.answer[:300]!r} latex={row.latex}"
            f"\nverdict={res.verdict} exit={res.exit_status}"
            f"\nmessage={res.message!r}\ndiagnosis={res.diagnosis!r}"
            f"\ncounterexample={res.counterexample!r}")


def assert_outcome(kind: str, row: Row, res: CheckResult) -> None:
    """``res`` is what a check of ``row`` must give for an answer of this kind."""
    if kind == "right":
        assert res.verdict in RIGHT_VERDICTS, describe(row, res)
        assert res.exit_status == 0, describe(row, res)
    elif kind == "wrong":
        assert res.verdict is Verdict.REFUTED, describe(row, res)
        assert res.exit_status == 1, describe(row, res)
        assert res.counterexample is not None, describe(row, res)
    elif kind == "unreadable":
        assert res.verdict is Verdict.CANNOT_CHECK, describe(row, res)
        assert res.exit_status == 2, describe(row, res)
        assert isinstance(res.message, str) and res.message.strip(), describe(row, res)
    else:
        raise ValueError(f"unknown kind of outcome: {kind!r}")
