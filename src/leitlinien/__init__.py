"""leitlinien: versioned, commented guideline documents.

Parse a guideline document from Markdown into a paragraph tree, keep its versions, carry
every comment to the right passage of the next version, decide what a participant may do
when, and produce the reports a city publishes. See DESIGN.md for the layers.
"""

from leitlinien import examples, interop
from leitlinien.anchoring import (
    Anchor,
    AnchorStatus,
    ReanchorResult,
    Suggestion,
    reanchor,
    reanchor_steps,
)
from leitlinien.comments import (
    Author,
    CarriedComment,
    Channel,
    Comment,
    CommentKind,
    ModerationEvent,
    ModerationState,
    Outcome,
    Response,
    Revision,
    carry_between,
    carry_forward,
)
from leitlinien.consultation import Consultation, Refusal
from leitlinien.diffing import (
    Change,
    ChangeKind,
    DiffStatistics,
    DocumentDiff,
    MappedOffset,
    PieceKind,
    PositionMap,
    Segment,
    SegmentOp,
    diff,
)
from leitlinien.document import (
    Block,
    BlockKind,
    Document,
    ListItem,
    ListNode,
    Quote,
    Reference,
    Section,
    ThematicBreak,
)
from leitlinien.errors import (
    AnchorError,
    CommentError,
    DocumentError,
    HistoryError,
    LeitlinienError,
    PolicyError,
    ProcedureError,
    ReportError,
    SerializationError,
)
from leitlinien.history import History, Lineage, LineageStep, Version
from leitlinien.participation import Action, Actor, Decision, Procedure, Role
from leitlinien.reports import change_summary, document_page, results_report, synopsis

__version__ = "0.1.0.dev0"

__all__ = [
    "Action",
    "Actor",
    "Anchor",
    "AnchorError",
    "AnchorStatus",
    "Author",
    "Block",
    "BlockKind",
    "CarriedComment",
    "Change",
    "ChangeKind",
    "Channel",
    "Comment",
    "CommentError",
    "CommentKind",
    "Consultation",
    "Decision",
    "DiffStatistics",
    "Document",
    "DocumentDiff",
    "DocumentError",
    "History",
    "HistoryError",
    "LeitlinienError",
    "Lineage",
    "LineageStep",
    "ListItem",
    "ListNode",
    "MappedOffset",
    "ModerationEvent",
    "ModerationState",
    "Outcome",
    "PieceKind",
    "PolicyError",
    "PositionMap",
    "Procedure",
    "ProcedureError",
    "Quote",
    "ReanchorResult",
    "Reference",
    "Refusal",
    "ReportError",
    "Response",
    "Revision",
    "Role",
    "Section",
    "Segment",
    "SegmentOp",
    "SerializationError",
    "Suggestion",
    "ThematicBreak",
    "Version",
    "__version__",
    "carry_between",
    "carry_forward",
    "change_summary",
    "diff",
    "document_page",
    "examples",
    "interop",
    "reanchor",
    "reanchor_steps",
    "results_report",
    "synopsis",
]
