"""
The notebook (cahier d'expériences): everything the learner submitted in one
investigation, or in the whole course, step by step with revisions and dates, and a
private "in my own words" area. Printable, and downloadable as HTML or Markdown.
"""

from datetime import UTC, datetime

from webob import Response
from xblock.core import XBlock
from xblock.fields import Scope, String

from . import store
from . import validation as spec
from .base import STEP_NAMES, InquiryStepBlock, _, display_name_field
from .i18n import current_language
from .registry import STEP_ORDER, block_class
from .text import render_markdown

MAX_NOTES = 20000
KIND_LABELS = {
    "submitted": _("Submitted"),
    "resubmitted": _("Changed and submitted again"),
    "revised": _("Revisited"),
}


class NotebookBlock(InquiryStepBlock):
    """The learner's science notebook. Never graded; the notes are never shared."""

    STEP = "notebook"
    JS_CLASS = "LamapNotebookBlock"
    WORK_FIELDS = ("notes",)

    display_name = display_name_field(_("My science notebook"))
    notes = String(scope=Scope.user_state, default="", help="The learner's private notes, in their own words")

    editable_fields = ("display_name", "investigation", "investigation_name", "prompt")

    @staticmethod
    def workbench_scenarios():
        from .scenarios import notebook_scenarios

        return notebook_scenarios()

    # ----- not a graded step ---------------------------------------------------------------

    @property
    def has_score(self):
        return False

    @property
    def icon_class(self):
        return "other"

    def author_summary(self):
        scope = self.investigation or self.gettext("every investigation of the course")
        return [(self.gettext("Shows"), scope)]

    def staff_context(self):
        return None  # the notebook is private: staff read submissions in the steps themselves

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        return iter(())  # private notes never go into reports

    def work_specs(self):
        return {"notes": spec.Text(_("In my own words"), MAX_NOTES)}

    def missing_parts(self, work):
        return []

    def store_work(self, work, submitting):
        first_notes = not self.notes
        super().store_work(work, submitting)
        if work["notes"] and first_notes:  # once, not on every autosave
            self.emit_completion(1.0)

    def status_text(self):
        if self.saved_on:
            return self.gettext("Notes saved on {date}.").format(date=self.format_date(self.saved_on))
        return self.gettext("Your notes are private: only you can see them.")

    # ----- what the notebook shows -------------------------------------------------------------

    def sections(self):
        """Investigations, then steps in inquiry order, then each block's versions (newest first)."""
        if not self.uses_store():
            return []
        records = store.history(
            course_id=self.course_key, learner=self.learner, investigation=self.investigation or None
        )
        investigations = {}
        for record in records:
            steps = investigations.setdefault(record.investigation, {})
            blocks = steps.setdefault(record.step, {})
            blocks.setdefault(record.usage_id, []).append(record)
        result = []
        for key, steps in investigations.items():
            entries = []
            for step in STEP_ORDER:
                cls = block_class(step)
                for versions in steps.get(step, {}).values():
                    shown = [self.version_context(cls, record) for record in reversed(versions)]
                    entries.append(
                        {
                            "step": step,
                            "step_name": self.gettext(STEP_NAMES[step]),
                            "title": versions[-1].title,
                            "latest": shown[0],
                            "earlier": shown[1:],
                        }
                    )
            names = [
                record.work.get("investigation_name") for record in reversed(records) if record.investigation == key
            ]
            own = self.investigation_name if key == self.investigation else ""
            result.append({"investigation": key, "name": next((n for n in names if n), "") or own, "entries": entries})
        return result

    def version_context(self, cls, record):
        return {
            "version": record.version,
            "kind": self.gettext(KIND_LABELS.get(record.kind, KIND_LABELS["submitted"])),
            "date": self.format_date(record.created.isoformat()),
            "parts": cls.summary(record.work, self.gettext),
        }

    def student_context(self):
        return {
            "sections": self.sections(),
            "store_enabled": store.enabled(),
            "download_md": self.runtime.handler_url(self, "download", query="format=md"),
            "download_html": self.runtime.handler_url(self, "download", query="format=html"),
            "max_notes": MAX_NOTES,
        }

    # ----- downloads -----------------------------------------------------------------------

    @XBlock.handler
    def download(self, request, suffix=""):  # pylint: disable=unused-argument
        """The notebook as a file: ``?format=md`` (Markdown) or ``?format=html``."""
        kind = request.GET.get("format", "html")
        if kind not in ("md", "html"):
            return Response(self.gettext("Unknown format: choose md or html."), status=400, content_type="text/plain")
        if kind == "md":
            body, content_type = self.as_markdown(), "text/markdown"
        else:
            context = dict(
                self.student_context(),
                title=self.title(),
                language=current_language(),
                notes_html=render_markdown(self.notes),
            )
            body, content_type = self.render_template("notebook/download.html", context), "text/html"
        name = f"notebook-{self.investigation or 'course'}-{datetime.now(UTC):%Y%m%d}.{kind}"
        response = Response(body, content_type=content_type, charset="utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def as_markdown(self):
        """The notebook in Markdown: headings per investigation and step, parts as text, lists, tables."""
        lines = [f"# {self.title()}", ""]
        for section in self.sections():
            if section["name"]:
                lines += [f"## {section['name']}", ""]
            elif section["investigation"]:
                lines += [f"## {self.gettext('Investigation')}: {section['investigation']}", ""]
            for entry in section["entries"]:
                lines += [f"### {entry['step_name']} — {entry['title']}", ""]
                for version in [entry["latest"], *entry["earlier"]]:
                    lines += [f"*{version['kind']}, {version['date']}*", ""]
                    lines += markdown_parts(version["parts"])
        lines += [f"## {self.gettext('In my own words')}", "", self.notes or "", ""]
        return "\n".join(lines)


def hard_breaks(text):
    """The learner's line breaks kept in Markdown (two spaces before a newline)."""
    return "  \n".join(str(text).splitlines())


def markdown_parts(parts):
    """Summary parts as Markdown lines (table cells have their pipes escaped, line breaks kept)."""
    lines = []
    for part in parts:
        if part.get("list"):
            items = part["list"]
            marks = [f"{number}." if part.get("ordered") else "-" for number in range(1, len(items) + 1)]
            lines += [f"**{part['label']}**", ""]
            lines += [f"{mark} {hard_breaks(item)}" for mark, item in zip(marks, items, strict=True)]
            lines += [""]
        elif part.get("table"):
            head, rows = part["table"]["head"], part["table"]["rows"]

            def cells(values):
                escaped = (str(value).replace("|", "\\|").replace("\n", "<br>") for value in values)
                return "| " + " | ".join(escaped) + " |"

            lines += [f"**{part['label']}**", "", cells(head), cells(["---"] * len(head))]
            lines += [cells(row) for row in rows] + [""]
        elif part.get("chart"):  # the chart in words; its data is the table above it
            lines += [f"**{part['label']}**: {part['chart']['title']}. {part['chart']['desc']}", ""]
        elif part.get("text"):
            lines += [f"**{part['label']}**: {hard_breaks(part['text'])}", ""]
    return lines
