"""Procedures as TOML and as plain data: round trips and errors that name the key and value."""

from __future__ import annotations

import copy
import datetime as dt
import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from leitlinien.errors import ProcedureError, SerializationError
from leitlinien.participation import (
    FORMAT_VERSION,
    SCHEMA,
    Event,
    Material,
    Place,
    Procedure,
    example_procedure,
    load_procedure,
)
from test_participation_support import BERLIN, UTC, consultation, local, summer_procedure

EXAMPLE = example_procedure()


def changed(edit: Any) -> dict[str, Any]:
    """Return the example's plain data after `edit` changed a deep copy of it."""
    data = copy.deepcopy(EXAMPLE.to_dict())
    edit(data)
    return data


def serialization_error(data: Any) -> SerializationError:
    """Return the SerializationError that reading `data` raises."""
    with pytest.raises(SerializationError) as info:
        Procedure.from_dict(data)
    return info.value


class TestRoundTrip:
    """Dumping and loading give back an equal procedure."""

    @pytest.mark.parametrize("procedure", [EXAMPLE, summer_procedure()], ids=["example", "summer"])
    def test_dict_and_toml(self, procedure: Procedure) -> None:
        """to_dict/from_dict and to_toml/from_toml are inverse."""
        assert Procedure.from_dict(procedure.to_dict()) == procedure
        assert Procedure.from_toml(procedure.to_toml()) == procedure

    def test_dict_is_json(self) -> None:
        """The plain data survives JSON unchanged, with the schema marker and version."""
        data = EXAMPLE.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert (data["schema"], data["version"]) == (SCHEMA, FORMAT_VERSION)
        assert data["phases"][1]["opens"] == "2024-03-08"
        assert data["events"][0]["start"] == "2024-03-21T18:00:00"
        assert data["events"][0]["grace"] == "P3D"

    def test_toml_is_stable(self) -> None:
        """Dumping the loaded dump gives the same text (deterministic output)."""
        text = EXAMPLE.to_toml()
        assert Procedure.from_toml(text).to_toml() == text
        assert tomllib.loads(text)["title"] == EXAMPLE.title

    def test_repeated_hour_keeps_its_offset(self) -> None:
        """A wall time of the repeated autumn hour is written with its UTC offset."""
        second = dt.datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=BERLIN)
        procedure = Procedure(
            title="DST", versions=[1], phases=[consultation(dt.date(2024, 10, 1), second)]
        )
        data = procedure.to_dict()
        assert data["phases"][0]["closes"] == "2024-10-27T02:30:00+01:00"
        loaded = Procedure.from_toml(procedure.to_toml())
        closes = loaded.window(loaded.phases[0]).closes
        assert closes.astimezone(UTC) == dt.datetime(2024, 10, 27, 1, 30, tzinfo=UTC)

    def test_instants_written_in_local_time(self) -> None:
        """An instant given in UTC is written as local time of the procedure's zone."""
        opens = dt.datetime(2024, 6, 3, 7, 30, tzinfo=UTC)
        procedure = Procedure(
            title="UTC", versions=[1], phases=[consultation(opens, dt.date(2024, 6, 28))]
        )
        assert procedure.to_dict()["phases"][0]["opens"] == "2024-06-03T09:30:00"
        assert Procedure.from_dict(procedure.to_dict()) == procedure

    def test_awkward_strings(self) -> None:
        """Quotes, backslashes, control characters and triple quotes survive TOML."""
        text = 'Zeile "eins"\n\tZeile \\zwei\\ """drei"""\n\x01\x7f Ende'
        procedure = Procedure(
            title='Titel mit "Anführung" und \\ und \x1b',
            versions=[1],
            description="a\r\nb",
            materials=[
                Material(id="m", kind="minutes", title="M", date=dt.date(2024, 1, 1), text=text)
            ],
        )
        assert Procedure.from_toml(procedure.to_toml()) == procedure

    @pytest.mark.parametrize(
        ("grace", "text"),
        [
            (dt.timedelta(0), "PT0S"),
            (dt.timedelta(days=3), "P3D"),
            (dt.timedelta(hours=12), "PT12H"),
            (dt.timedelta(days=1, hours=2, minutes=3, seconds=4), "P1DT2H3M4S"),
            (dt.timedelta(seconds=1, microseconds=500_000), "PT1.5S"),
        ],
    )
    def test_grace_durations(self, grace: dt.timedelta, text: str) -> None:
        """Grace periods are ISO 8601 durations and read back exactly."""
        workshop = Event(
            id="w",
            title="W",
            start=local(2024, 3, 21, 18),
            end=local(2024, 3, 21, 20),
            place=Place("Saal"),
            grace=grace,
        )
        procedure = Procedure(title="G", versions=[1], events=[workshop])
        assert procedure.to_dict()["events"][0]["grace"] == text
        assert Procedure.from_toml(procedure.to_toml()) == procedure

    def test_weeks_accepted(self) -> None:
        """A duration in weeks is read as seven days each."""
        data = changed(lambda d: d["events"][0].update(grace="P2W"))
        assert Procedure.from_dict(data).events[0].grace == dt.timedelta(days=14)

    def test_native_values_and_offsets(self) -> None:
        """Plain data may hold date objects; offset date-times are read as instants."""
        data = changed(
            lambda d: d["events"][0].update(
                start=dt.datetime(2024, 3, 21, 17, tzinfo=UTC), end="2024-03-21T20:00:00+01:00"
            )
        )
        data["phases"][1]["opens"] = dt.date(2024, 3, 8)
        assert Procedure.from_dict(data) == EXAMPLE


class TestLoading:
    """`load_procedure` reads TOML text or a file; `example_procedure` the bundled one."""

    def test_bundled_file(self, tmp_path: Path) -> None:
        """The bundled file loads from a path, a path string and as text, all equal."""
        text = resources.files("leitlinien").joinpath("examples/procedure.toml").read_text("utf-8")
        path = tmp_path / "verfahren.toml"
        path.write_text(text, encoding="utf-8")
        assert load_procedure(path) == EXAMPLE
        assert load_procedure(str(path)) == EXAMPLE
        assert load_procedure(text) == EXAMPLE

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is an OSError from opening it."""
        with pytest.raises(FileNotFoundError):
            load_procedure(tmp_path / "fehlt.toml")

    def test_not_text(self) -> None:
        """Something that is neither text nor a path is refused."""
        with pytest.raises(SerializationError) as info:
            load_procedure(42)  # type: ignore[arg-type]
        assert str(info.value) == "source must be TOML text or a path (got int: 42)"

    def test_bad_toml(self) -> None:
        """TOML syntax errors say where."""
        with pytest.raises(SerializationError) as info:
            Procedure.from_toml('schema = "leitlinien/procedure"\ntitle = \n')
        assert str(info.value) == (
            "TOML text must be valid TOML (got an error: Invalid value (at line 2, column 9))"
        )

    def test_schema_marker_required(self) -> None:
        """A file without the schema marker is refused."""
        with pytest.raises(SerializationError) as info:
            Procedure.from_toml('title = "P"\nversions = [1]\n')
        assert str(info.value) == "schema is missing"


class TestErrors:
    """Bad data names the path, what was expected and what was got."""

    def test_newer_format(self) -> None:
        """A newer format version is refused with a clear error."""
        error = serialization_error(changed(lambda d: d.update(version=2)))
        assert error.field == "version"
        assert str(error) == (
            "version must be between 1 and 1 for 'leitlinien/procedure' (got 2); "
            "a newer version was written by a newer leitlinien"
        )

    def test_bad_date(self) -> None:
        """An impossible date names its path."""
        error = serialization_error(changed(lambda d: d["phases"][2].update(closes="2024-13-01")))
        assert error.field == "phases[2].closes"
        assert str(error) == (
            "phases[2].closes must be a date 'YYYY-MM-DD' or a date-time (got '2024-13-01')"
        )

    def test_unknown_key(self) -> None:
        """A misspelt key is refused rather than silently dropped."""
        error = serialization_error(changed(lambda d: d["phases"][2].update(opnes="2024-03-01")))
        assert error.field == "phases[2].opnes"
        assert str(error).startswith("phases[2].opnes is not a known key; expected one of [")

    def test_months_not_accepted(self) -> None:
        """A grace period in months has no fixed length and is refused."""
        error = serialization_error(changed(lambda d: d["events"][0].update(grace="P1M")))
        assert error.field == "events[0].grace"
        assert "(got 'P1M')" in str(error)

    def test_wrong_types(self) -> None:
        """A boolean is not a version and a material date is not a date-time."""
        error = serialization_error(changed(lambda d: d["phases"][0].update(version=True)))
        assert str(error) == "phases[0].version must be an integer (got bool: True)"
        error = serialization_error(
            changed(lambda d: d["materials"][0].update(date="2024-03-08T10:00:00"))
        )
        assert str(error) == (
            "materials[0].date must be a date (got a date-time: '2024-03-08T10:00:00')"
        )

    @pytest.mark.parametrize(
        ("local_time", "message"),
        [
            (
                "2024-03-31T02:30:00",
                "events[0].start must be a local time that exists in Europe/Berlin (got "
                "'2024-03-31T02:30:00', which the daylight-saving change skips); give an "
                "explicit UTC offset",
            ),
            (
                "2024-10-27T02:30:00",
                "events[0].start must be a local time that occurs once in Europe/Berlin (got "
                "'2024-10-27T02:30:00', which the daylight-saving change repeats); give an "
                "explicit UTC offset",
            ),
        ],
    )
    def test_local_times_across_changes(self, local_time: str, message: str) -> None:
        """Skipped and repeated local times are refused, asking for an offset."""
        data = changed(lambda d: d["events"][0].update(start=local_time, end="2024-11-01T00:00"))
        with pytest.raises(ProcedureError) as info:
            Procedure.from_dict(data)
        assert str(info.value) == message
        assert info.value.field == "events[0].start"

    def test_problems_in_several_parts(self) -> None:
        """Invalid values in several parts are reported together, each with its path."""

        def edit(d: dict[str, Any]) -> None:
            d["phases"][1]["grants"][0]["roles"] = ["mayor"]
            d["phases"][3]["kind"] = ""
            d["events"][0]["place"]["name"] = ""

        with pytest.raises(ProcedureError) as info:
            Procedure.from_dict(changed(edit))
        assert [p.field for p in info.value.value] == [
            "phases[1].grants[0].roles[0]",
            "phases[3].kind",
            "events[0].place.name",
        ]
        assert str(info.value).splitlines() == [
            "the procedure has 3 problems:",
            "- phases[1].grants[0].roles[0] must be one of ['visitor', 'resident', 'moderator', "
            "'administration'] (got 'mayor')",
            "- phases[3].kind must be one of ['drafting', 'consultation', 'evaluation', "
            "'revision', 'adoption'] or a host's own identifier (got '')",
            "- events[0].place.name must be a non-empty string (got '')",
        ]

    def test_cross_checks_name_paths(self) -> None:
        """Problems between parts name the same paths as the data."""
        error_data = changed(lambda d: d["phases"][2].update(opens="2024-03-29"))
        with pytest.raises(ProcedureError) as info:
            Procedure.from_dict(error_data)
        assert info.value.field == "phases[2]"

    def test_not_a_mapping(self) -> None:
        """A list where an object belongs is named."""
        error = serialization_error(changed(lambda d: d.update(phases=[["x"]])))
        assert str(error) == "phases[0] must be an object (got list: ['x'])"
