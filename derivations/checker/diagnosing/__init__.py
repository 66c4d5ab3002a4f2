"""Why a refuted answer is wrong: the common mistakes, recognised from numbers.

Every rule compares the values of your answer at the sampled points with the values of a
*mutated* expected answer — the expected answer scaled, with one additive term dropped or
negated, with ``Σ`` replaced by ``Σ⁻¹``, with ``A`` and ``Aᵀ`` exchanged, or another id's
answer — and reports the mutation that matches at every point. Mutating values instead of
formulas keeps the rules short: ``A ↔ Aᵀ`` is the expected answer evaluated at ``Aᵀ``.

The rules, in the order they are reported (:data:`RULES`):

* shape: a scalar where a ``d×1`` vector is expected, a transposed result, ``d×1`` vs ``k×1``;
* undefined: your answer has no value at some admissible point;
* constant factor (named: "your answer is 2× the expected one"), wrong sign (−1×), or a
  factor of one symbol's power ("λ²×");
* ``Σ⁻¹`` in place of ``Σ``; transposed or swapped factors (``AᵀA`` vs ``AAᵀ``);
* a missing additive term (``+ c``), a term of the wrong sign, an extra term;
* right only on part of the domain (``right except where λ > 5``), or only on a set of measure
  zero (``right only on the tie a1 = a2``);
* the expected answer of another id; symbols the expected answer does not use.

Five modules: :mod:`~.rules` — the rule table and :func:`diagnose`; :mod:`~.regions` — the
sentences of an answer right on part of the domain only (:data:`PARTIAL`), or only on a set of
measure zero; :mod:`~.cells` — a union of ordering regions named in words that read one way;
:mod:`~.evidence` — what the rules look at (:class:`Evidence`) and how they compare values;
:mod:`~.text` — how a diagnosis writes names and numbers (formulas: the one printer,
:func:`derivations.checker.notation.sheet_text`).
"""

from derivations.checker.diagnosing.evidence import Evidence
from derivations.checker.diagnosing.regions import PARTIAL
from derivations.checker.diagnosing.rules import RULES, diagnose
from derivations.checker.diagnosing.text import display, number_text, pretty, shown_region

__all__ = [
    "PARTIAL",
    "RULES",
    "Evidence",
    "diagnose",
    "display",
    "number_text",
    "pretty",
    "shown_region",
]
