"""The `leitlinien` command: the demo's files read back, single steps, errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import leitlinien as ll
from leitlinien.cli import main, run_demo, write_atomic
from leitlinien.consultation import Consultation


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("demo")
    return out, run_demo(out)


class TestDemo:
    def test_writes_every_file(self, demo: tuple[Path, dict[str, object]]) -> None:
        """The demo writes the Synopse, the results report, the CSV and the data it made."""
        out, _ = demo
        names = sorted(p.name for p in out.iterdir())
        assert names == sorted(
            [
                "abwaegung.csv",
                "abwaegung.json",
                "beteiligung.json",
                "ergebnisbericht.html",
                "ergebnisbericht.md",
                "leitlinien-v1.html",
                "leitlinien-v2.html",
                "leitlinien-v2.md",
                "synopse.html",
                "synopse.md",
                "zeitplan.ics",
            ]
        )

    def test_refuses_late_input_with_reason(self, demo: tuple[Path, dict[str, object]]) -> None:
        """Input after the window or after the workshop's grace period is refused, with why."""
        _, result = demo
        refused = dict(result["refused"])  # type: ignore[call-overload]
        assert set(refused) == {"k-012", "w-003"}
        assert refused["k-012"] == "Die Kommentierungsfrist endete am 29.03.2024 um 24:00 Uhr."
        assert "24.03.2024 um 20:00 Uhr" in refused["w-003"]

    def test_consultation_json_reloads_and_matches(
        self, demo: tuple[Path, dict[str, object]]
    ) -> None:
        """beteiligung.json loads back into a consultation with every accepted comment."""
        out, result = demo
        consultation = Consultation.from_dict(
            json.loads((out / "beteiligung.json").read_text("utf-8"))
        )
        assert [c.id for c in consultation.comments] == result["accepted"]
        assert len(consultation.history) == 2
        v2 = ll.Document.from_markdown((out / "leitlinien-v2.md").read_text("utf-8"))
        assert v2 == consultation.history.version(2).document

    def test_csv_is_excel_friendly_and_complete(self, demo: tuple[Path, dict[str, object]]) -> None:
        """The CSV has a BOM, semicolons, one row per comment except supports, and statuses."""
        out, _ = demo
        raw = (out / "abwaegung.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        header, body = rows[0], rows[1:]
        assert header[0] == "Nr."
        assert len(body) == 13
        by_id = {r[1]: dict(zip(header, r, strict=True)) for r in body}
        assert by_id["k-007"]["Stelle in Fassung 2"] == "entfallen"
        assert by_id["k-007"]["Status"] == "orphaned"
        assert by_id["k-003"]["Ergebnis"] == "teilweise berücksichtigt"
        assert by_id["k-003"]["Unterstützungen"] == "1"
        assert by_id["k-009"]["Status"] == "shifted"
        assert [r[0] for r in body] == [str(n) for n in range(1, 14)]

    def test_results_report_lists_every_comment(self, demo: tuple[Path, dict[str, object]]) -> None:
        """The Markdown report has the summary tables and every comment with its response."""
        out, _ = demo
        text = (out / "ergebnisbericht.md").read_text("utf-8")
        assert "| berücksichtigt | 5 |" in text
        assert "| Werkstatt | 2 |" in text
        assert text.count("### Nr.") == 13
        html = (out / "ergebnisbericht.html").read_text("utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert '<html lang="de">' in html
        assert "anwohner-17" not in html
        assert "M. Krüger" not in html

    def test_version_pages_resolve_exported_annotations(
        self, demo: tuple[Path, dict[str, object]]
    ) -> None:
        """The version 2 page carries the ids the carried comments' anchors name."""
        out, _ = demo
        consultation = Consultation.from_dict(
            json.loads((out / "beteiligung.json").read_text("utf-8"))
        )
        page = (out / "leitlinien-v2.html").read_text("utf-8")
        for carried in consultation.carried(2):
            if carried.anchor is not None:
                assert f'id="{carried.anchor.block_id}"' in page

    def test_synopsis_and_calendar(self, demo: tuple[Path, dict[str, object]]) -> None:
        """The Synopse shows the revision; the calendar holds the consultation's deadline."""
        out, _ = demo
        assert "Fristen und Zeitplan" in (out / "synopse.md").read_text("utf-8")
        ics = (out / "zeitplan.ics").read_bytes()
        assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
        assert b"Werkstatt" in ics


class TestCommands:
    def test_no_command_prints_the_outline(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`leitlinien` alone prints the example's outline (the quick start's main job)."""
        assert main([]) == 0
        out = capsys.readouterr().out
        assert out.splitlines()[0] == "Leitlinien für Bürgerbeteiligung der Stadt Lindenau"
        assert ll.examples.load("v1").blocks[2].id in out

    def test_diff_formats(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`leitlinien diff` writes Markdown, HTML or JSON of the two versions."""
        old, new = tmp_path / "old.md", tmp_path / "new.md"
        old.write_text(ll.examples.markdown("v1"), "utf-8")
        new.write_text(ll.examples.markdown("v2"), "utf-8")
        assert main(["diff", str(old), str(new), "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert {c["kind"] for c in data["changes"]} >= {"split", "merged", "moved", "deleted"}
        target = tmp_path / "syn.html"
        assert main(["diff", str(old), str(new), "--format", "html", "--out", str(target)]) == 0
        assert target.read_text("utf-8").startswith("<!DOCTYPE html>")

    def test_errors_are_one_line_without_traceback(self, tmp_path: Path) -> None:
        """A missing file or bad input gives one line on stderr and exit code 1."""
        bad = tmp_path / "bad.md"
        bad.write_bytes(b"\xff\xfe not utf-8")
        for args in (["outline", str(tmp_path / "missing.md")], ["outline", str(bad)]):
            run = subprocess.run(
                [sys.executable, "-m", "leitlinien", *args],
                capture_output=True,
                text=True,
                check=False,
            )
            assert run.returncode == 1
            assert run.stderr.count("\n") == 1
            assert run.stderr.startswith("leitlinien: error: ")
            assert "Traceback" not in run.stderr

    def test_help_everywhere(self) -> None:
        """Every command answers --help."""
        for command in (
            [],
            ["demo"],
            ["outline"],
            ["diff"],
            ["schedule"],
            ["reanchor"],
            ["report"],
        ):
            with pytest.raises(SystemExit) as info:
                main([*command, "--help"])
            assert info.value.code == 0

    def test_reanchor_comments_and_web_annotations(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`leitlinien reanchor` carries the library's comments and W3C annotations to NEW."""
        from leitlinien import interop

        old, new = tmp_path / "old.md", tmp_path / "new.md"
        old.write_text(ll.examples.markdown("v1"), "utf-8")
        new.write_text(ll.examples.markdown("v2"), "utf-8")
        v1 = ll.examples.load("v1")
        comments = [i.comment for i in ll.examples.inputs(v1)]
        own = tmp_path / "comments.json"
        own.write_text(json.dumps([c.to_dict() for c in comments], ensure_ascii=False), "utf-8")
        assert main(["reanchor", str(old), str(new), str(own)]) == 0
        results = json.loads(capsys.readouterr().out)
        assert [r["comment"]["id"] for r in results] == [c.id for c in comments]
        status = {r["comment"]["id"]: r["status"] for r in results}
        assert status["k-007"] == "orphaned"
        assert status["k-009"] == "shifted"
        annotations = tmp_path / "w3c.json"
        top = [c for c in comments if c.parent_id is None]
        collection = interop.to_annotation_collection(top, v1, source="https://x/v1", unit="utf-16")
        annotations.write_text(json.dumps(collection, ensure_ascii=False), "utf-8")
        assert main(["reanchor", str(old), str(new), str(annotations), "--format", "w3c"]) == 0
        exported = json.loads(capsys.readouterr().out)
        items = exported["first"]["items"]
        assert len(items) == len(top)
        v2 = ll.examples.load("v2")
        by_id = {item["id"].rsplit(":", 1)[-1]: item for item in items}
        quote = next(
            s for s in by_id["k-009"]["target"]["selector"] if s["type"] == "TextQuoteSelector"
        )
        assert quote["exact"] in v2.text

    def test_schedule_ics(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`leitlinien schedule --ics` prints the example procedure as iCalendar."""
        assert main(["schedule", "--ics"]) == 0
        assert capsys.readouterr().out.startswith("BEGIN:VCALENDAR")

    def test_atomic_write_leaves_old_file_on_failure(self, tmp_path: Path) -> None:
        """A write that fails midway leaves the previous file whole and no temporary file."""
        target = tmp_path / "report.md"
        write_atomic(target, "alt")

        with pytest.raises(TypeError):
            write_atomic(target, 42)  # type: ignore[arg-type]
        assert target.read_text("utf-8") == "alt"
        assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
