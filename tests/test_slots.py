"""direct_init: the generated __init__ behaves like the dataclass's own."""

from __future__ import annotations

import dataclasses

import pytest

from openlint._slots import direct_init
from openlint.model import Cell, Location


@dataclasses.dataclass(frozen=True, slots=True)
class Plain:
    a: int
    b: str = "x"
    c: tuple = ()


@direct_init
@dataclasses.dataclass(frozen=True, slots=True)
class Direct:
    a: int
    b: str = "x"
    c: tuple = ()


@pytest.mark.parametrize("args, kwargs", [((1,), {}), ((1, "y"), {}), ((1,), {"c": (2,)}), ((), {"a": 3, "b": "z"})])
def test_same_values_as_the_generated_init(args, kwargs):
    plain, direct = Plain(*args, **kwargs), Direct(*args, **kwargs)
    assert dataclasses.astuple(plain) == dataclasses.astuple(direct)
    assert repr(direct) == repr(plain).replace("Plain", "Direct")
    assert direct == Direct(*args, **kwargs) and hash(direct) == hash(Direct(*args, **kwargs))


def test_still_frozen_and_argument_errors_as_usual():
    direct = Direct(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        direct.a = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        Direct()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Direct(1, d=2)  # type: ignore[call-arg]
    assert dataclasses.replace(direct, b="q") == Direct(1, "q")


def test_refuses_fields_it_cannot_build():
    with pytest.raises(TypeError, match="default_factory"):
        @direct_init
        @dataclasses.dataclass(frozen=True, slots=True)
        class WithFactory:
            items: list = dataclasses.field(default_factory=list)
    with pytest.raises(TypeError, match="__post_init__"):
        @direct_init
        @dataclasses.dataclass(frozen=True, slots=True)
        class WithPostInit:
            a: int

            def __post_init__(self) -> None:
                pass


def test_model_classes_use_it():
    assert Cell("a", 1, 2).col_span == 1 and Cell("a", 1, 2, 3, 4).row_span == 3
    assert Location("f", page=3).qualified_name() == "" and Location("f", table="t", row="r").qualified_name() == "t/r"
