"""The ``leitlinien`` command: the bundled example end to end, and each step on your files.

Errors go to stderr as one line with a non-zero exit code; output files are written
atomically (a temporary file beside the target, then renamed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from leitlinien import examples
from leitlinien.document import Document
from leitlinien.errors import LeitlinienError, PolicyError

__all__ = ["main", "run_demo", "write_atomic"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class CliError(Exception):
    """A problem the user can fix (bad arguments, unreadable files)."""


def write_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write `text` to `path` so that a crash never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"… {message}", file=sys.stderr, flush=True)


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _read_json(path: str) -> Any:
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None


def _emit(text: str, out: str | None) -> None:
    if out:
        write_atomic(Path(out), text)
    else:
        sys.stdout.write(text)


# -- demo -------------------------------------------------------------------------------------


def run_demo(out_dir: Path, *, lang: str = "de") -> dict[str, Any]:
    """Run the bundled example end to end and write its reports into `out_dir`.

    Returns a summary: the paths written and what happened to each piece of input.
    """
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from leitlinien.consultation import Consultation  # noqa: PLC0415
    from leitlinien.history import History  # noqa: PLC0415
    from leitlinien.participation import Actor  # noqa: PLC0415
    from leitlinien.reports import (  # noqa: PLC0415
        change_summary,
        document_page,
        results_report,
        synopsis,
    )

    berlin = ZoneInfo("Europe/Berlin")
    _progress("parsing version 1 and loading the procedure")
    procedure = examples.procedure()
    history = History()
    v1 = history.publish(
        examples.markdown("v1"),
        label="Entwurf",
        published_at=dt.datetime(2024, 3, 7, 12, 0, tzinfo=berlin),
        note="Entwurf der Arbeitsgruppe zur Beteiligung",
    )
    consultation = Consultation(history, procedure)
    accepted: list[str] = []
    refused: list[tuple[str, str]] = []
    _progress("submitting the example input")
    for item in examples.inputs(v1.document):
        try:
            if item.via == "record":
                consultation.record(item.comment, item.actor, at=item.entered_at)
            else:
                consultation.submit(item.comment, item.actor, at=item.entered_at)
            accepted.append(item.comment.id)
        except PolicyError as exc:
            message = exc.decision.message(lang) if exc.decision is not None else str(exc)
            refused.append((item.comment.id, message))
    _progress("publishing version 2 and carrying the comments")
    admin = Actor(role="administration", id="arbeitsgruppe")
    v2 = consultation.publish(
        examples.markdown("v2"),
        admin,
        label="Fassung 2",
        published_at=dt.datetime(2024, 5, 14, 10, 0, tzinfo=berlin),
        note="Überarbeitet nach der Beteiligung",
    )
    for response in examples.responses(v2.document):
        consultation.respond(response, admin)
    carried = consultation.carried(2)
    _progress("writing the reports")
    d = history.diff(1, 2)
    syn = synopsis(d, title="Synopse: Leitlinien für Bürgerbeteiligung", lang=lang)
    report = results_report(consultation, consulted_version=1, new_version=2, lang=lang)
    files = {
        "synopse.html": syn.to_html(),
        "synopse.md": syn.to_markdown(),
        "ergebnisbericht.html": report.to_html(),
        "ergebnisbericht.md": report.to_markdown(),
        "abwaegung.csv": report.to_csv(),
        "abwaegung.json": json.dumps(report.to_records(), ensure_ascii=False, indent=2) + "\n",
        "beteiligung.json": json.dumps(consultation.to_dict(), ensure_ascii=False, indent=2) + "\n",
        "leitlinien-v1.html": document_page(v1.document),
        "leitlinien-v2.html": document_page(v2.document),
        "leitlinien-v2.md": v2.document.to_markdown(),
        "zeitplan.ics": procedure.to_ical(),
    }
    written = []
    for name, text in files.items():
        path = out_dir / name
        write_atomic(path, text)
        written.append(path)
    statuses: dict[str, int] = {}
    for carried_comment in carried:
        status = carried_comment.status
        key = status.value if status is not None else "document-wide"
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "files": written,
        "accepted": accepted,
        "refused": refused,
        "statuses": statuses,
        "summary": change_summary(d, lang=lang),
    }


def _cmd_demo(args: argparse.Namespace) -> int:
    result = run_demo(Path(args.out), lang=args.lang)
    print("leitlinien demo: Leitlinien für Bürgerbeteiligung der Stadt Lindenau")
    print(f"  input accepted: {len(result['accepted'])}, refused: {len(result['refused'])}")
    for comment_id, message in result["refused"]:
        print(f"    refused {comment_id}: {message}")
    carried = ", ".join(f"{k} {v}" for k, v in sorted(result["statuses"].items()))
    print(f"  comments in version 2: {carried}")
    print(f"  changes: {result['summary']}")
    print("  written:")
    for path in result["files"]:
        print(f"    {path}")
    return EXIT_OK


# -- single steps -----------------------------------------------------------------------------


def _load_doc(path: str | None) -> Document:
    if path is None:
        return examples.load("v1")
    return Document.from_markdown(_read_text(path))


def _cmd_outline(args: argparse.Namespace) -> int:
    sys.stdout.write(_load_doc(args.file).outline())
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from leitlinien.diffing import diff  # noqa: PLC0415
    from leitlinien.reports import change_summary, synopsis  # noqa: PLC0415

    old, new = _load_doc(args.old), _load_doc(args.new)
    _progress("diffing")
    d = diff(old, new)
    if args.format == "json":
        data = {
            "summary": change_summary(d, lang=args.lang),
            "statistics": {
                "blocks": d.statistics.blocks,
                "inserted_chars": d.statistics.inserted_chars,
                "deleted_chars": d.statistics.deleted_chars,
            },
            "changes": [
                {
                    "kind": c.kind.value,
                    "old_ids": list(c.old_ids),
                    "new_ids": list(c.new_ids),
                    "edited": c.edited,
                    "old_text": c.old_text,
                    "new_text": c.new_text,
                }
                for c in d.changes
            ],
        }
        _emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.out)
    else:
        syn = synopsis(d, lang=args.lang)
        _emit(syn.to_html() if args.format == "html" else syn.to_markdown(), args.out)
    return EXIT_OK


def _cmd_schedule(args: argparse.Namespace) -> int:
    from leitlinien.participation import load_procedure  # noqa: PLC0415

    procedure = examples.procedure() if args.file is None else load_procedure(args.file)
    if args.ics:
        _emit(procedure.to_ical(), args.out)
        return EXIT_OK
    lines = [procedure.title, ""]
    for entry in procedure.timeline():
        lines.append(f"  {_describe_entry(entry)}")
    if args.at:
        try:
            at = dt.datetime.fromisoformat(args.at)
        except ValueError:
            raise CliError(f"--at must be an ISO date-time with offset (got {args.at!r})") from None
        if at.tzinfo is None:
            raise CliError(
                f"--at must carry a UTC offset, e.g. {args.at}+01:00 (got a naive {args.at!r})"
            )
        status = procedure.status(at)
        lines += ["", f"Status at {at.isoformat()}:", f"  {status}"]
    _emit("\n".join(lines) + "\n", args.out)
    return EXIT_OK


def _describe_entry(entry: Any) -> str:
    parts = []
    for name in ("start", "end", "title"):
        value = getattr(entry, name, None)
        if isinstance(value, dt.datetime):
            parts.append(value.isoformat(timespec="minutes"))
        elif value is not None:
            parts.append(str(value))
    return "  ".join(parts) if parts else str(entry)


def _is_web_annotation(data: Any) -> bool:
    items = data if isinstance(data, list) else [data]
    for item in items[:1]:
        if not isinstance(item, dict):
            return False
        if "@context" in item or item.get("type") in (
            "Annotation",
            "AnnotationCollection",
            "AnnotationPage",
        ):
            return True
        if "rows" in item or ("target" in item and "schema" not in item):
            return True
    return False


def _cmd_reanchor(args: argparse.Namespace) -> int:
    from leitlinien.comments import Comment, carry_between  # noqa: PLC0415
    from leitlinien.interop import (  # noqa: PLC0415
        from_web_annotations,
        to_annotation_collection,
    )

    old, new = _load_doc(args.old), _load_doc(args.new)
    data = _read_json(args.comments)
    if _is_web_annotation(data):
        imported = from_web_annotations(data, old, version=1, unit=args.unit, strict=True)
        comments = [i.comment for i in imported if i.comment is not None]
    else:
        raw = data.get("comments", data) if isinstance(data, dict) else data
        if isinstance(raw, dict):
            raw = [raw]
        if not isinstance(raw, list):
            raise CliError(
                f"{args.comments}: expected a list of comments or web annotations "
                f"(got {type(raw).__name__})"
            )
        comments = [Comment.from_dict(c, f"comments[{k}]") for k, c in enumerate(raw)]
        comments = [c if c.version == 1 else _as_version_one(c) for c in comments]
    _progress(f"re-anchoring {len(comments)} comments")
    carried = carry_between(comments, old, new, version=1)
    if args.format == "w3c":
        collection = to_annotation_collection(
            carried, new, source=args.source, unit=args.unit or "code-point"
        )
        text = json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
    else:
        text = (
            json.dumps(
                [
                    {
                        "comment": c.comment.to_dict(),
                        "status": c.status.value if c.status is not None else None,
                        "reason": c.reason,
                        "confidence": c.confidence,
                        "anchor": c.anchor.to_dict() if c.anchor is not None else None,
                        "suggestion": (
                            None
                            if c.result is None or c.result.suggestion is None
                            else {
                                "start": c.result.suggestion.start,
                                "end": c.result.suggestion.end,
                                "score": c.result.suggestion.score,
                            }
                        ),
                    }
                    for c in carried
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    _emit(text, args.out)
    return EXIT_OK


def _as_version_one(comment: Any) -> Any:
    """Comments read from a file describe OLD.md, whatever version number they carry."""
    import attrs  # noqa: PLC0415

    return attrs.evolve(comment, version=1)


def _cmd_report(args: argparse.Namespace) -> int:
    from leitlinien.consultation import Consultation  # noqa: PLC0415
    from leitlinien.reports import results_report  # noqa: PLC0415

    consultation = Consultation.from_dict(_read_json(args.consultation))
    _progress("carrying the comments and writing the report")
    report = results_report(
        consultation,
        consulted_version=args.version,
        new_version=args.to,
        lang=args.lang,
        show_names=args.names,
    )
    if args.format == "html":
        text = report.to_html()
    elif args.format == "csv":
        text = report.to_csv(delimiter="," if args.comma else ";")
    elif args.format == "json":
        text = json.dumps(report.to_records(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = report.to_markdown()
    _emit(text, args.out)
    return EXIT_OK


# -- parser -----------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leitlinien",
        description="Versioned, commented guideline documents: the bundled example end to end "
        "(demo), outlines, diffs (Synopse), re-anchoring, reports and schedules.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="run the bundled example end to end and write its reports")
    demo.add_argument(
        "--out", default="leitlinien-demo", help="output folder (default: %(default)s)"
    )
    demo.add_argument("--lang", choices=("de", "en"), default="de", help="report language")
    demo.set_defaults(func=_cmd_demo)

    outline = sub.add_parser("outline", help="print a document's sections and blocks")
    outline.add_argument("file", nargs="?", help="Markdown file (default: the bundled example)")
    outline.set_defaults(func=_cmd_outline)

    diff = sub.add_parser("diff", help="compare two versions (Synopse)")
    diff.add_argument("old", help="the old version (Markdown)")
    diff.add_argument("new", help="the new version (Markdown)")
    diff.add_argument("--format", choices=("md", "html", "json"), default="md")
    diff.add_argument("--lang", choices=("de", "en"), default="de")
    diff.add_argument("--out", help="write to this file instead of standard output")
    diff.set_defaults(func=_cmd_diff)

    schedule = sub.add_parser("schedule", help="print a procedure's time plan or its iCalendar")
    schedule.add_argument("file", nargs="?", help="procedure TOML (default: the bundled one)")
    schedule.add_argument("--at", help="also show the status at this ISO date-time (with offset)")
    schedule.add_argument("--ics", action="store_true", help="write iCalendar (RFC 5545)")
    schedule.add_argument("--out", help="write to this file instead of standard output")
    schedule.set_defaults(func=_cmd_schedule)

    reanchor = sub.add_parser("reanchor", help="carry comments or web annotations on OLD to NEW")
    reanchor.add_argument("old", help="the version the comments were made on (Markdown)")
    reanchor.add_argument("new", help="the new version (Markdown)")
    reanchor.add_argument(
        "comments",
        help="JSON: leitlinien comments, or W3C web annotations (a list, an "
        "AnnotationCollection or an AnnotationPage)",
    )
    reanchor.add_argument("--format", choices=("json", "w3c"), default="json")
    reanchor.add_argument(
        "--unit",
        choices=("code-point", "utf-16"),
        help="offset unit of positions read and written (default: declared, else code points)",
    )
    reanchor.add_argument(
        "--source", default="urn:leitlinien:document", help="IRI of NEW's page (w3c output)"
    )
    reanchor.add_argument("--out", help="write to this file instead of standard output")
    reanchor.set_defaults(func=_cmd_reanchor)

    report = sub.add_parser(
        "report", help="write the results report (Ergebnisbericht) or the weighing table"
    )
    report.add_argument("consultation", help="a consultation's JSON (as `demo` writes it)")
    report.add_argument("--format", choices=("md", "html", "csv", "json"), default="md")
    report.add_argument("--version", type=int, default=1, help="the consulted version")
    report.add_argument("--to", type=int, help="the version to carry into (default: newest)")
    report.add_argument("--lang", choices=("de", "en"), default="de")
    report.add_argument("--names", action="store_true", help="print authors' display names")
    report.add_argument("--comma", action="store_true", help="CSV with commas, not semicolons")
    report.add_argument("--out", help="write to this file instead of standard output")
    report.set_defaults(func=_cmd_report)

    _register_more(sub)
    return parser


_EXTRA: list[Callable[[Any], None]] = []


def _register_more(sub: Any) -> None:
    for register in _EXTRA:
        register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        # No command: the quick start's main job, the outline of the bundled example.
        args = parser.parse_args(["outline"])
        func = args.func
    try:
        return int(func(args))
    except (LeitlinienError, CliError) as exc:
        print(f"leitlinien: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"leitlinien: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("leitlinien: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the command never shows a traceback
        print(
            f"leitlinien: internal error ({type(exc).__name__}: {exc}); please report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
