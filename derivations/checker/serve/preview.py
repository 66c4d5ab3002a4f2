r"""How an answer is read, before any check: the fast half of the page's live preview.

:func:`preview` runs the checker's reader (:func:`~derivations.checker.reading.parse_answer`,
the same as ``check``) and nothing more — no proof, no comparison — and returns what the
page shows as the student types: the reading as text (``read_as``, SymPy's notation, as
``check`` prints it under "read as"), as LaTeX, as MathML (:mod:`.mathml`), and the
reader's notes. An answer that cannot be read gives ``{"error": …, "position": …}``, the
reader's message and the place in the text counted from 1 (the first character is 1), as
``check``'s message and its JSON ``position`` count it.

What the core could expose instead of this module: a public
``derivations.checker.verdict.interpretation(parsed)`` (today the private
``_interpretation``), so that the preview's ``read_as`` and ``latex`` are computed by the
very function that fills ``check``'s "read as".

>>> p = preview("w/(2 lambda)")
>>> p["read_as"], p["latex"], p["notes"]
('(1/(2*lambda))*w', '\\frac{1}{2 \\lambda} w', [])
>>> preview("AA^T w")["notes"]
['read `AA^T` as A·Aᵀ']
>>> failed = preview("w/(2 lambda")
>>> failed["error"], failed["position"]
('expected `)` to close the `(` opened at position 3, found the end of the input', 12)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from derivations.checker.reading import AnswerSyntaxError, parse_answer
from derivations.checker.serve.mathml import to_mathml
from derivations.printing import latex as sheet_latex


def preview(answer: str, latex: bool | None = None) -> dict[str, Any]:
    """How ``answer`` is read: ``{"read_as", "latex", "mathml", "notes", "notation"}``, or
    ``{"error", "position"}`` where it cannot be read (``latex`` as in ``check``)."""
    try:
        parsed = parse_answer(answer, latex)
    except AnswerSyntaxError as error:
        return {"error": error.message, "position": error.column}
    except (RecursionError, MemoryError, OverflowError, TypeError, ValueError) as error:
        return {"error": f"cannot read the answer ({type(error).__name__})", "position": None}
    return {
        "read_as": sp.sstr(parsed.expr),
        "latex": sheet_latex(parsed.expr),
        "mathml": to_mathml(parsed.expr),
        "notes": list(parsed.notes),
        "notation": "latex" if parsed.latex else "text",
    }


__all__ = ["preview"]
