"""A part of the exercise sheet: statement, checked derivations, and the answers it boxes."""

from __future__ import annotations

from dataclasses import dataclass

from derivations.steps import Derivation, StepCheck, check


@dataclass(frozen=True)
class Part:
    """One exercise part as the document shows it.

    ``statement`` and ``conclusion`` are LaTeX text; ``answers`` are ``(answer id, LaTeX
    left-hand side)`` pairs, boxed at the end with the expression from
    :func:`derivations.answers.answers`.
    """

    id: str
    title: str
    statement: str
    derivations: tuple[Derivation, ...]
    answers: tuple[tuple[str, str], ...] = ()
    conclusion: str = ""

    def check(self) -> list[StepCheck]:
        """Every step of every derivation of this part, checked."""
        return [r for dv in self.derivations for r in check(dv)]
