"""The page ``GET /`` serves: the sheet's questions (:mod:`.sheet`) with an answer box for
each id, as one HTML document with no inline script or style (the page's script and style
are package files under ``static/``, so the page needs no network beyond this server).

Every text of the sheet is escaped (:func:`html.escape`) before the little Markdown the
sheet uses is turned into markup: ```code```, ``**bold**``, ``*emphasis*``.

>>> inline("`x ∈ ℝ^d` and **[1a]** <b>")
'<code>x ∈ ℝ^d</code> and <strong>[1a]</strong> &lt;b&gt;'
>>> from derivations.checker.serve.sheet import load_sheet
>>> html_page = render_page(load_sheet(), {"1a": "the prototype x*"}, 2000)
>>> 'for="answer-1a"' in html_page and 'aria-live="polite"' in html_page
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from derivations.checker.serve.sheet import Item, Paragraph, Question, Sheet, Table

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])")

#: How to type answers: shown above the questions (each example is read by the checker).
NOTATION_EXAMPLES = (
    ("fractions, products", "w/(2*lambda)", r"\frac{w}{2\lambda}"),
    ("transpose, inverse", "A^T w, inv(Sigma)", r"A^\top w, \Sigma^{-1}"),
    ("min, max, parts", "min(a1, a2), max(0, t)", r"\min(a_1, a_2), (t)^+"),
    ("cases", "Piecewise((a1, a1 <= a2), (0, True))",
     r"\begin{cases} a_1 & a_1 \le a_2 \\ 0 & \text{otherwise} \end{cases}"),
)


def inline(text: str) -> str:
    """``text`` escaped, with the sheet's inline Markdown as HTML (code spans first, and
    nothing inside them is markup)."""
    out = []
    for i, part in enumerate(_CODE.split(text)):
        if i % 2:
            out.append(f"<code>{html.escape(part, quote=False)}</code>")
        else:
            part = html.escape(part, quote=False)
            part = _BOLD.sub(r"<strong>\1</strong>", part)
            out.append(_EMPHASIS.sub(r"<em>\1</em>", part))
    return "".join(out)


def _table(table: Table) -> str:
    head, *body = table.rows

    def cells(row: tuple[str, ...], tag: str) -> str:
        return "".join(f'<{tag} scope="col">{inline(c)}</{tag}>' if tag == "th" and c
                       else f"<td>{inline(c)}</td>" for c in row)

    rows = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in body)
    return (f'<div class="table-wrap"><table><thead><tr>{cells(head, "th")}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def answer_form(answer_id: str, what: str) -> str:
    """The form for one answer id: a labelled input, the check button, the preview and the
    result (a live region, announced to screen readers)."""
    key = html.escape(answer_id.replace(".", "-"))
    shown = html.escape(answer_id)
    return f"""
<form class="answer" data-id="{shown}" novalidate>
  <label for="answer-{key}"><span class="answer-id">[{shown}]</span> {html.escape(what)}</label>
  <div class="answer-row">
    <input id="answer-{key}" name="answer" type="text" autocomplete="off" autocapitalize="off"
      spellcheck="false" aria-describedby="read-{key}">
    <button type="submit">Check {shown}</button>
  </div>
  <div class="preview" id="read-{key}"></div>
  <div class="result" id="result-{key}" role="status" aria-live="polite" aria-atomic="true"></div>
  <div class="details" id="details-{key}"></div>
</form>"""


def _question(question: Question, whats: Mapping[str, str]) -> str:
    text = "".join(f"<p>{inline(p)}</p>" for p in question.paragraphs)
    forms = "".join(answer_form(i, whats.get(i, "Your answer")) for i in question.ids)
    return f'<div class="question">{text}{forms}</div>'


def _block(block: Paragraph | Table | Question | Item, whats: Mapping[str, str]) -> str:
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Question):
        return _question(block, whats)
    if isinstance(block, Item):
        return '<div class="question">' + "".join(
            f"<p>{inline(p)}</p>" for p in block.paragraphs) + "</div>"
    return f"<p>{inline(block.text)}</p>"


def _notation_help(max_chars: int) -> str:
    rows = "".join(f"<tr><td>{html.escape(what)}</td><td><code>{html.escape(text)}</code></td>"
                   f"<td><code>{html.escape(tex)}</code></td></tr>"
                   for what, text, tex in NOTATION_EXAMPLES)
    return f"""
<details class="help">
  <summary>How to type an answer</summary>
  <p>Type text or LaTeX (an answer with a backslash is read as LaTeX); at most {max_chars}
  characters. The box under your answer shows how it was read as you type.</p>
  <div class="table-wrap"><table>
    <thead><tr><th scope="col">what</th><th scope="col">text</th>
      <th scope="col">LaTeX</th></tr></thead>
    <tbody>{rows}</tbody>
  </table></div>
</details>"""


def render_page(sheet: Sheet, whats: Mapping[str, str], max_chars: int) -> str:
    """The whole page: ``whats`` maps an id to the short label of its box. The sheet's
    title loses a closing remark in parentheses ("(the problem statement)")."""
    title = re.sub(r"\s*\([^()]*\)$", "", sheet.title) or sheet.title
    sections = []
    for n, exercise in enumerate(sheet.exercises, 1):
        blocks = "".join(_block(b, whats) for b in exercise.blocks)
        sections.append(f'<section aria-labelledby="exercise-{n}"><h2 id="exercise-{n}">'
                        f"{inline(exercise.title)}</h2>{blocks}</section>")
    notation = f'<p class="notation">{inline(sheet.notation)}</p>' if sheet.notation else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}: check your answers</title>
<link rel="stylesheet" href="/static/page.css">
<script src="/static/page.js" defer></script>
</head>
<body>
<header>
  <h1>{inline(title)}</h1>
  <p>Check your answers: type one in its box and press <kbd>Enter</kbd> or its
  <em>Check</em> button. <strong>PROVED</strong> or <strong>NUMERICALLY EQUAL</strong>: right.
  <strong>REFUTED</strong>: wrong, with a point where your answer differs.
  <strong>CANNOT CHECK</strong>: the answer could not be read or decided (the message says
  why). Your answer is read by the checker's own reader, never run as code.</p>
  {notation}
  {_notation_help(max_chars)}
</header>
<main>
{"".join(sections)}
</main>
<footer><p>Exercise 4 (programming) is not checked on this page.</p></footer>
</body>
</html>
"""


__all__ = ["NOTATION_EXAMPLES", "answer_form", "inline", "render_page"]
