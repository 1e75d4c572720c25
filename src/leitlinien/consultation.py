"""A consultation: one history, its procedure, and every comment and response on it.

`Consultation` is the object a portal keeps (as JSON) for one participation process. It asks
the procedure before every write (`PolicyError` when the action is not allowed), only ever
appends (a comment's edits, hides and withdrawals are new states beside the old; a revised
response keeps the earlier one), and answers the questions a report needs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from leitlinien import _dicts
from leitlinien.comments import (
    CarriedComment,
    Channel,
    Comment,
    CommentKind,
    Outcome,
    Response,
    carry_forward,
)
from leitlinien.document import Document
from leitlinien.errors import CommentError, SerializationError
from leitlinien.history import History, Version
from leitlinien.participation import Action, Actor, Decision, Procedure

__all__ = ["CONSULTATION_SCHEMA", "Consultation", "Refusal"]

CONSULTATION_SCHEMA = "leitlinien/consultation"
_CONSULTATION_VERSION = 1


@attrs.frozen(kw_only=True)
class Refusal:
    """A submission the procedure did not allow, kept with its decision for the record."""

    comment: Comment
    actor: Actor
    at: dt.datetime
    decision: Decision


def _action_for(comment: Comment) -> Action:
    if comment.kind is CommentKind.SUPPORT:
        return Action.SUPPORT
    if comment.parent_id is not None:
        return Action.REPLY
    if comment.kind is CommentKind.AMENDMENT:
        return Action.AMEND
    return Action.COMMENT


class Consultation:
    """Comments and responses on the versions of a `History`, under a `Procedure`."""

    def __init__(self, history: History, procedure: Procedure) -> None:
        self.history = history
        self.procedure = procedure
        self._states: dict[str, list[Comment]] = {}
        self._responses: dict[str, list[Response]] = {}

    # -- writing ---------------------------------------------------------------------------

    def _ask(
        self, action: Action, actor: Actor, at: dt.datetime, comment: Comment, *, require: bool
    ) -> Decision:
        """Ask the procedure about an action on `comment`; `require` raises `PolicyError`."""
        ask = self.procedure.require if require else self.procedure.check
        return ask(
            action, actor, at, version=comment.version, comment=comment, channel=comment.channel
        )

    def _check_version(self, comment: Comment) -> None:
        self.history.version(comment.version)
        if comment.anchor is not None and not comment.anchor.matches(
            self.history.version(comment.version).document
        ):
            raise CommentError(
                f"anchor must lie in version {comment.version} "
                f"(quote {comment.anchor.exact[:40]!r} is not at "
                f"{comment.anchor.start}..{comment.anchor.end})",
                field="anchor",
                value=comment.anchor.exact,
            )
        if comment.id in self._states:
            raise CommentError(
                f"id must be new in the consultation (got {comment.id!r} again)",
                field="id",
                value=comment.id,
            )
        if comment.parent_id is not None and comment.parent_id not in self._states:
            raise CommentError(
                f"parent_id must name a comment of the consultation (got {comment.parent_id!r})",
                field="parent_id",
                value=comment.parent_id,
            )

    def submit(self, comment: Comment, actor: Actor, *, at: dt.datetime | None = None) -> Comment:
        """Add a resident's comment, reply, amendment or support, if the procedure allows it now.

        `at` is when it arrives (default: the comment's `created_at`). Raises `PolicyError`
        with the decision when it is not allowed; nothing is stored then.
        """
        self._check_version(comment)
        when = comment.created_at if at is None else at
        self._ask(_action_for(comment), actor, when, comment, require=True)
        self._states[comment.id] = [comment]
        return comment

    def record(self, comment: Comment, actor: Actor, *, at: dt.datetime) -> Comment:
        """Enter input that arrived another way (workshop, letter, e-mail, phone).

        Staff enter it on a person's behalf: the comment is dated when the input arrived,
        `at` is when it is entered.
        """
        self._check_version(comment)
        self._ask(Action.RECORD, actor, at, comment, require=True)
        self._states[comment.id] = [comment]
        return comment

    def try_submit(
        self, comment: Comment, actor: Actor, *, at: dt.datetime | None = None
    ) -> Comment | Refusal:
        """Like `submit`, but return a `Refusal` with the decision instead of raising."""
        self._check_version(comment)
        when = comment.created_at if at is None else at
        decision = self._ask(_action_for(comment), actor, when, comment, require=False)
        if not decision.allowed:
            return Refusal(comment=comment, actor=actor, at=when, decision=decision)
        self._states[comment.id] = [comment]
        return comment

    def _current(self, comment_id: str) -> Comment:
        try:
            return self._states[comment_id][-1]
        except KeyError:
            raise CommentError(
                f"comment_id must name a comment of the consultation (got {comment_id!r})",
                field="comment_id",
                value=comment_id,
            ) from None

    def _change(self, action: Action, comment_id: str, actor: Actor, at: dt.datetime) -> Comment:
        current = self._current(comment_id)
        self._ask(action, actor, at, current, require=True)
        return current

    def edit(self, comment_id: str, body: str, actor: Actor, at: dt.datetime) -> Comment:
        """Change one's own comment while the window is open; the old text is kept."""
        new = self._change(Action.EDIT, comment_id, actor, at).edited(body, at)
        self._states[comment_id].append(new)
        return new

    def withdraw(self, comment_id: str, actor: Actor, at: dt.datetime) -> Comment:
        """Withdraw one's own comment while the window is open; it is kept, not shown."""
        new = self._change(Action.WITHDRAW, comment_id, actor, at).withdrawn(at)
        self._states[comment_id].append(new)
        return new

    def hide(self, comment_id: str, reason: str, actor: Actor, at: dt.datetime) -> Comment:
        """Hide a comment (moderators, any time, with a reason); it is never deleted."""
        current = self._change(Action.HIDE, comment_id, actor, at)
        new = current.hidden(reason, at, by=actor.id or actor.role.value)
        self._states[comment_id].append(new)
        return new

    def restore(
        self, comment_id: str, actor: Actor, at: dt.datetime, *, reason: str = ""
    ) -> Comment:
        """Show a hidden comment again."""
        current = self._change(Action.RESTORE, comment_id, actor, at)
        new = current.restored(at, by=actor.id or actor.role.value, reason=reason)
        self._states[comment_id].append(new)
        return new

    def respond(self, response: Response, actor: Actor) -> Response:
        """Add the response to a comment, after the consultation closed.

        A revised response is added beside the earlier one, which is kept.
        """
        current = self._current(response.comment_id)
        self._ask(Action.RESPOND, actor, response.decided_at, current, require=True)
        if response.effective_in is not None:
            target = self.history.version(response.effective_in).document
            for k, block_id in enumerate(response.block_ids):
                if not target.has_block(block_id):
                    raise CommentError(
                        f"block_ids[{k}] must name a block of version {response.effective_in} "
                        f"(got {block_id!r})",
                        field=f"block_ids[{k}]",
                        value=block_id,
                    )
        self._responses.setdefault(response.comment_id, []).append(response)
        return response

    def publish(
        self,
        source: str | Document,
        actor: Actor,
        *,
        label: str,
        published_at: dt.datetime,
        note: str = "",
    ) -> Version:
        """Publish the next version, if the procedure allows it at `published_at`.

        A new version may not be published while a consultation on the current one is open;
        `PolicyError` carries the decision. The history assigns lineage ids.
        """
        number = len(self.history) + 1
        self.procedure.require(Action.PUBLISH, actor, published_at, version=number)
        return self.history.publish(source, label=label, published_at=published_at, note=note)

    # -- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._states)

    def __iter__(self) -> Iterator[Comment]:
        return iter(self.comments)

    @property
    def comments(self) -> tuple[Comment, ...]:
        """Every comment in its current state (hidden and withdrawn ones included), in order."""
        return tuple(states[-1] for states in self._states.values())

    def comment(self, comment_id: str) -> Comment:
        """The current state of a comment."""
        return self._current(comment_id)

    def states(self, comment_id: str) -> tuple[Comment, ...]:
        """Every state a comment went through, oldest first."""
        self._current(comment_id)
        return tuple(self._states[comment_id])

    def response(self, comment_id: str) -> Response | None:
        """The current response to a comment, or None."""
        self._current(comment_id)
        found = self._responses.get(comment_id)
        return found[-1] if found else None

    def responses(self, comment_id: str) -> tuple[Response, ...]:
        """Every response given to a comment, oldest first."""
        self._current(comment_id)
        return tuple(self._responses.get(comment_id, ()))

    def on_version(self, version: int) -> tuple[Comment, ...]:
        """Comments made on a version."""
        self.history.version(version)
        return tuple(c for c in self.comments if c.version == version)

    def on_block(self, version: int, block_id: str) -> tuple[Comment, ...]:
        """Comments made on a version whose passage starts or ends in a block (replies follow)."""
        roots = {
            c.id
            for c in self.on_version(version)
            if c.anchor is not None and block_id in (c.anchor.block_id, c.anchor.end_block_id)
        }
        return tuple(c for c in self.on_version(version) if self._root(c).id in roots)

    def on_section(self, version: int, section_id: str) -> tuple[Comment, ...]:
        """Comments made on a version whose passage starts in a section or its subsections."""
        document = self.history.version(version).document
        blocks = {b.id for b in document.section(section_id).blocks}
        roots = {
            c.id
            for c in self.on_version(version)
            if c.anchor is not None and c.anchor.block_id in blocks
        }
        return tuple(c for c in self.on_version(version) if self._root(c).id in roots)

    def by_channel(self) -> dict[Channel, int]:
        """How many comments arrived by each channel."""
        return dict(Counter(c.channel for c in self.comments))

    def by_outcome(self) -> dict[Outcome, int]:
        """How many comments got each outcome (current responses)."""
        counts: Counter[Outcome] = Counter()
        for c in self.comments:
            r = self.response(c.id)
            if r is not None:
                counts[r.outcome] += 1
        return dict(counts)

    def unanswered(self, *, include_hidden: bool = False) -> tuple[Comment, ...]:
        """Comments without a response (supports never need one)."""
        return tuple(
            c
            for c in self.comments
            if self.response(c.id) is None
            and c.kind is not CommentKind.SUPPORT
            and (include_hidden or c.visible)
        )

    def carried(self, to_version: int) -> list[CarriedComment]:
        """Every comment carried into a version, with its status there, in order."""
        return carry_forward(self.comments, self.history, to_version)

    def _root(self, comment: Comment) -> Comment:
        seen = set()
        while comment.parent_id is not None and comment.parent_id in self._states:
            if comment.id in seen:
                break
            seen.add(comment.id)
            comment = self._current(comment.parent_id)
        return comment

    # -- JSON ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (schema ``leitlinien/consultation``, version 1)."""
        return {
            "schema": CONSULTATION_SCHEMA,
            "version": _CONSULTATION_VERSION,
            "history": self.history.to_dict(),
            "procedure": self.procedure.to_dict(),
            "comments": [[s.to_dict() for s in states] for states in self._states.values()],
            "responses": [r.to_dict() for rs in self._responses.values() for r in rs],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Consultation:
        """Rebuild a consultation; `SerializationError` names a bad field.

        The stored states are taken as recorded: the policy was checked when they were added.
        """
        m = _dicts.check_schema(data, CONSULTATION_SCHEMA, _CONSULTATION_VERSION)
        history = History.from_dict(_dicts.get(m, "history", dict, ""))
        procedure = Procedure.from_dict(_dicts.get(m, "procedure", dict, ""))
        out = cls(history, procedure)
        for k, raw in enumerate(
            _dicts.expect_list(_dicts.get(m, "comments", list, ""), "comments")
        ):
            path = f"comments[{k}]"
            states = [
                Comment.from_dict(s, f"{path}[{j}]")
                for j, s in enumerate(_dicts.expect_list(raw, path))
            ]
            if not states:
                raise SerializationError(
                    f"{path} must hold at least one state", field=path, value=raw
                )
            if any(s.id != states[0].id for s in states):
                raise SerializationError(
                    f"{path} must hold states of one comment (got ids "
                    f"{sorted({s.id for s in states})!r})",
                    field=path,
                    value=states[0].id,
                )
            out._states[states[0].id] = states
        for k, raw in enumerate(
            _dicts.expect_list(_dicts.get(m, "responses", list, ""), "responses")
        ):
            response = Response.from_dict(raw, f"responses[{k}]")
            if response.comment_id not in out._states:
                raise SerializationError(
                    f"responses[{k}].comment_id must name a comment (got {response.comment_id!r})",
                    field=f"responses[{k}].comment_id",
                    value=response.comment_id,
                )
            out._responses.setdefault(response.comment_id, []).append(response)
        return out

    def add_all(self, comments: Iterable[tuple[Comment, Actor]]) -> list[Comment | Refusal]:
        """Submit many comments; each result is the stored comment or its `Refusal`."""
        return [self.try_submit(c, a) for c, a in comments]
