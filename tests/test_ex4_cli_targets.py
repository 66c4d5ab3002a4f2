"""Exercise 4, the explained neuron: ``--target`` as an index or an ImageNet class name."""

from __future__ import annotations

import pytest

from vgg.errors import TargetError
from vgg.targets import resolve
from vgg.weights.categories import categories

NAMES = categories()


@pytest.mark.parametrize("spec", ["castle", "Castle", "  CASTLE ", "483", 483, "+483"])
def test_4_target_castle_is_class_483(spec: int | str) -> None:
    assert resolve(spec, NAMES) == 483


def test_4_target_multiword_names_accept_underscores() -> None:
    assert resolve("golden_retriever", NAMES) == resolve("Golden Retriever", NAMES) == 207


@pytest.mark.parametrize("spec", [1000, "1000", -1, "-1"])
def test_4_target_index_out_of_range_is_refused(spec: int | str) -> None:
    with pytest.raises(TargetError,
                       match=r"class index (1000|-1) is out of range: choose 0 to 999"):
        resolve(spec, NAMES)


def test_4_target_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(TargetError, match=r"unknown class name 'castel' \(closest: castle \(483\)"):
        resolve("castel", NAMES)


def test_4_target_part_of_a_name_suggests_the_names_containing_it() -> None:
    with pytest.raises(TargetError) as caught:
        resolve("retriever", NAMES)
    assert "golden retriever (207)" in str(caught.value)


def test_4_target_name_far_from_all_says_so() -> None:
    with pytest.raises(TargetError, match=r"no class name is close to it"):
        resolve("qqqqxzzv", NAMES)


def test_4_target_names_are_unique_in_torchvisions_list() -> None:
    assert len(set(NAMES)) == 1000 and NAMES[134] == "crane bird" and NAMES[517] == "crane"


def test_4_target_shared_name_asks_for_the_index() -> None:
    names = ("tench", "crane", "castle", "crane")  # a category list with a repeated name
    with pytest.raises(TargetError, match=r"'crane' names 2 classes: crane \(1\), crane \(3\)"):
        resolve("crane", names)
