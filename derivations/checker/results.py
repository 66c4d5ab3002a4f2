"""What a check returns: the verdict, how the answer was read, a counterexample, the text.

:class:`CheckResult` is what :func:`derivations.checker.check` returns; :meth:`report` is the
text ``python -m derivations check`` prints and :meth:`to_json` its ``--json`` object. Every
character of a student's text that a terminal would obey is shown escaped
(:mod:`~derivations.checker.shown`), and the JSON is valid UTF-8.

Values in the JSON (a counterexample's parameters and both results): a number where the value
is rational and a float holds it (as before: the nearest float), ``null`` where an answer has
no value, a list of rows for a matrix, and an object where a number would not be honest:

- ``{"exact": "1e400", "approx": "1.0e+400"}`` — a rational beyond the float range (or with
  more than 300 digits), exactly, with a rounded reading;
- ``{"approx": "3.67879e-7", "enclosure": ["3.678…e-7", "3.678…e-7"], "digits": 18}`` — a
  value that is not rational: an interval that certainly contains it, and how many of its
  significant digits are certain.

>>> plain_value(Fraction(10) ** 400)
{'exact': '1e400', 'approx': '1.0e+400'}
>>> plain_value(Fraction(-3, 2)), plain_value(Mat.of([[1], [2]]))
(-1.5, [[1.0], [2.0]])
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from typing import Any

import mpmath

from derivations.checker.diagnosing import display, number_text, shown_region
from derivations.checker.evaluating import UNDEFINED, Approx, Mat
from derivations.checker.evaluating.enclosures import correct_digits
from derivations.checker.shown import json_text, shown

__all__ = [
    "CheckResult",
    "Counterexample",
    "Interpretation",
    "Verdict",
    "cannot_check",
    "format_value",
    "plain_value",
]


class Verdict(Enum):
    """The four outcomes of a check, with their exit status."""

    PROVED = "PROVED"
    NUMERICALLY_EQUAL = "NUMERICALLY EQUAL"
    REFUTED = "REFUTED"
    CANNOT_CHECK = "CANNOT CHECK"

    @property
    def exit_status(self) -> int:
        return {"PROVED": 0, "NUMERICALLY EQUAL": 0, "REFUTED": 1}.get(self.value, 2)


@dataclass(frozen=True)
class Interpretation:
    """How the answer was read: as SymPy text (``text``, for programs: it reads back), in
    the sheet's notation (``shown``, for people), as LaTeX, with notes on readings."""

    text: str
    latex: str
    notes: tuple[str, ...] = ()
    notation: str = "text"
    shown: str = ""

    @property
    def read_as(self) -> str:
        """The "read as" line: the sheet's notation (the SymPy text where none is set)."""
        return self.shown or self.text


def _entries(v: Any) -> list[Any]:
    return [x for r in v.rows for x in r] if isinstance(v, Mat) else [v]


def _certain_digits(*values: Any) -> int | None:
    """The fewest certain digits of the values that are not rational (None: all exact)."""
    ds = [correct_digits(x) for v in values for x in _entries(v) if isinstance(x, Approx)]
    return min(ds) if ds else None


@dataclass(frozen=True)
class Counterexample:
    """A point of the domain where the answers differ: the values and both results (exact,
    or certified enclosures whose difference excludes 0)."""

    values: dict[str, Any]
    yours: Any
    expected: Any
    region: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": {n: plain_value(v) for n, v in self.values.items()},
            "yours": plain_value(self.yours),
            "expected": plain_value(self.expected),
            "region": self.region,
            "text": self.text(),
        }

    def text(self) -> str:
        at = ", ".join(f"{display(n)} = {format_value(v)}" for n, v in self.values.items())
        where = f" (region {shown_region(self.region)})" if self.region else ""
        digits = _certain_digits(self.yours, self.expected)
        honest = "" if digits is None else \
            f" (values that are not rational, certified to {digits} significant digits; " \
            "their difference certainly ≠ 0)"
        return (
            f"at {at}{where}: your answer = {format_value(self.yours)}, "
            f"expected = {format_value(self.expected)}{honest}"
        )


@dataclass(frozen=True)
class CheckResult:
    """The outcome of :func:`derivations.checker.check`."""

    answer_id: str
    answer: str
    verdict: Verdict
    interpretation: Interpretation | None
    counterexample: Counterexample | None
    diagnosis: list[str] = field(default_factory=list)
    message: str = ""
    sample_points: int = 0  # the points compared (the score of a grade is another thing)
    #: where an unreadable answer could not be read, counted from 1 (the first character is
    #: 1, as the message says it); None for a read answer
    position: int | None = None
    #: The verdict in one short line (what was proved or found); ``message`` adds how many
    #: points of which kind were compared. Empty: ``message`` is short already.
    summary: str = ""

    @property
    def exit_status(self) -> int:
        return self.verdict.exit_status

    def to_dict(self) -> dict[str, Any]:
        interp = self.interpretation
        return {
            "id": self.answer_id,
            "answer": self.answer,
            "verdict": self.verdict.value,
            "interpretation": None
            if interp is None
            else {
                "text": interp.text,
                "latex": interp.latex,
                "notes": list(interp.notes),
                "notation": interp.notation,
                "shown": interp.read_as,
            },
            "counterexample": None
            if self.counterexample is None
            else self.counterexample.to_dict(),
            "diagnosis": list(self.diagnosis),
            "message": self.message,
            "sample_points": self.sample_points,
            "position": self.position,
            "summary": self.summary or self.message,
        }

    def to_json(self) -> str:
        """The result as a JSON object (verdict, interpretation, counterexample, diagnosis):
        valid UTF-8, every control character of the answer a JSON escape."""
        return json_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2))

    def report(self, verbose: bool = False) -> str:
        """The result as text for a terminal (every control character shown escaped): the
        short verdict line first; how it was checked (the points compared) with
        ``verbose``."""
        lines = [f"{self.verdict.value}: {self.summary or self.message}"]
        if verbose and self.summary:
            lines.append(f"  checked         {self.message}")
        if self.interpretation is not None:
            lines.append(f"  read as         {self.interpretation.read_as}")
            lines.append(f"  LaTeX           {self.interpretation.latex}")
            lines += [f"  note            {n}" for n in self.interpretation.notes]
        if self.counterexample is not None:
            lines.append(f"  counterexample  {self.counterexample.text()}")
        lines += [f"  diagnosis       {d}" for d in self.diagnosis]
        return _escaped("\n".join(lines))


def _escaped(text: str) -> str:
    """``text`` line by line through :func:`shown`; a caret line (spaces and ``^``) under a
    line stays under the same character."""
    lines = text.split("\n")
    out = [shown(line) for line in lines]
    for i in range(1, len(lines)):
        caret = lines[i]
        if caret.strip() == "^" and out[i - 1] != lines[i - 1]:
            column = caret.index("^")
            out[i] = " " * len(shown(lines[i - 1][:column])) + "^"
    return "\n".join(out)


def cannot_check(answer_id: str, answer: str, message: str, interp=None) -> CheckResult:
    """The CANNOT CHECK result of ``answer`` for ``answer_id``, saying why (``message``)."""
    return CheckResult(answer_id, answer, Verdict.CANNOT_CHECK, interp, None, [], message)


# -- values ------------------------------------------------------------------------------------
#: Most digits of an exact rational written as a JSON number's text.
EXACT_DIGITS = 300


def _exact_text(x: Fraction) -> str:
    """``1e400`` for a power of ten, else ``p/q`` (or ``p``)."""
    p, q = x.numerator, x.denominator
    if q == 1:
        digits = str(abs(p))
        stripped = digits.rstrip("0")
        zeros = len(digits) - len(stripped)
        if zeros > 5:
            return f"{'-' if p < 0 else ''}{stripped}e{zeros}"
        return str(p)
    return f"{p}/{q}"


def plain_value(v: Any) -> Any:
    """A JSON-ready value (see the module docstring)."""
    if isinstance(v, Mat):
        return [[plain_value(x) for x in row] for row in v.rows]
    if isinstance(v, bool):
        return v
    if v is UNDEFINED or v is None:
        return None
    if isinstance(v, Approx):
        e = v.enclosure()
        lo, hi = (mpmath.mp.make_mpf(t) for t in e._mpi_)
        mid = mpmath.mp.make_mpf(e.mid._mpi_[0])
        return {"approx": mpmath.nstr(mid, 6), "enclosure": [mpmath.nstr(lo, 20),
                                                             mpmath.nstr(hi, 20)],
                "digits": correct_digits(v)}
    if isinstance(v, int) and abs(v) < 2**53:
        return v
    if isinstance(v, Fraction | int):
        x = Fraction(v)
        try:
            f = float(x)
        except OverflowError:
            f = math.inf
        if math.isfinite(f) and len(str(abs(x.numerator))) + len(str(x.denominator)) \
                <= EXACT_DIGITS:
            return f
        return {"exact": _exact_text(x),
                "approx": mpmath.nstr(mpmath.mpf(x.numerator) / x.denominator, 6)}
    return str(v)


def format_value(v: Any) -> str:
    """``(1, -1/2)ᵀ`` for a d×1 vector, ``[[1, 0], [0, 1]]`` for a matrix, ``2`` for a number.

    >>> format_value(Mat.of([[1], ["-1/2"]])), format_value(Fraction(3)), format_value(Mat.of(
    ...     [[1, 0], [0, 1]]))
    ('(1, -1/2)ᵀ', '3', '[[1, 0], [0, 1]]')
    """
    if isinstance(v, Mat):
        rows, cols = v.shape
        if cols == 1 and rows > 1:
            return "(" + ", ".join(number_text(r[0]) for r in v.rows) + ")ᵀ"
        if rows == 1 and cols > 1:
            return "(" + ", ".join(number_text(x) for x in v.rows[0]) + ")"
        if (rows, cols) == (1, 1):
            return f"[{number_text(v.rows[0][0])}]"
        return "[" + ", ".join("[" + ", ".join(number_text(x) for x in r) + "]"
                               for r in v.rows) + "]"
    return number_text(v)
