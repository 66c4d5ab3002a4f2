"""What a student reads about one answer, in the feedback (Markdown) and on Gradescope (text).

First a short verdict line (``1a: wrong, 0 of 1 points: your answer is 2× the expected
one``); then the answer as typed, the answer as the checker read it (typeset in Markdown as
``$…$`` from the checker's LaTeX, the plain "read as" text elsewhere), every reading note,
the diagnosis, the counterexample and the TA's decision. How the answer was compared (the
checker's message: how many points of which kind) only with ``verbose`` — it is always in
``grades.jsonl``. Every text a student typed, or that quotes it, is escaped
(:mod:`~.text`).

>>> from derivations.checker.grading.graded import Graded
>>> from derivations.checker.grading.submissions import Submission
>>> g = Graded(Submission(2, "ada", "1a", "w/2λ"), {"verdict": "REFUTED",
...     "interpretation": {"text": "lambda*w/2", "latex": "\\\\frac{\\\\lambda w}{2}",
...                        "notes": ["`/` divides by the next factor only"]},
...     "diagnosis": ["your answer is λ²× the expected one"], "message": "differs at 35 of 35",
...     "counterexample": None}, "checked", 0.0, 1.0)
>>> print(verdict_line(g))
wrong, 0 of 1 points: your answer is λ²× the expected one
>>> print("\\n".join(markdown_lines(g)))
- your answer: `w/2λ`
- read as: $\\frac{\\lambda w}{2}$
- note: `/` divides by the next factor only
- diagnosis: your answer is λ²× the expected one
>>> print("\\n".join(text_lines(g, verbose=True)))
your answer: w/2λ
read as: lambda*w/2
note: `/` divides by the next factor only
diagnosis: your answer is λ²× the expected one
how it was checked: differs at 35 of 35
"""

from __future__ import annotations

from derivations import answers as sheet
from derivations.checker.grading.graded import Graded
from derivations.checker.grading.text import (
    code,
    math,
    one_line,
    points_text,
    points_word,
    shown,
)

#: How a student reads each kind of outcome (:attr:`~.grades.Graded.kind`).
WORDS = {"right": "right", "partly right": "partly right", "wrong": "wrong",
         "unreadable": "could not be checked"}


def _reason(g: Graded) -> str:
    """The first thing to say about a wrong or unreadable answer: the first line of the
    message of an unreadable one, the first diagnosis of a wrong one."""
    if g.exit_status == 2:
        lines = (g.result.get("message") or "").strip().splitlines()
        return lines[0] if lines else ""
    diagnosis = g.result.get("diagnosis") or []
    return str(diagnosis[0]) if diagnosis else ""


def verdict_line(g: Graded) -> str:
    """One line: right / partly right / wrong / could not be checked, the points, and the
    first thing to say about it (the rest follows in :func:`markdown_lines`)."""
    word = WORDS[g.kind]
    points = f"{points_text(g.score)} of {points_text(g.max_score)} points"
    if g.override is not None:
        line = f"a TA's decision, {points} (the checker: {word})"
    elif g.max_score > 0:
        line = f"{word}, {points}"
    elif g.submission.answer_id in sheet.QUESTIONS:
        line = f"{word} (this id does not count)"
    else:
        line = word
    reason = _reason(g) if g.exit_status else ""
    return one_line(f"{line}: {reason}" if reason else line)


def _override_text(g: Graded) -> list[str]:
    out = []
    if g.override is not None:
        o = g.override
        why = f": {o.comment}" if o.comment else ""
        out.append(f"TA's decision: {points_word(o.points)}{why}")
    if g.stale_override is not None:
        o = g.stale_override
        out.append(f"a TA's decision ({points_word(o.points)}) was made for an earlier "
                   f"answer of yours and is not applied to this one; ask your TA")
    return [one_line(t) for t in out]


def _details(g: Graded, verbose: bool) -> list[tuple[str, str]]:
    """(label, plain text) pairs after the answer: notes, diagnosis, counterexample, TA,
    and with ``verbose`` how the answer was compared."""
    pairs = [("note", n) for n in g.notes]
    if g.exit_status == 2:
        message = (g.result.get("message") or "").strip()
        if message:
            pairs.append(("why", message))
    else:
        pairs += [("diagnosis", str(d)) for d in g.result.get("diagnosis") or []]
    if g.counterexample:
        pairs.append(("counterexample", g.counterexample))
    pairs += [("", t) for t in _override_text(g)]
    if verbose and g.exit_status != 2 and g.result.get("message"):
        pairs.append(("how it was checked", str(g.result["message"])))
    return pairs


def markdown_lines(g: Graded, verbose: bool = False) -> list[str]:
    """The bullet lines of the feedback on ``g`` (after its verdict line)."""
    lines = [f"- your answer: {code(g.submission.answer)}"]
    if g.read_as_latex:
        lines.append(f"- read as: {math(g.read_as_latex)}")
    elif g.read_as:
        lines.append(f"- read as: {code(g.read_as)}")
    for label, text in _details(g, verbose):
        if label == "why" and "\n" in text:  # the checker's caret under the answer
            head, _, rest = text.partition("\n")
            lines.append(f"- why: {one_line(head)}")
            lines += ["", "```", block_text(rest), "```", ""]
        else:
            lines.append(f"- {label}: {one_line(text)}" if label else f"- {one_line(text)}")
    return lines


def block_text(text: str) -> str:
    """A preformatted block's text: escaped (line breaks kept), no fence inside.

    >>> print(block_text("  w\\x1b\\n  ^``` "))
      w\\x1b
      ^'''
    """
    return shown(text.rstrip(), keep="\n").replace("```", "'''")


def text_lines(g: Graded, verbose: bool = False) -> list[str]:
    """The lines of Gradescope's output on ``g`` (after its verdict line): plain text."""
    lines = [f"your answer: {one_line(g.submission.answer)}"]
    if g.read_as:
        lines.append(f"read as: {one_line(g.read_as)}")
    for label, text in _details(g, verbose):
        shown_text = block_text(text) if label == "why" else one_line(text)
        lines.append(f"{label}: {shown_text}" if label else shown_text)
    return lines


__all__ = ["WORDS", "markdown_lines", "text_lines", "verdict_line"]
