"""Comments on passages of a version: kinds, channels, threads, moderation, carrying forward.

A `Comment` never changes in place: editing, hiding, restoring or withdrawing returns a new
`Comment` that keeps the earlier states (`revisions`, `moderation`). `carry_forward` carries
every comment to a later version of a `History`, none lost, in the input order.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from leitlinien import _dicts
from leitlinien.anchoring import Anchor, AnchorStatus, ReanchorResult, reanchor, reanchor_steps
from leitlinien.document import Document
from leitlinien.errors import CommentError, SerializationError
from leitlinien.history import History

__all__ = [
    "COMMENT_SCHEMA",
    "RESPONSE_SCHEMA",
    "Author",
    "CarriedComment",
    "Channel",
    "Comment",
    "CommentKind",
    "ModerationEvent",
    "ModerationState",
    "Outcome",
    "Response",
    "Revision",
    "carry_between",
    "carry_forward",
]

COMMENT_SCHEMA = "leitlinien/comment"
_COMMENT_VERSION = 1


class Channel(enum.StrEnum):
    """How a piece of input reached the city."""

    ONLINE = "online"
    WORKSHOP = "workshop"
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    OTHER = "other"

    def label(self, lang: str = "de") -> str:
        """The channel's name in reports and messages ("Werkstatt", "workshop", ...)."""
        labels = _CHANNEL_LABELS.get(self)
        if labels is None or lang not in ("de", "en"):
            raise CommentError(
                f"lang must be 'de' or 'en' (got {lang!r})", field="lang", value=lang
            )
        return labels[0 if lang == "de" else 1]


_CHANNEL_LABELS: dict[Channel, tuple[str, str]] = {
    Channel.ONLINE: ("online", "online"),
    Channel.WORKSHOP: ("Werkstatt", "workshop"),
    Channel.EMAIL: ("E-Mail", "e-mail"),
    Channel.LETTER: ("Brief", "letter"),
    Channel.PHONE: ("Telefon", "phone"),
    Channel.OTHER: ("sonstiger Weg", "other"),
}


class CommentKind(enum.StrEnum):
    """What a comment is: a remark, a question, an amendment (with replacement text), support."""

    COMMENT = "comment"
    QUESTION = "question"
    AMENDMENT = "amendment"
    SUPPORT = "support"


class ModerationState(enum.StrEnum):
    """Whether a comment is shown. Hiding and withdrawing never delete it."""

    VISIBLE = "visible"
    HIDDEN = "hidden"
    WITHDRAWN = "withdrawn"


def _aware(value: object, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        shown = value.isoformat() if isinstance(value, dt.datetime) else repr(value)
        raise CommentError(
            f"{field} must be a timezone-aware datetime (got {type(value).__name__}: {shown})",
            field=field,
            value=value,
        )
    return value


def _text(value: object, field: str, *, empty: bool = True) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise CommentError(
            f"{field} must be a{'' if empty else ' non-empty'} str (got {value!r:.80})",
            field=field,
            value=value,
        )
    return value


def _member(cls: type[enum.StrEnum], value: Any, field: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        raise CommentError(
            f"{field} must be one of {[m.value for m in cls]!r} (got {value!r})",
            field=field,
            value=value,
        ) from None


def _to_channel(value: Any) -> Channel:
    return _member(Channel, value, "channel")  # type: ignore[no-any-return]


def _to_kind(value: Any) -> CommentKind:
    return _member(CommentKind, value, "kind")  # type: ignore[no-any-return]


def _check_author_id(_: object, __: object, value: Any) -> None:
    _text(value, "author.id", empty=False)


@attrs.frozen
class Author:
    """Who wrote a comment: an opaque id and an optional display name, nothing else."""

    id: str = attrs.field(validator=_check_author_id)
    display_name: str | None = None


@attrs.frozen(kw_only=True)
class Revision:
    """An earlier state of a comment's text, replaced at `replaced_at`."""

    body: str
    proposal: str | None
    replaced_at: dt.datetime


@attrs.frozen(kw_only=True)
class ModerationEvent:
    """A change of a comment's moderation state, with who did it, when and why."""

    state: ModerationState
    at: dt.datetime
    by: str
    reason: str = ""


@attrs.frozen(kw_only=True)
class Comment:
    """A comment, question, amendment or support on a version of the document.

    `anchor` is the passage it was made on (None for the whole document or for a reply,
    which follows its parent). An amendment carries `proposal`, the replacement text for its
    passage (an empty anchor is an insertion point). `version` and `anchor` are the original
    ones and never change; `carry_forward` tells where the passage stands later.
    """

    id: str
    author: Author
    channel: Channel = attrs.field(converter=_to_channel)
    kind: CommentKind = attrs.field(converter=_to_kind)
    body: str
    created_at: dt.datetime
    version: int
    anchor: Anchor | None = None
    parent_id: str | None = None
    proposal: str | None = None
    revisions: tuple[Revision, ...] = ()
    moderation: tuple[ModerationEvent, ...] = ()

    def __attrs_post_init__(self) -> None:
        _text(self.id, "id", empty=False)
        if not isinstance(self.author, Author):
            raise CommentError(
                f"author must be an Author (got {type(self.author).__name__})",
                field="author",
                value=self.author,
            )
        _text(self.body, "body")
        _aware(self.created_at, "created_at")
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise CommentError(
                f"version must be a version number >= 1 (got {self.version!r})",
                field="version",
                value=self.version,
            )
        if self.anchor is not None and not isinstance(self.anchor, Anchor):
            raise CommentError(
                f"anchor must be an Anchor or None (got {type(self.anchor).__name__})",
                field="anchor",
                value=self.anchor,
            )
        if self.parent_id is not None:
            _text(self.parent_id, "parent_id", empty=False)
            if self.parent_id == self.id:
                raise CommentError(
                    f"parent_id must name another comment (got its own id {self.id!r})",
                    field="parent_id",
                    value=self.parent_id,
                )
        if self.kind is CommentKind.AMENDMENT:
            if self.proposal is None:
                raise CommentError(
                    "proposal must hold the replacement text of an amendment (got None)",
                    field="proposal",
                    value=None,
                )
            if self.anchor is None:
                raise CommentError(
                    "anchor must name the passage an amendment replaces (got None)",
                    field="anchor",
                    value=None,
                )
        elif self.proposal is not None:
            raise CommentError(
                f"proposal is only for amendments (got one on a {self.kind.value})",
                field="proposal",
                value=self.proposal,
            )
        if self.kind is CommentKind.SUPPORT and self.parent_id is None:
            raise CommentError(
                "parent_id must name the comment a support supports (got None)",
                field="parent_id",
                value=None,
            )
        if (
            self.anchor is not None
            and self.anchor.is_insertion_point
            and not self.anchor.whole_block  # a comment on an empty paragraph is fine
            and self.kind is not CommentKind.AMENDMENT
        ):
            raise CommentError(
                "an empty passage (insertion point) is allowed only for amendments "
                f"(got a {self.kind.value})",
                field="anchor",
                value=self.anchor.start,
            )

    @property
    def state(self) -> ModerationState:
        """The current moderation state."""
        return self.moderation[-1].state if self.moderation else ModerationState.VISIBLE

    @property
    def visible(self) -> bool:
        """Tell whether the comment is shown."""
        return self.state is ModerationState.VISIBLE

    @property
    def is_reply(self) -> bool:
        """Tell whether the comment answers another one."""
        return self.parent_id is not None

    def edited(self, body: str, at: dt.datetime, *, proposal: str | None = None) -> Comment:
        """Return the comment with a new body (and proposal), keeping the old one as a revision."""
        _text(body, "body")
        _aware(at, "at")
        if at < self.created_at:
            raise CommentError(
                f"at must not be before the comment was made ({self.created_at.isoformat()}) "
                f"(got {at.isoformat()})",
                field="at",
                value=at,
            )
        revision = Revision(body=self.body, proposal=self.proposal, replaced_at=at)
        new_proposal = proposal if proposal is not None else self.proposal
        return attrs.evolve(
            self, body=body, proposal=new_proposal, revisions=(*self.revisions, revision)
        )

    def _moderated(self, state: ModerationState, at: dt.datetime, by: str, reason: str) -> Comment:
        _aware(at, "at")
        _text(by, "by", empty=False)
        _text(reason, "reason")
        event = ModerationEvent(state=state, at=at, by=by, reason=reason)
        return attrs.evolve(self, moderation=(*self.moderation, event))

    def hidden(self, reason: str, at: dt.datetime, *, by: str) -> Comment:
        """Return the comment hidden by a moderator; a reason is required, nothing is deleted."""
        _text(reason, "reason", empty=False)
        return self._moderated(ModerationState.HIDDEN, at, by, reason)

    def restored(self, at: dt.datetime, *, by: str, reason: str = "") -> Comment:
        """Return a hidden comment shown again."""
        return self._moderated(ModerationState.VISIBLE, at, by, reason)

    def withdrawn(self, at: dt.datetime) -> Comment:
        """Return the comment withdrawn by its author (kept, no longer shown)."""
        return self._moderated(ModerationState.WITHDRAWN, at, self.author.id, "")

    # -- JSON ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (schema ``leitlinien/comment``, version 1)."""
        return {
            "schema": COMMENT_SCHEMA,
            "version": _COMMENT_VERSION,
            "id": self.id,
            "author": {"id": self.author.id, "display_name": self.author.display_name},
            "channel": self.channel.value,
            "kind": self.kind.value,
            "body": self.body,
            "created_at": self.created_at.isoformat(),
            "document_version": self.version,
            "anchor": self.anchor.to_dict() if self.anchor is not None else None,
            "parent_id": self.parent_id,
            "proposal": self.proposal,
            "revisions": [
                {"body": r.body, "proposal": r.proposal, "replaced_at": r.replaced_at.isoformat()}
                for r in self.revisions
            ],
            "moderation": [
                {"state": m.state.value, "at": m.at.isoformat(), "by": m.by, "reason": m.reason}
                for m in self.moderation
            ],
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Comment:
        """Rebuild a comment from `to_dict` output; `SerializationError` names a bad field."""
        m = _dicts.check_schema(data, COMMENT_SCHEMA, _COMMENT_VERSION, path)
        j = _dicts.join
        author = _dicts.expect_mapping(_dicts.get(m, "author", dict, path), j(path, "author"))
        raw_anchor: dict[str, Any] | None = _dicts.get(
            m, "anchor", (dict, type(None)), path, default=None
        )
        try:
            return cls(
                id=_dicts.get(m, "id", str, path),
                author=Author(
                    _dicts.get(author, "id", str, j(path, "author")),
                    _dicts.get(author, "display_name", (str, type(None)), j(path, "author"), None),
                ),
                channel=_choice(Channel, _dicts.get(m, "channel", str, path), j(path, "channel")),
                kind=_choice(CommentKind, _dicts.get(m, "kind", str, path), j(path, "kind")),
                body=_dicts.get(m, "body", str, path),
                created_at=_dicts.aware_datetime(
                    _dicts.get(m, "created_at", str, path), j(path, "created_at")
                ),
                version=_dicts.get(m, "document_version", int, path),
                anchor=Anchor.from_dict(raw_anchor, j(path, "anchor")) if raw_anchor else None,
                parent_id=_dicts.get(m, "parent_id", (str, type(None)), path, None),
                proposal=_dicts.get(m, "proposal", (str, type(None)), path, None),
                revisions=tuple(
                    Revision(
                        body=_dicts.get(r, "body", str, p),
                        proposal=_dicts.get(r, "proposal", (str, type(None)), p, None),
                        replaced_at=_dicts.aware_datetime(
                            _dicts.get(r, "replaced_at", str, p), j(p, "replaced_at")
                        ),
                    )
                    for p, r in _items(m, "revisions", path)
                ),
                moderation=tuple(
                    ModerationEvent(
                        state=_choice(
                            ModerationState, _dicts.get(e, "state", str, p), j(p, "state")
                        ),
                        at=_dicts.aware_datetime(_dicts.get(e, "at", str, p), j(p, "at")),
                        by=_dicts.get(e, "by", str, p),
                        reason=_dicts.get(e, "reason", str, p, ""),
                    )
                    for p, e in _items(m, "moderation", path)
                ),
            )
        except CommentError as exc:
            where = j(path, exc.field or "")
            raise SerializationError(f"{where}: {exc}", field=where, value=exc.value) from None


def _items(data: Any, key: str, path: str) -> list[tuple[str, Any]]:
    where = _dicts.join(path, key)
    values = _dicts.expect_list(_dicts.get(data, key, list, path, default=[]), where)
    return [
        (f"{where}[{k}]", _dicts.expect_mapping(v, f"{where}[{k}]")) for k, v in enumerate(values)
    ]


def _choice(cls: type[enum.StrEnum], value: str, path: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        raise SerializationError(
            f"{path} must be one of {[m.value for m in cls]!r} (got {value!r})",
            field=path,
            value=value,
        ) from None


@attrs.frozen(kw_only=True)
class CarriedComment:
    """A comment as it stands in a later version.

    `status` is None for document-wide comments (nothing to carry) and for comments made on a
    version after `version`. Replies and supports carry their thread's root result.
    `needs_review` flags an amendment whose passage was modified or orphaned: its proposed
    text no longer fits as it is.
    """

    comment: Comment
    version: int
    status: AnchorStatus | None
    anchor: Anchor | None
    confidence: float
    reason: str
    result: ReanchorResult | None = None
    needs_review: bool = False


def carry_forward(
    comments: Iterable[Comment], history: History, to_version: int
) -> list[CarriedComment]:
    """Carry every comment to `to_version`: one result per comment, in the input order.

    Anchors are grouped by the version they were made on and mapped through the history's
    diffs once per step, never searched per comment.
    """
    items = list(comments)
    target = history.version(to_version).number
    by_id = _index(items)
    groups: dict[int, list[Comment]] = {}
    for c in items:
        if c.anchor is not None and c.parent_id is None and c.version <= target:
            groups.setdefault(c.version, []).append(c)
    results: dict[str, ReanchorResult] = {}
    for version, members in groups.items():
        history.version(version)
        if version == target:
            continue
        diffs = [history.diff(v, v + 1) for v in range(version, target)]
        anchors: Sequence[Anchor] = [c.anchor for c in members if c.anchor is not None]
        for c, r in zip(members, reanchor_steps(anchors, diffs), strict=True):
            results[c.id] = r
    return [_carried(c, by_id, results, target) for c in items]


def carry_between(
    comments: Iterable[Comment], old: Document, new: Document, *, version: int = 1
) -> list[CarriedComment]:
    """Carry comments made on `old` (as version `version`) to `new` (version + 1).

    For two documents outside a `History` (the command line's ``reanchor``): `new` keeps the
    ids it was parsed with. One result per comment, in the input order.
    """
    items = list(comments)
    by_id = _index(items)
    roots = [c for c in items if c.anchor is not None and c.parent_id is None]
    for k, c in enumerate(roots):
        if c.version != version:
            raise CommentError(
                f"comments must all be made on version {version} (got {c.id!r} on version "
                f"{c.version})",
                field=f"comments[{k}].version",
                value=c.version,
            )
    found = reanchor([c.anchor for c in roots if c.anchor is not None], old, new)
    results = {c.id: r for c, r in zip(roots, found, strict=True)}
    return [_carried(c, by_id, results, version + 1) for c in items]


def _index(items: Sequence[object]) -> dict[str, Comment]:
    by_id: dict[str, Comment] = {}
    for k, c in enumerate(items):
        if not isinstance(c, Comment):
            raise CommentError(
                f"comments[{k}] must be a Comment (got {type(c).__name__})",
                field=f"comments[{k}]",
                value=type(c).__name__,
            )
        if c.id in by_id:
            raise CommentError(
                f"comments[{k}].id must be unique (got {c.id!r} twice)",
                field=f"comments[{k}].id",
                value=c.id,
            )
        by_id[c.id] = c
    return by_id


def _root(comment: Comment, by_id: dict[str, Comment]) -> Comment:
    seen = {comment.id}
    while comment.parent_id is not None and comment.parent_id in by_id:
        comment = by_id[comment.parent_id]
        if comment.id in seen:
            raise CommentError(
                f"parent_id forms a cycle at comment {comment.id!r}",
                field="parent_id",
                value=comment.id,
            )
        seen.add(comment.id)
    return comment


def _carried(
    comment: Comment, by_id: dict[str, Comment], results: dict[str, ReanchorResult], target: int
) -> CarriedComment:
    root = _root(comment, by_id)
    if comment.version > target or root.version > target:
        return CarriedComment(
            comment=comment,
            version=target,
            status=None,
            anchor=None,
            confidence=0.0,
            reason=f"made on version {comment.version}, after version {target}",
        )
    if root.anchor is None:
        reason = "document-wide" if root.parent_id is None else "parent comment not given"
        return CarriedComment(
            comment=comment, version=target, status=None, anchor=None, confidence=1.0, reason=reason
        )
    if root.version == target:
        return CarriedComment(
            comment=comment,
            version=target,
            status=AnchorStatus.EXACT,
            anchor=root.anchor,
            confidence=1.0,
            reason="made on this version",
        )
    result = results[root.id]
    needs_review = comment.kind is CommentKind.AMENDMENT and result.status in (
        AnchorStatus.MODIFIED,
        AnchorStatus.ORPHANED,
    )
    return CarriedComment(
        comment=comment,
        version=target,
        status=result.status,
        anchor=result.anchor,
        confidence=result.confidence,
        reason=result.reason if root is comment else f"follows {root.id}: {result.reason}",
        result=result,
        needs_review=needs_review,
    )


# -- weighing ("Abwägung") ------------------------------------------------------------------

RESPONSE_SCHEMA = "leitlinien/response"
_RESPONSE_VERSION = 1


class Outcome(enum.StrEnum):
    """How the working group weighed a comment (the dispositions of an Abwägungstabelle)."""

    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    REJECTED = "rejected"
    NOTED = "noted"
    ANSWERED = "answered"

    def label(self, lang: str = "de") -> str:
        """The label used in reports ("berücksichtigt", "accepted", ...)."""
        labels = _OUTCOME_LABELS.get(lang)
        if labels is None:
            raise CommentError(
                f"lang must be one of {sorted(_OUTCOME_LABELS)!r} (got {lang!r})",
                field="lang",
                value=lang,
            )
        return labels[self]


_OUTCOME_LABELS = {
    "de": {
        Outcome.ACCEPTED: "berücksichtigt",
        Outcome.PARTLY_ACCEPTED: "teilweise berücksichtigt",
        Outcome.REJECTED: "nicht berücksichtigt",
        Outcome.NOTED: "zur Kenntnis genommen",
        Outcome.ANSWERED: "beantwortet",
    },
    "en": {
        Outcome.ACCEPTED: "accepted",
        Outcome.PARTLY_ACCEPTED: "partly accepted",
        Outcome.REJECTED: "not accepted",
        Outcome.NOTED: "noted",
        Outcome.ANSWERED: "answered",
    },
}


def _to_outcome(value: Any) -> Outcome:
    return _member(Outcome, value, "outcome")  # type: ignore[no-any-return]


def _to_ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Response:
    """The city's response to one comment.

    `decided_by` names a body ("Arbeitsgruppe Bürgerbeteiligung"), never a person's data;
    `effective_in` is the version where the response took effect and `block_ids` the blocks
    of that version it concerns. A revised response is a new `Response`; the consultation
    keeps the earlier one.
    """

    comment_id: str
    outcome: Outcome = attrs.field(converter=_to_outcome)
    rationale: str
    decided_by: str
    decided_at: dt.datetime
    effective_in: int | None = None
    block_ids: tuple[str, ...] = attrs.field(default=(), converter=_to_ids)

    def __attrs_post_init__(self) -> None:
        _text(self.comment_id, "comment_id", empty=False)
        _text(self.rationale, "rationale")
        _text(self.decided_by, "decided_by", empty=False)
        _aware(self.decided_at, "decided_at")
        if self.effective_in is not None and (
            isinstance(self.effective_in, bool)
            or not isinstance(self.effective_in, int)
            or self.effective_in < 1
        ):
            raise CommentError(
                f"effective_in must be a version number >= 1 or None (got {self.effective_in!r})",
                field="effective_in",
                value=self.effective_in,
            )
        for k, block_id in enumerate(self.block_ids):
            _text(block_id, f"block_ids[{k}]", empty=False)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (schema ``leitlinien/response``, version 1)."""
        return {
            "schema": RESPONSE_SCHEMA,
            "version": _RESPONSE_VERSION,
            "comment_id": self.comment_id,
            "outcome": self.outcome.value,
            "rationale": self.rationale,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat(),
            "effective_in": self.effective_in,
            "block_ids": list(self.block_ids),
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Response:
        """Rebuild a response from `to_dict` output; `SerializationError` names a bad field."""
        m = _dicts.check_schema(data, RESPONSE_SCHEMA, _RESPONSE_VERSION, path)
        j = _dicts.join
        blocks = _dicts.expect_list(
            _dicts.get(m, "block_ids", list, path, []), j(path, "block_ids")
        )
        try:
            return cls(
                comment_id=_dicts.get(m, "comment_id", str, path),
                outcome=_choice(Outcome, _dicts.get(m, "outcome", str, path), j(path, "outcome")),
                rationale=_dicts.get(m, "rationale", str, path),
                decided_by=_dicts.get(m, "decided_by", str, path),
                decided_at=_dicts.aware_datetime(
                    _dicts.get(m, "decided_at", str, path), j(path, "decided_at")
                ),
                effective_in=_dicts.get(m, "effective_in", (int, type(None)), path, None),
                block_ids=tuple(blocks),
            )
        except CommentError as exc:
            where = j(path, exc.field or "")
            raise SerializationError(f"{where}: {exc}", field=where, value=exc.value) from None
