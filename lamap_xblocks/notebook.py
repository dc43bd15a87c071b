"""
The notebook (cahier d'expériences): everything the learner submitted in one
investigation, or in the whole course, step by step with revisions and dates, and a
private "in my own words" area. Printable, and downloadable as HTML or Markdown.
"""

from datetime import UTC, datetime
from urllib.parse import urlencode

from webob import Response
from xblock.core import XBlock
from xblock.fields import Integer, Scope, String

from . import charts, compat, dashboard, dates, store
from . import validation as spec
from .base import STEP_NAMES, InquiryStepBlock, RequestError, _, display_name_field, json_api
from .i18n import current_language
from .registry import NOTEBOOK_ORDER, block_class
from .text import render_markdown

VERDICT_NAMES = {
    "supported": _("Supported"),
    "refuted": _("Refuted"),
    "unsure": _("Not sure yet"),
    "none": _("No verdict yet"),
}
MAX_NOTES = 20000
MAX_SYNTHESIS = 20000
INVESTIGATION_SPEC = spec.Text(_("Investigation"), 50, single_line=True)


GRID_ORDERS = {
    "learner": _("Anonymous id"),
    "recent": _("Latest activity first"),
    "idle": _("Longest without activity first"),
    "furthest": _("Furthest in the inquiry first"),
}


def with_investigation(data, **defaults):
    """A dashboard request; what scripts written before these choices leave out: the first investigation..."""
    return {"investigation": "", **defaults, **data} if isinstance(data, dict) else data


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
    ELEMENT_FIELDS = ("prompt", "synthesis")

    display_name = display_name_field(_("My science notebook"))
    notes = String(scope=Scope.user_state, default="", help="The learner's private notes, in their own words")

    stalled_days = Integer(
        display_name=_("Dashboard: days without a submission before a learner needs attention"),
        help=_("Staff see, in this notebook, the learners of its investigation who have not submitted for this long."),
        scope=Scope.settings,
        default=7,
    )

    synthesis = String(
        display_name=_("Synthesis to compare with"),
        help=_(
            "Optional, in Markdown: the course's synthesis of what the investigation has shown. With it, the "
            "notebook becomes a structuring activity: learners write what they have learned from the class "
            "board and their evidence, then, once they have saved their notes, compare with this synthesis."
        ),
        scope=Scope.content,
        default="",
        multiline_editor=True,
        editor="markdown",
        xml_node=True,
    )

    editable_fields = ("display_name", "investigation", "investigation_name", "prompt", "synthesis", "stalled_days")

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
        """
        Staff see the class dashboard of the notebook's investigation, or of one chosen among
        the course's when the notebook covers the whole course (the notebook stays private:
        the dashboard shows submissions, by anonymous id, never notes).
        """
        if not (compat.is_staff(self) and store.enabled()):
            return None
        choices = self.investigation_choices()
        if not choices:
            return {"choices": [], "investigation": None}
        return self.dashboard_context(choices[0])

    def investigation_choices(self):
        """The investigations the dashboard can show: the notebook's, or every one of the course."""
        return [self.investigation] if self.investigation else store.investigation_keys(self.course_key)

    def dashboard_investigation(self, requested):
        """The investigation a dashboard request is about, or a 400 when it is not one of the choices."""
        choices = self.investigation_choices()
        if not store.enabled() or not choices:
            raise spec.InputError(_("No learner has submitted work in an investigation of this course yet."))
        if not requested:
            return choices[0]
        if requested not in choices:
            raise spec.InputError(_("This dashboard cannot show the investigation “{key}”."), key=requested)
        return requested

    def dashboard_context(self, investigation):
        course = self.course_key
        counts = dashboard.tallies(course, investigation)  # read once, shared by every part
        attention = dashboard.needs_attention(course, investigation, stalled_days=self.stalled_days, counts=counts)
        choices = self.investigation_choices()
        return {
            **self.grid_context(investigation, counts=counts),
            "investigation": investigation,
            "choices": choices if not self.investigation else [],
            "indicators": self.indicator_sections(dashboard.indicators(course, investigation, counts=counts)),
            "attention": [
                {"learner": learner, "text": self.attention_text(reason, detail)}
                for learner, reason, detail in attention["items"]
            ],
            "attention_counts": self.attention_counts(attention["counts"]),
            "export_url": self.runtime.handler_url(
                self, "export", query=urlencode({"format": "zip", "investigation": investigation})
            ),
            "pooled": self.pooled_chart(investigation, counts=counts),
        }

    def grid_context(self, investigation, *, page=1, submitted=(), missing=(), order="learner", counts=None):
        """A page of the progress grid, as the dashboard shows it (and redraws it alone when filtered)."""
        grid = dashboard.progress(
            self.course_key, investigation, page=page, submitted=submitted, missing=missing, order=order, counts=counts
        )
        return {
            "steps": [(step, self.gettext(STEP_NAMES[step])) for step in dashboard.STEPS],
            "grid": {
                **grid,
                "rows": [
                    {"learner": learner, "cells": [self.cell_text(cells[step]) for step in dashboard.STEPS]}
                    for learner, cells in grid["rows"]
                ],
            },
            "filters": {"submitted": list(submitted), "missing": list(missing), "order": order},
            "orders": [(key, self.gettext(label)) for key, label in GRID_ORDERS.items()],
        }

    def indicator_sections(self, figures):
        """Each step's indicators: its learners, sentences with the figures, and small charts."""
        from .experiment import CHECK_LABELS  # noqa: PLC0415

        gettext, ngettext, uid = self.gettext, self.ngettext, self.html_id
        sections = {step: {"facts": [], "charts": [], "lists": []} for step in dashboard.STEPS}

        def chart(step, title, categories, series=(None,), written=str):
            if any(value for _label, values in categories for value in values):
                number = sum(len(section["charts"]) for section in sections.values())
                description = charts.bars(title, categories, series, written=written)
                sections[step]["charts"].append(charts.render_svg(description, f"{uid}-indicator-{number}"))

        question = figures["question"]
        if question["investigable"] is not None:
            sections["question"]["facts"].append(
                gettext("{share} judge their question investigable.").format(
                    share=self.percent(question["investigable"])
                )
            )
        if question["common"]:
            sections["question"]["lists"].append(
                {
                    "heading": gettext("The most chosen questions (similar wordings together)"),
                    "items": [
                        ngettext("“{text}”: {count} learner", "“{text}”: {count} learners", count).format(
                            text=text, count=count
                        )
                        for text, count in question["common"]
                    ],
                }
            )
        answers = {"yes": _("Yes"), "no": _("No"), "unsure": _("Not sure yet")}
        chart(
            "question",
            gettext("Could an experiment answer the question?"),
            [(gettext(label), [question["testable"][key]]) for key, label in answers.items()],
        )

        hypothesis = figures["hypothesis"]
        if hypothesis["complete"] is not None:
            sections["hypothesis"]["facts"].append(
                gettext("{share} give a reason and a prediction for each hypothesis.").format(
                    share=self.percent(hypothesis["complete"])
                )
            )
        chart(
            "hypothesis",
            gettext("Verdicts on the hypotheses"),
            [(gettext(VERDICT_NAMES[key]), [count]) for key, count in hypothesis["verdicts"].items()],
        )
        if hypothesis["revisited"]:
            from .hypothesis import CONFIDENCE_LABELS  # noqa: PLC0415

            sections["hypothesis"]["facts"].append(
                ngettext(
                    "{count} learner gave a verdict. How sure (1 to 4), on average: {before} when stating the "
                    "hypothesis, {after} after the evidence.",
                    "{count} learners gave a verdict. How sure (1 to 4), on average: {before} when stating the "
                    "hypothesis, {after} after the evidence.",
                    hypothesis["revisited"],
                ).format(
                    count=hypothesis["revisited"],
                    before=self.format_number(hypothesis["confidence_before"]),
                    after=self.format_number(hypothesis["confidence_after"]),
                )
            )
            confidence = hypothesis["confidence"]
            chart(
                "hypothesis",
                gettext("How sure the learners were, before and after the evidence"),
                [
                    (gettext(CONFIDENCE_LABELS[level]), [before, after])
                    for level, before, after in zip(
                        confidence["levels"], confidence["before"], confidence["after"], strict=True
                    )
                ],
                (gettext("Before"), gettext("After")),
            )

        experiment = figures["experiment"]
        checks = experiment["checks"]
        if checks["one_variable"] is not None:
            chart(
                "experiment",
                gettext("Plans passing each fair-test check"),
                [(gettext(CHECK_LABELS[check]), [checks[check]]) for check in dashboard.CHECKS],
                written=self.percent,
            )
        if experiment["trials_per_condition"] is not None:
            sections["experiment"]["facts"].append(
                gettext("Trials per condition, on average: {trials}.").format(
                    trials=self.format_number(experiment["trials_per_condition"])
                )
            )
            chart(
                "experiment",
                gettext("Learners by trials per condition"),
                [(self.bucket_label(bucket, dashboard.TRIALS), [count]) for bucket, count in experiment["trials"]],
            )

        argument = figures["argumentation"]
        if argument["citing_results"] is not None:
            sections["argumentation"]["facts"].append(
                gettext("{share} cite their own results; {items} pieces of evidence per argument on average.").format(
                    share=self.percent(argument["citing_results"]),
                    items=self.format_number(argument["evidence_per_argument"]),
                )
            )
            chart(
                "argumentation",
                gettext("Arguments by pieces of evidence"),
                [(self.bucket_label(bucket, dashboard.EVIDENCE), [count]) for bucket, count in argument["evidence"]],
            )
        sections["argumentation"]["facts"].append(
            gettext(
                "Peer comments sent: {count}. Learners who sent one: {reviewers}; who received one: {reviewed}."
            ).format(count=argument["peer_reviews"], reviewers=argument["reviewers"], reviewed=argument["reviewed"])
        )
        return [
            dict(sections[step], step=step, name=gettext(STEP_NAMES[step]), learners=figures["learners"][step])
            for step in dashboard.STEPS
        ]

    def bucket_label(self, bucket, buckets):
        if bucket == buckets[-1]:
            return self.gettext("{count} or more").format(count=bucket)
        return str(bucket)

    def percent(self, value):
        """A share in % as the language writes it: "62%", "62 %" (a no-break space) in French."""
        return dates.format_percent(value, current_language())

    def format_number(self, value):
        return charts.Formatter(current_language()).value(value)

    def attention_counts(self, counts):
        return [
            self.ngettext(
                "{count} learner with nothing submitted or saved for {days} days, and no argument yet",
                "{count} learners with nothing submitted or saved for {days} days, and no argument yet",
                counts["stalled"],
            ).format(
                count=self.gettext("more than {count}").format(count=dashboard.COUNT_LIMIT)
                if counts["stalled"] > dashboard.COUNT_LIMIT
                else counts["stalled"],
                days=self.stalled_days,
            ),
            self.ngettext(
                "{count} plan failing a fair-test check", "{count} plans failing a fair-test check", counts["plan"]
            ).format(count=counts["plan"]),
            self.ngettext(
                "{count} argument citing nothing from the learner's results",
                "{count} arguments citing nothing from the learner's results",
                counts["no_evidence"],
            ).format(count=counts["no_evidence"]),
        ]

    def pooled_chart(self, investigation, counts=None):
        """Every learner's results on one chart (anonymous tags in the marks' names), as SVG."""
        from .experiment import chart_svg  # noqa: PLC0415

        pool = dashboard.pooled(self.course_key, investigation, counts=counts)
        if not pool or not pool["rows"] or pool["settings"].get("off"):
            return None
        chart = dashboard.pooled_chart(pool, self.translator, current_language(), named=True)
        if chart.get("empty"):
            return None
        if pool["shown"] < pool["learners"]:
            sample = self.gettext("A sample of {shown} learners out of {total}.").format(
                shown=pool["shown"], total=pool["learners"]
            )
            chart["title"] += f" ({sample})"
            chart["desc"] += " " + sample
        return {"svg": chart_svg(chart, pool["rows"]), "learners": pool["learners"], "shown": pool["shown"]}

    def cell_text(self, cell):
        if cell is None:
            return {"state": "none", "text": self.gettext("Not started")}
        zone = compat.learner_time_zone(self) or UTC
        day = lambda moment: dates.format_day(moment.astimezone(zone), current_language())  # noqa: E731
        if not cell["versions"]:
            return {"state": "draft", "text": self.gettext("Draft, {date}").format(date=day(cell["draft"]))}
        if cell["versions"] > 1:
            text = self.gettext("Revised ({count} versions), {date}").format(
                count=cell["versions"], date=day(cell["date"])
            )
            return {"state": "revised", "text": text}
        return {"state": "submitted", "text": self.gettext("Submitted, {date}").format(date=day(cell["date"]))}

    def attention_text(self, reason, detail):
        if reason == "stalled":
            return self.ngettext(
                "Nothing submitted or saved for {count} day, and no argument yet.",
                "Nothing submitted or saved for {count} days, and no argument yet.",
                detail,
            ).format(count=detail)
        if reason == "plan":
            from .experiment import CHECK_LABELS  # noqa: PLC0415

            return self.gettext("The plan fails: {checks}.").format(
                checks=", ".join(self.gettext(CHECK_LABELS[check]).lower() for check in detail)
            )
        return self.gettext("The argument cites nothing from the learner's results.")

    @json_api
    def submit_step(self, data):
        """
        Refused: the notes are private, saved with save_draft and never submitted, so never
        recorded in the store (staff exports), published in an event, or graded.
        """
        raise RequestError(403, self.gettext("The notebook's notes are private: they are saved, never submitted."))

    @json_api(staff=True)
    def learner_view(self, data):
        """One learner's investigation as their notebook shows it (every version): ``{"learner": id}``."""
        request = spec.clean_request(
            {"learner": spec.Text(_("Learner"), 64, single_line=True), "investigation": INVESTIGATION_SPEC},
            with_investigation(data),
        )
        investigation = self.dashboard_investigation(request["investigation"])
        sections = self.sections(learner=request["learner"], investigation=investigation)
        if not sections:
            raise spec.InputError(_("No learner of this investigation has this id."))
        return {
            "html": self.render_template(
                "notebook/learner.html", {"sections": sections, "learner": request["learner"], "store_enabled": True}
            )
        }

    @json_api(staff=True)
    def dashboard_page(self, data):
        """A page of the dashboard's grid: ``{"page": 1, "submitted": [...], "missing": [...]}``."""
        request = spec.clean_request(
            {
                "page": spec.Integer(_("Page"), 1, 100000),
                "submitted": spec.ListOf(_("Submitted"), spec.Choice(None, dashboard.STEPS, allow_blank=False), 4),
                "missing": spec.ListOf(_("Not submitted"), spec.Choice(None, dashboard.STEPS, allow_blank=False), 4),
                "investigation": INVESTIGATION_SPEC,
                "order": spec.Choice(_("Order"), GRID_ORDERS, allow_blank=False, labels=GRID_ORDERS),
            },
            with_investigation(data, order="learner"),
        )
        investigation = self.dashboard_investigation(request["investigation"])
        try:
            context = self.grid_context(
                investigation,
                page=request["page"],
                submitted=request["submitted"],
                missing=request["missing"],
                order=request["order"],
            )
        except dashboard.FilterError as err:
            raise spec.InputError(_("This page of the dashboard does not exist: {reason}."), reason=str(err)) from None
        return {"html": self.render_template("notebook/grid.html", {"board": context})}

    @json_api(staff=True)
    def dashboard_view(self, data):
        """The whole dashboard of one of the course's investigations: ``{"investigation": key}``."""
        request = spec.clean_request({"investigation": INVESTIGATION_SPEC}, data)
        context = self.dashboard_context(self.dashboard_investigation(request["investigation"]))
        return {"html": self.render_template("notebook/dashboard.html", {"board": context})}

    def export_investigation(self, request):
        return self.dashboard_investigation(request.GET.get("investigation", ""))

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        return iter(())  # private notes never go into reports

    def author_specs(self):
        return dict(
            super().author_specs(),
            stalled_days=spec.Integer(
                _("Dashboard: days without a submission before a learner needs attention"), 1, 365
            ),
            synthesis=spec.Text(_("Synthesis to compare with"), MAX_SYNTHESIS),
        )

    def work_specs(self):
        return {"notes": spec.Text(_("In my own words"), MAX_NOTES)}

    def missing_parts(self, work):
        return []

    def store_work(self, work, submitting):
        first_notes = not self.notes
        super().store_work(work, submitting)
        if work["notes"] and first_notes:  # once, not on every autosave
            self.emit_completion(1.0)

    def synthesis_html(self):
        """The course's synthesis, once the learner has written their own (never before)."""
        if not (self.synthesis and (self.notes or "").strip()):
            return ""
        return self.render_template("notebook/synthesis.html", {"synthesis_html": render_markdown(self.synthesis)})

    def reply(self, message):
        return dict(super().reply(message), synthesis_html=self.synthesis_html())

    def status_text(self):
        if self.saved_on:
            return self.gettext("Notes saved on {date}.").format(date=self.format_date(self.saved_on))
        return self.gettext("Your notes are private: only you can see them.")

    # ----- what the notebook shows -------------------------------------------------------------

    def sections(self, learner=None, investigation=None):
        """
        Investigations, then steps in inquiry order, then each block's versions (newest
        first): the current learner's, or (for staff) the anonymous ``learner``'s.
        """
        if not self.uses_store():
            return []
        records = store.history(
            course_id=self.course_key,
            learner=learner or self.learner,
            investigation=investigation or self.investigation or None,
        )
        investigations = {}
        for record in records:
            steps = investigations.setdefault(record.investigation, {})
            blocks = steps.setdefault(record.step, {})
            blocks.setdefault(record.usage_id, []).append(record)
        result = []
        for key, steps in investigations.items():
            entries = []
            for step in NOTEBOOK_ORDER:
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
            "in_library": compat.in_library(self),
            "download_md": self.runtime.handler_url(self, "download", query="format=md"),
            "download_html": self.runtime.handler_url(self, "download", query="format=html"),
            "max_notes": MAX_NOTES,
            "synthesis_panel": self.synthesis_html(),
            "synthesis_waits": bool(self.synthesis) and not (self.notes or "").strip(),
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
