"""What the simulated students of the load script type: right, wrong and hostile answers,
each made unique by a number ``N`` drawn per answer (so that the cache does not answer most
checks), and the prefixes a student's typing sends as previews.

Right answers are the sheet's answers written with a factor ``N/N`` or a term ``N - N``;
wrong ones are the usual mistakes (a constant factor, Σ⁻¹ for Σ, max for min, a missing
``+ c``); hostile ones attack the server: 5000 nested parentheses, an answer over the size
limit, huge or variable exponents, code and file names, and answers that are read but are
slow to check (100 cases, a sum of 120 minima, a spike only a fine search finds) — those
only the hard limits stop.

>>> import random
>>> answer = draw_answer(random.Random(0), hostile_share=0.0)
>>> answer.kind in ("right", "wrong") and "N" not in answer.text
True
>>> typed_prefixes("w/(2*lambda)", random.Random(0))
['w/(2', 'w/(2*lam', 'w/(2*lambda', 'w/(2*lambda)']
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: (id, answer with N): right whatever N is.
RIGHT = (
    ("1a", "N*w/(2*N*lambda)"),
    ("1a", r"\frac{N w}{2 N \lambda}"),
    ("1b", "mu + N/N*Sigma*w"),
    ("1b", r"\Sigma\left(\Sigma^{-1}\mu + w\right) + (N - N) \mu"),
    ("1c.z", "N*A^T w/(2 N lambda)"),
    ("1c.x", "N*A A^T w/(2 N lambda) + c"),
    ("2a.i", "min(a1, a2) + N - N"),
    ("2a.ii", "(N a2 - N max(0, a2 - a1))/N"),
    ("2b.i", "N a1/N"),
    ("2b.ii.R2", "N*a2/N"),
    ("3b", "N/N*min(h1, h2, h3)"),
    ("3b", r"\min_j h_j + N - N"),
)

#: (id, answer with N): wrong whatever N is.
WRONG = (
    ("1a", "N*w/((2*N + 1)*lambda)"),
    ("1b", "mu + N/N*inv(Sigma)*w"),
    ("1b", "N/N*(mu + w)"),
    ("1c.z", "N*A w/(2 N lambda)"),
    ("1c.x", "N*A A^T w/(2 N lambda)"),
    ("2a.i", "max(a1, a2) + N - N"),
    ("2a.ii", "N*a1/N"),
    ("2b.i", "N*a1/(N + 1)"),
    ("3b", "max(h1, h2, h3) + N - N"),
    ("3b", "(h1 + h2 + h3)/3 + N - N"),
)

#: (id, answer with N): hostile (see the module docstring).
HOSTILE = (
    ("1a", "(" * 5000 + "N*w" + ")" * 5000),
    ("1a", "(" * 900 + "N*w" + ")" * 900),
    ("1a", "w/(2 lambda) + " + " + ".join(["0*w"] * 700) + " + 0*N*w"),
    ("1a", "((lambda + N)^100)^100 w"),
    ("1a", "2^lambda w + N*0*w"),
    ("1a", "__import__('os').system('touch /tmp/N')"),
    ("1a", r"\input{/etc/passwdN}"),
    ("1a", "exp(exp(exp(exp(N*lambda)))) w"),
    ("2a.i", "Piecewise(" + ",".join(f"(a1+{i}, a1 < {i})" for i in range(100))
     + ",(a2 + N, True))"),
    ("2a.i", "+".join(f"min(a1,a2+{i})" for i in range(120)) + "+N"),
    ("1a", "w/(2 lambda) + max(0, exp(-10^12 (lambda - N)^2) - 1/2) w"),
)


@dataclass(frozen=True)
class Answer:
    """An answer to send: its id, text and kind (right, wrong, hostile)."""

    answer_id: str
    text: str
    kind: str


def draw_answer(rng: random.Random, hostile_share: float) -> Answer:
    """A random answer: hostile with probability ``hostile_share``, else right or wrong
    with equal chance; ``N`` replaced by a number from 2 to 10⁶."""
    n = str(rng.randint(2, 10**6))
    if rng.random() < hostile_share:
        kind, pool = "hostile", HOSTILE
    else:
        kind, pool = ("right", RIGHT) if rng.random() < 0.5 else ("wrong", WRONG)
    answer_id, template = rng.choice(pool)
    return Answer(answer_id, template.replace("N", n), kind)


def typed_prefixes(text: str, rng: random.Random, longest: int = 200) -> list[str]:
    """The prefixes a student's typing previews: one every 3 to 5 characters, and the whole
    answer; an answer longer than ``longest`` is pasted (one preview)."""
    if len(text) > longest:
        return [text]
    ends, end = [], 0
    while True:
        end += rng.randint(3, 5)
        if end >= len(text):
            return [text[:e] for e in ends] + [text]
        ends.append(end)


__all__ = ["HOSTILE", "RIGHT", "WRONG", "Answer", "draw_answer", "typed_prefixes"]
