"""``python -m derivations serve``: a page where a class checks its answers in a browser.

The parts, from the request to the checker:

- :mod:`~derivations.checker.serve.cli` — the command; :mod:`.server` — uvicorn on a socket
  bound first; :mod:`.app` — the Starlette application (page, API, health, metrics);
- :mod:`.sheet` and :mod:`.page` — the questions of ``docs/sheet11.md`` keyed by the ids,
  as HTML; ``static/`` — the page's script and style (no network beyond the server);
- :mod:`.service` — a request read or refused, answered from a cache or a pool;
  :mod:`.cache`, :mod:`.metrics`;
- :mod:`.pool` and :mod:`.worker` — worker processes forked from a process that imported
  the checker once (:mod:`.preload`), each task under hard limits (wall clock, CPU,
  memory), a bounded queue; :mod:`.preview` and :mod:`.mathml` — how an answer is read;
- :mod:`.load` (with :mod:`.load_answers`, :mod:`.load_http`, :mod:`.load_stats`,
  :mod:`.proctree`) — simulated students, and what they cost the server.

Nothing here imports the application until it is used; :mod:`.errors` holds the
exceptions every part raises.
"""
