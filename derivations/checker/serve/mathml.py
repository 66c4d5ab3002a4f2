"""An answer as presentation MathML, which browsers render natively (MathML Core), checked
against an allowlist before it leaves the server.

:func:`to_mathml` prints with SymPy's presentation printer, extended for what the
checker's reader builds: a ``Piecewise`` as cases (``{`` and a table, "if" and
"otherwise"), the scalar of a 1×1 product (``wᵀΣw``) in parentheses, ``min_j`` /
``max_j`` over any number of units with the index under the operator, the scalar factors
of a matrix product as one fraction, and ``<`` escaped in a relation (SymPy writes its
text nodes raw). The result is parsed
as XML and every element and attribute is checked against :data:`ELEMENTS` and
:data:`ATTRIBUTES` (presentation markup only: nothing that links, loads or runs); named
entities become characters. Anything else gives ``None`` and the page shows the text.

>>> import sympy as sp
>>> a1, a2 = sp.symbols("a1 a2", real=True)
>>> to_mathml(sp.Min(a1, a2))
'<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><mrow><mo>min</mo>...'
>>> "<mtable" in to_mathml(sp.Piecewise((a1, a1 <= a2), (0, True)))
True
>>> safe_mathml('<mi href="https://example.org">x</mi>') is None
True
"""

from __future__ import annotations

import html.entities
import re
import xml.etree.ElementTree as ET
from typing import Any

import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import PRECEDENCE

MATHML_NS = "http://www.w3.org/1998/Math/MathML"

#: Presentation elements that may appear (MathML Core's layout elements, no links).
ELEMENTS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "mtext", "ms", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mtable", "mtr", "mtd", "munder", "mover", "munderover",
    "mstyle", "mpadded", "mphantom",
})

#: Attributes that may appear (layout only).
ATTRIBUTES = frozenset({
    "mathvariant", "stretchy", "fence", "separator", "form", "lspace", "rspace",
    "linethickness", "columnalign", "displaystyle", "scriptlevel", "accent", "accentunder",
    "largeop", "movablelimits", "symmetric", "display",
})

_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = {"lt", "gt", "amp", "quot", "apos"}


class SheetMathMLPrinter(MathMLPresentationPrinter):
    """SymPy's presentation MathML printer with the reader's own expressions (module
    docstring). Methods are found by class name, so nothing of the reader is imported."""

    def _element(self, tag: str, *children: Any, text: str | None = None) -> Any:
        node = self.dom.createElement(tag)
        if text is not None:
            node.appendChild(self.dom.createTextNode(text))
        for child in children:
            node.appendChild(child)
        return node

    def _print_Piecewise(self, expr: sp.Piecewise) -> Any:
        table = self._element("mtable")
        table.setAttribute("columnalign", "left left")
        for value, condition in expr.args:
            if condition == sp.true:
                when = self._element("mtext", text="otherwise")
            else:
                when = self._element("mrow", self._element("mtext", text="if\u00a0"),
                                     self._print(condition))
            table.appendChild(self._element(
                "mtr", self._element("mtd", self._print(value)), self._element("mtd", when)))
        brace = self._element("mo", text="{")
        brace.setAttribute("stretchy", "true")
        return self._element("mrow", brace, table)

    def _print_MatMul(self, expr: sp.MatMul) -> Any:
        """The scalar factors as one fraction before the matrices: ``w/(2λ)`` as
        ``1/(2λ) w``, not ``(1/2) (1/λ) w``; a minus sign in front."""
        scalars = [a for a in expr.args if not getattr(a, "is_Matrix", False)]
        matrices = [a for a in expr.args if getattr(a, "is_Matrix", False)]
        if not scalars or not matrices:
            return super()._print_MatMul(expr)
        coefficient = sp.Mul(*scalars)
        row = self._element("mrow")
        if coefficient.could_extract_minus_sign():
            row.appendChild(self._element("mo", text="-"))
            coefficient = -coefficient
        factors = ([] if coefficient == 1 else [coefficient]) + matrices
        for i, factor in enumerate(factors):
            if i:
                row.appendChild(self._element("mo", text="&InvisibleTimes;"))
            row.appendChild(self.parenthesize(factor, PRECEDENCE["Mul"] - 1))
        return row

    def _print_Relational(self, expr: sp.core.relational.Relational) -> Any:
        """``a1 < a2`` with the operator escaped (SymPy writes its text nodes raw)."""
        operator = self.mathml_tag(expr).replace("<", "&lt;").replace(">", "&gt;")
        return self._element("mrow", self._print(expr.lhs), self._element("mo", text=operator),
                             self._print(expr.rhs))

    def _print_Scalar1x1(self, expr: Any) -> Any:
        return self._element("mrow", self._element("mo", text="("),
                             self._print(expr.args[0]), self._element("mo", text=")"))

    def _over_units(self, operator: str, expr: Any) -> Any:
        under = self._element("munder", self._element("mo", text=operator),
                              self._element("mi", text="j"))
        return self._element("mrow", under, self._element("mo", text="("),
                             self._print(expr.args[0]), self._element("mo", text=")"))

    def _print_IndexedMin(self, expr: Any) -> Any:
        return self._over_units("min", expr)

    def _print_IndexedMax(self, expr: Any) -> Any:
        return self._over_units("max", expr)


def _characters(markup: str) -> str:
    """Named entities other than XML's five as the characters they name."""

    def one(match: re.Match) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        char = html.entities.html5.get(f"{name};")
        return char if char is not None else match.group(0)

    return _ENTITY.sub(one, markup)


def safe_mathml(markup: str) -> str | None:
    r"""``markup`` (the inside of a ``<math>`` element) as a whole ``<math>`` element if it
    is well-formed XML made only of :data:`ELEMENTS` with :data:`ATTRIBUTES`; else None.

    >>> safe_mathml("<mi>x</mi><mo>&InvisibleTimes;</mo><mi>y</mi>")
    '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><mi>x</mi><mo>\u2062</mo>...'
    >>> safe_mathml("<script>alert(1)</script>") is None
    True
    """
    try:
        root = ET.fromstring(f"<math>{_characters(markup)}</math>")
    except ET.ParseError:
        return None
    for node in root.iter():
        if node.tag not in ELEMENTS or not set(node.attrib) <= ATTRIBUTES:
            return None
    root.set("xmlns", MATHML_NS)
    root.set("display", "block")
    return ET.tostring(root, encoding="unicode")


def to_mathml(expr: sp.Basic) -> str | None:
    """``expr`` as a checked ``<math>`` element (:func:`safe_mathml`), or None where
    SymPy's printer cannot print it."""
    try:
        markup = SheetMathMLPrinter().doprint(expr)
    except Exception:  # noqa: BLE001 - no typeset form: the page shows the text
        return None
    return safe_mathml(markup)


__all__ = ["ATTRIBUTES", "ELEMENTS", "MATHML_NS", "SheetMathMLPrinter", "safe_mathml",
           "to_mathml"]
