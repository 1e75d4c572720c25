"""Reports: the Synopse (two-column comparison of two versions) and the change summary.

>>> import leitlinien as ll
>>> from leitlinien.diffing import diff
>>> from leitlinien.reports import change_summary, synopsis
>>> d = diff(ll.examples.load("v1"), ll.examples.load("v2"))
>>> page = synopsis(d).to_html()        # a standalone, accessible HTML page
>>> text = synopsis(d, lang="en", context=1).to_markdown()
>>> change_summary(d).startswith("In Abschnitt 2.1 wurde 1 Absatz umformuliert")
True

Every HTML page the reports render is built on one skeleton (valid HTML5, `lang`, one
``<h1>``, tables with captions and header cells, ``<ins>``/``<del>`` with a hidden text cue,
WCAG AA colours, a print stylesheet for A4, no script and no external resources).
"""

from leitlinien.reports._errors import ReportError
from leitlinien.reports._page import document_page
from leitlinien.reports._results import ResultRow, ResultsReport, results_report
from leitlinien.reports._summary import change_summary
from leitlinien.reports._synopsis import RowKind, Shown, Synopsis, SynopsisRow, synopsis

__all__ = [
    "ReportError",
    "ResultRow",
    "ResultsReport",
    "RowKind",
    "Shown",
    "Synopsis",
    "SynopsisRow",
    "change_summary",
    "document_page",
    "results_report",
    "synopsis",
]
