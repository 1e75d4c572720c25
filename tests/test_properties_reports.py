"""Hypothesis properties across layers: any generated revision publishes, diffs, renders and
carries comments without raising, and what comes out accounts for everything that went in."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import leitlinien as ll
from leitlinien.testing import anchors, documents, edit_scripts
from test_html_accessibility import check_page

pytestmark = pytest.mark.property

UTC = dt.UTC


@given(st.data())
def test_revision_publishes_diffs_and_renders(data: st.DataObject) -> None:
    """History lineage, the Synopse and the summary work on any revision; new blocks never
    reuse an earlier id unless the author pinned it; the published Markdown round-trips."""
    old = data.draw(documents(min_blocks=1, max_blocks=12))
    result = data.draw(edit_scripts(old))
    history = ll.History()
    v1 = history.publish(result.old, label="1", published_at=dt.datetime(2024, 1, 1, tzinfo=UTC))
    v2 = history.publish(result.new, label="2", published_at=dt.datetime(2024, 2, 1, tzinfo=UTC))
    assert v2.document.text == result.new.text
    ids_v1 = {b.id for b in v1.document.blocks}
    steps = history.steps(2)
    assert sorted(i for s in steps for i in s.new_ids) == sorted(b.id for b in v2.document.blocks)
    assert sorted(i for s in steps for i in s.old_ids) == sorted(ids_v1)
    pinned = {b.id for b in result.new.blocks if b.pinned}  # the author's word wins
    for step in steps:
        if step.kind == "created":
            assert not (set(step.new_ids) - pinned) & ids_v1
    d = history.diff(1, 2)
    assert d.apply() == v2.document.text
    synopsis = ll.synopsis(d)
    problems = [p for p in check_page(synopsis.to_html()) if "leaves the page" not in p]
    assert problems == []
    assert synopsis.to_markdown()
    assert ll.change_summary(d, lang="de").endswith(".")
    assert ll.change_summary(d, lang="en").endswith(".")
    assert ll.Document.from_markdown(v2.document.to_markdown()) == v2.document


@given(st.data())
def test_comments_carry_without_loss(data: st.DataObject) -> None:
    """Every comment comes out of carry_forward once, in order, keeping its original anchor."""
    old = data.draw(documents(min_blocks=1, max_blocks=10))
    result = data.draw(edit_scripts(old))
    history = ll.History()
    history.publish(result.old, label="1", published_at=dt.datetime(2024, 1, 1, tzinfo=UTC))
    history.publish(result.new, label="2", published_at=dt.datetime(2024, 2, 1, tzinfo=UTC))
    passages = data.draw(st.lists(anchors(history.version(1).document), max_size=6))
    comments = [
        ll.Comment(
            id=f"c{k}",
            author=ll.Author(f"r{k}"),
            channel="online",
            kind="comment",
            body="Anmerkung",
            created_at=dt.datetime(2024, 1, 2, tzinfo=UTC),
            version=1,
            anchor=anchor,
        )
        for k, anchor in enumerate(passages)
    ]
    carried = ll.carry_forward(comments, history, 2)
    assert [c.comment for c in carried] == comments
    new = history.version(2).document
    for item in carried:
        if item.anchor is not None:
            assert item.anchor.matches(new)
