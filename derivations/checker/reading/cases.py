"""Answers by cases, and the conditions that choose a case.

Three spellings of one thing, all read into SymPy's ``Piecewise``: LaTeX's ``cases``
environment (``a_1 & a_1 \\le a_2 \\\\ 0 & \\text{otherwise}``, a comma before ``&`` or
before the condition's words allowed, and a comma or period after a condition:
``a_1, & a_1 \\le a_2, \\\\ 0, & \\text{otherwise.}``),
``Piecewise((a1, a1 <= a2), (0, True))``, and the indicator ``𝟙[a_1 > a_2]``
(``\\mathbb{1}_{…}``, ``\\mathbf 1\\{…\\}``), 1 where its condition holds and 0
elsewhere. A condition is relations (``<``, ``\\le``, ``=``, ``\\ne``, chains
``0 < a1 < a2``, or ``Lt(a1, a2)``) joined by and/or (``&``, ``\\wedge``, ``|``, ``,`` in
cases, the words of :data:`AND_WORDS` and :data:`OR_WORDS`), negated by ``\\neg`` or
``Not(…)``; the words of :data:`IF_WORDS` before it are skipped, those of
:data:`OTHERWISE_WORDS` are "every other case".
"""

from __future__ import annotations

import sympy as sp

from derivations.checker.reading.reader import Reader, Value
from derivations.checker.reading.shapes import scalar_only
from derivations.checker.tokens import AnswerSyntaxError, Token

__all__ = [
    "AND_WORDS",
    "CASE_END_MARKS",
    "CONDITION_WORDS",
    "IF_WORDS",
    "NAMED_RELATIONS",
    "OR_WORDS",
    "OTHERWISE_WORDS",
    "RELATIONS",
]

#: Words that introduce a condition (``\\text{if } a_1 < a_2``; German ``falls``, ``wenn``,
#: ``für``).
IF_WORDS = {"if", "for", "when", "where", "falls", "wenn", "für", "fur", "sofern"}
#: Words that stand for "every other case".
OTHERWISE_WORDS = {"otherwise", "else", "sonst", "ansonsten", "True", "true"}
#: Words joining conditions.
AND_WORDS = {"and", "und"}
OR_WORDS = {"or", "oder"}

#: Words that only structure a condition.
CONDITION_WORDS = IF_WORDS | OTHERWISE_WORDS | AND_WORDS | OR_WORDS

RELATIONS = {"<": sp.Lt, ">": sp.Gt, "<=": sp.Le, ">=": sp.Ge, "=": sp.Eq, "!=": sp.Ne}

#: Relations and connectives written as SymPy calls: ``Eq(a1, a2)``, ``Or(...)``.
NAMED_RELATIONS = {
    "Eq": sp.Eq,
    "Ne": sp.Ne,
    "Lt": sp.Lt,
    "Gt": sp.Gt,
    "Le": sp.Le,
    "Ge": sp.Ge,
    "And": sp.And,
    "Or": sp.Or,
}


# -- the three spellings of cases -------------------------------------------------------------
def piecewise(r: Reader, pairs: list[tuple[Value, sp.Basic]]) -> sp.Basic:
    """``Piecewise`` of (value, condition) pairs; every value a scalar."""
    args = [(scalar_only(r, v, "a case of a piecewise answer"), c) for v, c in pairs]
    return sp.Piecewise(*args)


def read_cases(r: Reader) -> Value:
    """``\\begin{cases} value & condition \\\\ … \\end{cases}``."""
    start = r.advance()
    return _rows(r, start, "END_CASES", "the cases environment")


def read_brace_array(r: Reader) -> Value:
    """``\\left\\{ \\begin{array}{ll} value & condition \\\\ … \\end{array} \\right.``: cases
    written as an array after a left brace (the null ``\\right.`` is dropped by the
    tokenizer), from the brace."""
    brace = r.advance()
    if r.text[brace.pos : brace.end] not in ("\\{", "\\lbrace"):
        raise r.fail("an array is read only as cases: \\left\\{ \\begin{array}{ll} … "
                     "\\end{array} \\right.", brace.pos)
    r.advance()  # BEGIN_ARRAY
    value = _rows(r, brace, "END_ARRAY", "the array")
    r.note("read `\\left\\{ \\begin{array} … \\end{array}` as cases")
    return value


def _rows(r: Reader, start: Token, end: str, what: str) -> Value:
    """The rows ``value & condition \\\\ …`` up to ``end``."""
    pairs = []
    r.closers.append(end)
    while True:
        value = r.parse_sum()
        comma = r.is_op(",")
        if comma:  # `a_1, & a_1 \\le a_2` or `a_1, \\text{if } …`
            r.advance()
        if r.is_op("&"):
            r.advance()
        elif not comma:
            r.expect("&", f"between a value and its condition in {what}")
        cond = read_condition(r, in_cases=True)
        pairs.append((value, cond))
        if r.is_op(*CASE_END_MARKS) and ends_case(r, r.peek()):  # `a_1 \\le a_2, \\\\`
            r.advance()
        if r.is_op("\\\\"):
            r.advance()
            if r.is_op(end):
                break
            continue
        break
    r.closers.pop()
    r.expect(end, f"to end {what}")
    return Value(piecewise(r, pairs), start.pos, r.last_end())


#: Punctuation after a case's condition (``a_1 \\le a_2,``, ``\\text{otherwise.}``).
CASE_END_MARKS = (",", ".", ";")


def ends_case(r: Reader, t: Token) -> bool:
    """Whether ``t`` ends a case: ``\\\\``, ``\\end{cases}`` or ``\\end{array}``."""
    return r.is_op("\\\\", "END_CASES", "END_ARRAY", tok=t)


def read_piecewise_call(r: Reader, t: Token) -> Value:
    """``Piecewise((value, condition), …)``, from its ``(``."""
    r.advance()  # (
    r.closers.append(")")
    pairs = []
    while True:
        r.expect("(", "to open a (value, condition) pair of Piecewise")
        r.closers.append(")")
        value = r.parse_sum()
        r.expect(",", "between the value and the condition")
        cond = read_condition(r, in_cases=False)
        r.closers.pop()
        r.expect(")", "to close a (value, condition) pair")
        pairs.append((value, cond))
        if not r.is_op(","):
            break
        r.advance()
    r.closers.pop()
    r.expect(")", "to close Piecewise(")
    return Value(piecewise(r, pairs), t.pos, r.last_end())


def read_indicator(r: Reader) -> Value:
    """``𝟙[a1 > a2]``, ``\\mathbb{1}_{a_1 > a_2}``, ``\\mathbf 1\\{…\\}``: 1 where the
    condition holds, else 0."""
    t = r.advance()
    if r.is_op("_"):
        r.advance()
    if not r.is_op("(", "[", "{"):
        raise r.fail("write the indicator's condition in brackets, e.g. 𝟙[a_1 > a_2]")
    open_ = r.advance()
    close = {"(": ")", "[": "]", "{": "}"}[open_.text]
    r.closers.append(close)
    cond = read_condition(r, in_cases=False)
    r.closers.pop()
    r.expect(close, "to close the indicator's condition")
    return Value(sp.Piecewise((sp.Integer(1), cond), (sp.Integer(0), True)), t.pos,
                 r.last_end())


# -- conditions -------------------------------------------------------------------------------
def read_condition(r: Reader, in_cases: bool) -> sp.Basic:
    """A case's condition: relations joined by and/or (``&``, ``|``, ``\\wedge``, ``,``)."""
    while r.tok.kind == "name" and r.tok.text in IF_WORDS:
        r.advance()
    r.in_condition += 1
    try:
        return _disjunction(r, in_cases)
    finally:
        r.in_condition -= 1


def _disjunction(r: Reader, in_cases: bool) -> sp.Basic:
    parts = [_conjunction(r, in_cases)]
    while r.is_op("|", "OR") or r.word(*OR_WORDS):
        r.advance()
        parts.append(_conjunction(r, in_cases))
    return sp.Or(*parts)


def _conjunction(r: Reader, in_cases: bool) -> sp.Basic:
    parts = [_condition_atom(r, in_cases)]
    while r.is_op("&", "AND") or r.word(*AND_WORDS) or (
            in_cases and r.is_op(",") and not ends_case(r, r.peek())):
        r.advance()
        while r.word(*IF_WORDS, *AND_WORDS):
            r.advance()
        parts.append(_condition_atom(r, in_cases))
    return sp.And(*parts)


def _condition_atom(r: Reader, in_cases: bool) -> sp.Basic:
    t = r.tok
    if r.word(*OTHERWISE_WORDS):
        r.advance()
        return sp.true
    if r.word("False", "false"):
        r.advance()
        return sp.false
    if r.is_op("NOT") or (r.word("Not") and r.is_op("(", tok=r.peek())):
        r.advance()
        return sp.Not(_condition_atom(r, in_cases))
    if t.kind == "name" and t.text in NAMED_RELATIONS and r.is_op("(", tok=r.peek()):
        return _named_relation(r, t, in_cases)
    if r.is_op("("):  # a condition in parentheses, or a relation that starts with one
        saved = r.checkpoint()
        try:
            r.advance()
            r.closers.append(")")
            inner = _disjunction(r, in_cases)
            r.closers.pop()
            r.expect(")", "to close the condition")
            if not r.is_op("<", ">", "<=", ">=", "=", "!="):
                return inner
        except AnswerSyntaxError:
            pass
        r.restore(saved)
    return _relation(r)


def _named_relation(r: Reader, t: Token, in_cases: bool) -> sp.Basic:
    """``Eq(a, b)``, ``Lt(a, b)``, …, ``And(c, …)``, ``Or(c, …)``."""
    r.advance()
    r.advance()
    r.closers.append(")")
    if t.text in ("And", "Or"):
        parts = [_disjunction(r, in_cases)]
        while r.is_op(","):
            r.advance()
            parts.append(_disjunction(r, in_cases))
        result = (sp.And if t.text == "And" else sp.Or)(*parts)
    else:
        left = r.parse_sum()
        r.expect(",", f"between the two sides of {t.text}(")
        right = r.parse_sum()
        lhs = scalar_only(r, left, "a comparison")
        rhs = scalar_only(r, right, "a comparison")
        result = NAMED_RELATIONS[t.text](lhs, rhs)
    r.closers.pop()
    r.expect(")", f"to close {t.text}(")
    return result


def _relation(r: Reader) -> sp.Basic:
    """``a < b``, or a chain ``0 < a < b`` (every link holds)."""
    start = r.tok.pos
    left = r.parse_sum()
    rels = []
    while r.is_op("<", ">", "<=", ">=", "=", "!="):
        op = r.advance()
        right = r.parse_sum()
        lhs = scalar_only(r, left, "a comparison")
        rhs = scalar_only(r, right, "a comparison")
        rels.append(RELATIONS[op.text](lhs, rhs))
        left = right
    if not rels:
        raise r.fail("expected a condition such as `a1 < a2`", start)
    return sp.And(*rels)
