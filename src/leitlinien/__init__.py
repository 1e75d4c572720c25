"""leitlinien: versioned, commented guideline documents.

Parse a guideline document from Markdown into a paragraph tree, keep its versions, carry
every comment to the right passage of the next version, decide what a participant may do
when, and produce the reports a city publishes. See DESIGN.md for the layers.
"""

from leitlinien import examples
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
    SerializationError,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "AnchorError",
    "Block",
    "BlockKind",
    "CommentError",
    "Document",
    "DocumentError",
    "HistoryError",
    "LeitlinienError",
    "ListItem",
    "ListNode",
    "PolicyError",
    "ProcedureError",
    "Quote",
    "Reference",
    "Section",
    "SerializationError",
    "ThematicBreak",
    "__version__",
    "examples",
]
