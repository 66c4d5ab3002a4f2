"""Exercise 4's report evaluates each digits network once: the evaluation is cached by the
network file's SHA-256 and the settings (``vgg.evaluation.cache``), read back when both match,
done again when either changes or the cached file cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vgg.evaluation.cache import cached_table, file_sha256, key_of
from vgg.evaluation.data import DIGITS_RENDER, digits_dataset, loader_for
from vgg.evaluation.measure import evaluate
from vgg.evaluation.table import Table
from vgg.weights.digits import load_digits_model


@pytest.fixture(scope="module")
def small(one_thread: None) -> Table:
    """A real evaluation, small: 2 held-out digits, 2 flipping steps, no randomization."""
    return evaluate(load_digits_model(), loader_for(digits_dataset(2), 2), render=DIGITS_RENDER,
                    steps=2, checkpoints=())


def test_4_cache_is_used_and_invalidated_when_the_hash_changes(tmp_path: Path,
                                                               small: Table) -> None:
    weights = tmp_path / "net.pt"
    weights.write_bytes(b"the first network")
    folder = tmp_path / "cache"
    calls: list[int] = []

    def run() -> Table:
        calls.append(1)
        return small

    settings = {"limit": 2, "checkpoints": ()}
    table, cached = cached_table(weights, settings, run, folder)
    assert (cached, len(calls)) == (False, 1)
    stored = folder / f"{key_of(file_sha256(weights), settings)}.json"
    assert stored.is_file() and [p.name for p in folder.iterdir()] == [stored.name]
    assert stored.name.startswith(file_sha256(weights))

    again, cached = cached_table(weights, settings, run, folder)
    assert (cached, len(calls)) == (True, 1)              # read back, not evaluated
    assert json.dumps(again.as_dict(), sort_keys=True) == \
        json.dumps(json.loads(json.dumps(small.as_dict())), sort_keys=True)

    weights.write_bytes(b"another network")               # retrained: another hash
    _, cached = cached_table(weights, settings, run, folder)
    assert (cached, len(calls)) == (False, 2)
    _, cached = cached_table(weights, {**settings, "limit": 3}, run, folder)
    assert (cached, len(calls)) == (False, 3)             # other settings: another key
    assert len(list(folder.iterdir())) == 3

    path = folder / f"{key_of(file_sha256(weights), settings)}.json"
    path.write_text("{not json")                          # damaged: evaluated again
    _, cached = cached_table(weights, settings, run, folder)
    assert (cached, len(calls)) == (False, 4)
    assert Table.from_dict(json.loads(path.read_text())).images == small.images


def test_4_cache_key_names_the_network_hash_and_the_settings() -> None:
    sha = "0" * 64
    assert key_of(sha, {"a": 1}).startswith(sha + "-")
    assert key_of(sha, {"a": 1}) == key_of(sha, {"a": 1})
    assert key_of(sha, {"a": 1}) != key_of(sha, {"a": 2}) != key_of("1" * 64, {"a": 2})
