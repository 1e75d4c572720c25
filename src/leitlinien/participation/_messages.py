"""The German and English wording of decisions (private)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from leitlinien.comments import Channel
from leitlinien.errors import ProcedureError
from leitlinien.participation._enums import Action, Reason, Role
from leitlinien.participation._time import format_instant, format_span

if TYPE_CHECKING:
    from leitlinien.participation._policy import Decision

__all__ = ["LANGUAGES", "language", "render"]

LANGUAGES = ("de", "en")
"""The languages messages are offered in."""

# The action as a noun phrase that can open a sentence: German, English.
_ACTIONS: dict[Action, tuple[str, str]] = {
    Action.VIEW: ("Lesen", "Viewing"),
    Action.COMMENT: ("Kommentieren", "Commenting"),
    Action.REPLY: ("Antworten auf Kommentare", "Replying to comments"),
    Action.AMEND: ("Einreichen von Änderungsvorschlägen", "Proposing amendments"),
    Action.SUPPORT: ("Unterstützen von Kommentaren", "Supporting comments"),
    Action.EDIT: ("Bearbeiten eigener Kommentare", "Editing one's comments"),
    Action.WITHDRAW: ("Zurückziehen eigener Kommentare", "Withdrawing one's comments"),
    Action.RECORD: ("Erfassen von Beiträgen", "Recording input"),
    Action.HIDE: ("Ausblenden von Kommentaren", "Hiding comments"),
    Action.RESTORE: ("Wiederherstellen von Kommentaren", "Restoring comments"),
    Action.RESPOND: ("Abwägen und Beantworten von Kommentaren", "Responding to comments"),
    Action.PUBLISH: ("Veröffentlichen einer neuen Fassung", "Publishing a new version"),
}

_ROLES: dict[Role, tuple[str, str]] = {
    Role.VISITOR: ("Gast", "visitor"),
    Role.RESIDENT: ("Einwohnerin oder Einwohner", "resident"),
    Role.MODERATOR: ("Moderation", "moderator"),
    Role.ADMINISTRATION: ("Verwaltung", "administration"),
}


def language(lang: object) -> str:
    """Return "de" or "en" for a language tag such as "de", "de-DE" or "en_GB"."""
    if isinstance(lang, str):
        primary = lang.replace("_", "-").split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    raise ProcedureError(
        f"lang must be one of {list(LANGUAGES)!r} (got {lang!r})", field="lang", value=lang
    )


def render(decision: Decision, lang: str) -> str:
    """Word `decision` in `lang` ("de" or "en")."""
    de = language(lang) == "de"
    i = 0 if de else 1
    verb = _ACTIONS[decision.action][i]
    zone = decision.zone
    deadline = decision.deadline or decision.at
    event = decision.event
    title = "" if event is None else (f"„{event.title}“" if de else f"“{event.title}”")
    reason = decision.reason

    def when(*, closing: bool) -> str:
        return format_instant(deadline, zone, "de" if de else "en", closing=closing)

    if reason is Reason.PUBLIC:
        return (
            "Die Unterlagen des Verfahrens sind öffentlich."
            if de
            else "The procedure's documents are public."
        )
    if reason is Reason.MODERATION:
        return (
            "Die Moderation kann Kommentare jederzeit mit Begründung ausblenden und "
            "wiederherstellen; gelöscht wird nichts."
            if de
            else "Moderators may hide and restore comments at any time, giving a reason; "
            "nothing is deleted."
        )
    if reason is Reason.OPEN:
        if de:
            return f"{verb} ist bis zum {when(closing=True)} möglich."
        return f"{verb} is open until {when(closing=True)}."
    if reason is Reason.EVENT_INPUT:
        if de:
            return (
                f"Beiträge aus {title} können bis zum {when(closing=True)} erfasst werden; "
                "sie werden auf die Veranstaltung datiert."
            )
        return (
            f"Input from {title} may be recorded until {when(closing=True)}; "
            "it is dated at the event."
        )
    if reason is Reason.CLOSED:
        if event is not None:
            if de:
                return (
                    f"Die Frist für das Erfassen von Beiträgen aus {title} endete am "
                    f"{when(closing=True)}."
                )
            return f"Recording input from {title} closed on {when(closing=True)}."
        if de:
            return f"{_deadline_de(decision.action)} endete am {when(closing=True)}."
        return f"{verb} closed on {when(closing=True)}."
    if reason is Reason.NOT_YET_OPEN:
        if event is not None:
            if de:
                return f"Beiträge aus {title} können ab dem {when(closing=False)} erfasst werden."
            return f"Recording input from {title} opens on {when(closing=False)}."
        if de:
            return f"{_deadline_de(decision.action)} beginnt am {when(closing=False)}."
        return f"{verb} opens on {when(closing=False)}."
    if reason is Reason.CONSULTATION_OPEN:
        if de:
            return (
                f"{verb} ist erst nach dem Ende der Kommentierungsfrist am "
                f"{when(closing=True)} möglich."
            )
        return f"{verb} is possible only after commenting closes on {when(closing=True)}."
    if reason is Reason.NOT_OFFERED:
        if de:
            return f"{verb} ist in diesem Verfahren nicht vorgesehen."
        return f"{verb} is not part of this procedure."
    if reason is Reason.WRONG_VERSION:
        phase = decision.phase
        offered = "?" if phase is None else str(phase.version)
        if de:
            return (
                f"{verb} ist nur zu Version {offered} vorgesehen "
                f"(angefragt: Version {decision.version})."
            )
        return f"{verb} is open only on version {offered} (asked: version {decision.version})."
    if reason is Reason.ROLE_NOT_PERMITTED:
        role = _ROLES[decision.actor.role][i]
        if de:
            return f"{verb} ist für die Rolle „{role}“ nicht vorgesehen."
        return f"{verb} is not open to the role “{role}”."
    if reason is Reason.CHANNEL_NOT_PERMITTED:
        channel = (decision.channel or Channel.ONLINE).label("de" if de else "en")
        if de:
            return f"{verb} ist über den Weg „{channel}“ nicht vorgesehen."
        return f"{verb} is not open on the channel “{channel}”."
    if reason is Reason.NOT_OWN_COMMENT:
        if de:
            return "Nur wer einen Kommentar verfasst hat, kann ihn bearbeiten oder zurückziehen."
        return "Only a comment's author may edit or withdraw it."
    if reason is Reason.EVENT_OUTSIDE_CONSULTATION:
        if de:
            return (
                f"{title} lag außerhalb jeder Kommentierungsfrist; Beiträge daraus werden "
                "nicht erfasst."
            )
        return f"{title} lay outside every commenting window; its input is not recorded."
    # Reason.NOT_DATED_AT_EVENT: only decisions about an event carry it
    span = "" if event is None else format_span(event.start, event.end, zone, "de" if de else "en")
    if de:
        return f"Beiträge aus {title} sind auf die Veranstaltung zu datieren ({span})."
    return f"Input from {title} must be dated within the event ({span})."


def _deadline_de(action: Action) -> str:
    if action is Action.COMMENT:
        return "Die Kommentierungsfrist"
    return f"Die Frist für das {_ACTIONS[action][0]}"
