"""Versioned JSON: `dumps`/`loads` round trips, the schema registry and its errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import attrs
import pytest

import leitlinien as ll
from leitlinien import _dicts, interop
from leitlinien.interop import _json

UTC = dt.UTC
MD_V1 = "# Leitlinien 🏛️\n\nDie Stadt beteiligt alle früh.\n\nUnterlagen werden veröffentlicht.\n"
MD_V2 = (
    "# Leitlinien 🏛️\n\nDie Stadt beteiligt alle sehr früh.\n\nUnterlagen werden veröffentlicht.\n"
)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A private copy of the registry, so a test's registrations do not leak."""
    loaders = dict(_json._LOADERS)
    monkeypatch.setattr(_json, "_LOADERS", loaders)
    return loaders


def a_comment() -> ll.Comment:
    doc = ll.Document.from_markdown(MD_V1)
    return ll.Comment(
        id="c-1",
        author=ll.Author("r-1", "Jürgen"),
        channel="workshop",
        kind="comment",
        body="Früh heißt: vor dem Beschluss 👍",
        created_at=dt.datetime(2024, 3, 21, 18, 30, tzinfo=UTC),
        version=1,
        anchor=ll.Anchor.from_quote(doc, "beteiligt alle"),
    )


class TestRoundTrips:
    def test_document(self) -> None:
        """A document comes back equal, with its block ids."""
        doc = ll.Document.from_markdown(MD_V1)
        back = interop.loads(interop.dumps(doc))
        assert isinstance(back, ll.Document)
        assert back == doc
        assert [b.id for b in back.blocks] == [b.id for b in doc.blocks]

    def test_history(self) -> None:
        """A history comes back with the same versions and lineage."""
        history = ll.History()
        history.publish(MD_V1, label="Entwurf", published_at=dt.datetime(2024, 3, 8, tzinfo=UTC))
        history.publish(MD_V2, label="Fassung 2", published_at=dt.datetime(2024, 5, 2, tzinfo=UTC))
        back = interop.loads(interop.dumps(history))
        assert isinstance(back, ll.History)
        assert back.to_dict() == history.to_dict()
        assert [v.label for v in back.versions] == ["Entwurf", "Fassung 2"]

    def test_comment(self) -> None:
        """A comment comes back equal, anchor and channel included."""
        comment = a_comment()
        assert interop.loads(interop.dumps(comment)) == comment

    def test_output_is_deterministic_and_keeps_text_readable(self) -> None:
        """Same object, same text; the schema marker leads; umlauts and emoji are not escaped."""
        comment = a_comment()
        text = interop.dumps(comment)
        assert text == interop.dumps(comment)
        assert list(json.loads(text))[:2] == ["schema", "version"]
        assert "Früh heißt: vor dem Beschluss 👍" in text
        assert interop.loads(text.encode()) == comment

    def test_builtin_schemas_are_registered(self) -> None:
        """Documents, histories and comments are known to `loads` out of the box."""
        assert {"leitlinien/document", "leitlinien/history", "leitlinien/comment"} <= set(
            interop.schemas()
        )


class TestErrors:
    def test_unknown_schema(self) -> None:
        """A schema nobody registered is refused, listing the known ones."""
        with pytest.raises(ll.SerializationError, match=r"got 'leitlinien/unknown'") as e:
            interop.loads('{"schema": "leitlinien/unknown", "version": 1}')
        assert "'leitlinien/comment'" in str(e.value)
        assert e.value.field == "schema"

    def test_newer_version_is_a_clear_error(self) -> None:
        """A version written by a newer leitlinien is refused, not half-read."""
        data = a_comment().to_dict()
        data["version"] = 2
        with pytest.raises(ll.SerializationError, match=r"version must be between 1 and 1") as e:
            interop.loads(json.dumps(data))
        assert "newer leitlinien" in str(e.value)

    def test_not_json_names_the_position(self) -> None:
        """Broken JSON is a SerializationError with its line and column."""
        with pytest.raises(ll.SerializationError, match=r"line 1, column 12"):
            interop.loads('{"schema": }')

    def test_missing_schema_and_non_object(self) -> None:
        """A top level without a schema marker, or that is no object, is refused."""
        with pytest.raises(ll.SerializationError, match=r"schema is missing"):
            interop.loads('{"version": 1}')
        with pytest.raises(ll.SerializationError, match=r"must be an object \(got list"):
            interop.loads("[1, 2]")

    def test_bad_field_is_named_by_its_path(self) -> None:
        """A malformed field inside a known schema names its path."""
        data = a_comment().to_dict()
        data["anchor"]["start"] = "3"
        with pytest.raises(ll.SerializationError, match=r"anchor\.start must be an integer"):
            interop.loads(json.dumps(data))

    def test_dumps_needs_to_dict_with_a_schema(self) -> None:
        """Objects without `to_dict`, or whose dict has no schema marker, cannot be dumped."""
        with pytest.raises(ll.SerializationError, match=r"to_dict\(\) method \(got int\)"):
            interop.dumps(3)

        class NoSchema:
            def to_dict(self) -> dict[str, Any]:
                return {"version": 1}

        with pytest.raises(ll.SerializationError, match=r"'schema' marker"):
            interop.dumps(NoSchema())


@attrs.frozen
class Note:
    """A stand-in for a later type (procedure, consultation, response)."""

    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "test/note", "version": 1, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Note:
        m = _dicts.check_schema(data, "test/note", 1)
        return cls(_dicts.get(m, "text", str, ""))


class TestRegistry:
    def test_a_registered_type_round_trips(self, registry: dict[str, Any]) -> None:
        """A later type plugs in with `register` and then loads like the built-in ones."""
        interop.register("test/note", Note.from_dict)
        assert interop.loads(interop.dumps(Note("Grüße 🎉"))) == Note("Grüße 🎉")
        assert "test/note" in registry

    def test_its_version_check_applies(self, registry: dict[str, Any]) -> None:
        """The registered loader's own version check reaches the caller."""
        interop.register("test/note", Note.from_dict)
        with pytest.raises(ll.SerializationError, match=r"version must be between 1 and 1"):
            interop.loads('{"schema": "test/note", "version": 3, "text": ""}')

    def test_registering_twice_needs_replace(self, registry: dict[str, Any]) -> None:
        """A second loader for one schema is refused unless it replaces the first on purpose."""
        interop.register("test/note", Note.from_dict)
        with pytest.raises(ll.SerializationError, match=r"already has a loader"):
            interop.register("test/note", Note.from_dict)
        interop.register("test/note", lambda data: "replaced", replace=True)
        assert interop.loads('{"schema": "test/note", "version": 1}') == "replaced"

    def test_bad_registrations(self, registry: dict[str, Any]) -> None:
        """An empty schema name or a loader that is not callable is refused."""
        with pytest.raises(ll.SerializationError, match=r"schema must be a non-empty str"):
            interop.register(" ", Note.from_dict)
        with pytest.raises(ll.SerializationError, match=r"loader must be callable"):
            interop.register("test/x", "Note.from_dict")  # type: ignore[arg-type]


class TestAllTypes:
    def test_response_procedure_and_consultation_round_trip(self) -> None:
        """Responses, procedures and consultations come back equal through dumps/loads."""
        import datetime as dt
        from zoneinfo import ZoneInfo

        from leitlinien.consultation import Consultation

        response = ll.Response(
            comment_id="c1",
            outcome="partly_accepted",
            rationale="Teilweise übernommen.",
            decided_by="Arbeitsgruppe",
            decided_at=dt.datetime(2024, 4, 10, 18, tzinfo=ZoneInfo("Europe/Berlin")),
        )
        assert interop.loads(interop.dumps(response)) == response
        procedure = ll.examples.procedure()
        assert interop.loads(interop.dumps(procedure)) == procedure
        history = ll.History()
        history.publish(
            ll.examples.markdown("v1"),
            label="Entwurf",
            published_at=dt.datetime(2024, 3, 7, tzinfo=ZoneInfo("Europe/Berlin")),
        )
        consultation = Consultation(history, procedure)
        loaded = interop.loads(interop.dumps(consultation))
        assert isinstance(loaded, Consultation)
        assert loaded.to_dict() == consultation.to_dict()
