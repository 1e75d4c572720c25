"""`leitlinien._drafts`: frozen attrs instances built as drafts are the real thing."""

from __future__ import annotations

import copy
import pickle

import attrs
import pytest

from leitlinien._drafts import draft_class


@attrs.frozen(weakref_slot=False)
class Point:
    x: int
    y: str


@attrs.frozen
class WithWeakref:
    x: int


@attrs.frozen(weakref_slot=False)
class Checked:
    x: int = attrs.field(validator=attrs.validators.instance_of(int))


def test_a_draft_becomes_an_equal_frozen_instance() -> None:
    draft = draft_class(Point)
    assert draft is not None
    out = draft()
    out.x, out.y = 1, "a"
    out.__class__ = Point
    assert type(out) is Point
    assert out == Point(1, "a")
    assert hash(out) == hash(Point(1, "a"))
    assert repr(out) == "Point(x=1, y='a')"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        out.x = 2
    assert pickle.loads(pickle.dumps(out)) == out
    assert copy.deepcopy(out) == out
    assert attrs.evolve(out, x=3) == Point(3, "a")


def test_a_class_with_a_weakref_slot_has_no_draft() -> None:
    """Its layout differs from any plain class's, so the caller must build it the usual way."""
    assert draft_class(WithWeakref) is None


def test_a_class_with_validators_is_refused() -> None:
    with pytest.raises(TypeError, match="validators"):
        draft_class(Checked)
