"""The hypothesis step: ideas with reasons and testable predictions, revisited as evidence comes in."""

import copy

from django.utils.safestring import mark_safe
from xblock.fields import Integer, List, Scope
from xblock.validation import ValidationMessage

from . import markup, verdicts
from . import validation as spec
from .base import InquiryStepBlock, _, display_name_field, json_api, now_iso
from .sharing import ClassBoardMixin

MAX_HYPOTHESES = 8
MAX_STATEMENT_LENGTH = 1000
MAX_JUSTIFICATION_LENGTH = 2000
MAX_VERSIONS = 20
STATEMENT_KEYS = ("idea", "reason", "prediction", "confidence")

CONFIDENCE_LABELS = {
    1: _("Not sure at all"),
    2: _("A little sure"),
    3: _("Fairly sure"),
    4: _("Very sure"),
}
VERDICT_LABELS = {
    "supported": _("Supported by the evidence"),
    "refuted": _("Refuted by the evidence"),
    "unsure": _("Not sure yet"),
}
VERSION_LABELS = {
    "submitted": _("Submitted"),
    "edited": _("Edited and submitted again"),
    "revisited": _("Revisited"),
}


class HypothesisBlock(ClassBoardMixin, InquiryStepBlock):
    """
    The learner states hypotheses (idea, reason, testable prediction, confidence). Once
    submitted, each can be revisited as supported, refuted or not sure yet, with a
    justification; every submitted or revisited version is kept and shown.
    """

    STEP = "hypothesis"
    PREVIOUS_STEP = "question"
    EARLIER_HEADING = _("Your question")
    EARLIER_MISSING = _(
        "You have not submitted the question step of this investigation yet. You can still "
        "state your hypotheses; once you submit your question, it will appear here."
    )
    JS_CLASS = "LamapHypothesisBlock"
    WORK_FIELDS = ("hypotheses",)

    display_name = display_name_field(_("Your hypotheses"))

    min_hypotheses = Integer(
        display_name=_("Minimum number of hypotheses"),
        help=_("How many complete hypotheses a learner states before submitting."),
        scope=Scope.settings,
        default=1,
    )
    max_hypotheses = Integer(
        display_name=_("Maximum number of hypotheses"),
        help=_("How many hypotheses a learner may state at most."),
        scope=Scope.settings,
        default=4,
    )

    hypotheses = List(
        scope=Scope.user_state,
        default=[],
        help=(
            "The learner's hypotheses: id, idea, reason, prediction, confidence (1-4), verdict, "
            "justification, and versions (every submitted or revisited state, oldest first)"
        ),
    )

    editable_fields = (
        "display_name",
        "investigation",
        "investigation_name",
        "share_with_class",
        "prompt",
        "min_hypotheses",
        "max_hypotheses",
        "scored",
        "weight",
    )

    @staticmethod
    def workbench_scenarios():
        from .scenarios import hypothesis_scenarios  # pylint: disable=import-outside-toplevel

        return hypothesis_scenarios()

    # ----- authoring -------------------------------------------------------------------

    def author_specs(self):
        return dict(
            super().author_specs(),
            min_hypotheses=spec.Integer(_("Minimum number of hypotheses"), 1, MAX_HYPOTHESES),
            max_hypotheses=spec.Integer(_("Maximum number of hypotheses"), 1, MAX_HYPOTHESES),
        )

    def validate_field_data(self, validation, data):
        super().validate_field_data(validation, data)
        if data.min_hypotheses > data.max_hypotheses:
            validation.add(
                ValidationMessage(
                    ValidationMessage.ERROR,
                    self.gettext("The minimum number of hypotheses cannot be more than the maximum."),
                )
            )

    def author_summary(self):
        return super().author_summary() + [
            (
                self.gettext("Hypotheses per learner"),
                self.gettext("from {minimum} to {maximum}").format(
                    minimum=self.min_hypotheses, maximum=self.max_hypotheses
                ),
            ),
        ]

    def student_view_data(self, context=None):
        return dict(
            super().student_view_data(context),
            min_hypotheses=self.min_hypotheses,
            max_hypotheses=self.max_hypotheses,
            confidence_levels=[
                {"value": value, "label": self.gettext(label)} for value, label in CONFIDENCE_LABELS.items()
            ],
            verdicts=[{"value": value, "label": self.gettext(label)} for value, label in VERDICT_LABELS.items()],
        )

    # ----- the learner's work -------------------------------------------------------------

    def work_specs(self):
        item = spec.Record(
            None,
            {
                "id": spec.Text(_("Hypothesis identifier"), 40, single_line=True),
                "idea": spec.Text(_("I think that…"), MAX_STATEMENT_LENGTH),
                "reason": spec.Text(_("because…"), MAX_STATEMENT_LENGTH),
                "prediction": spec.Text(_("If…, then I will observe…"), MAX_STATEMENT_LENGTH),
                "confidence": spec.Integer(_("How sure are you?"), 1, 4, allow_none=True),
            },
        )
        # Submitted hypotheses are kept even if the author has since lowered the maximum.
        kept = sum(1 for item in self.hypotheses if item.get("versions"))
        return {"hypotheses": spec.ListOf(_("Your hypotheses"), item, max(self.max_hypotheses, kept))}

    def clean_work(self, data):
        work = super().clean_work(data)
        ids = [item["id"] for item in work["hypotheses"]]
        if any(not identifier.replace("-", "").isalnum() for identifier in ids) or len(set(ids)) != len(ids):
            raise spec.InputError(_("Each hypothesis needs its own identifier (letters, digits and dashes)."))
        kept = {item["id"] for item in self.hypotheses if item.get("versions")}
        if kept - set(ids):
            raise spec.InputError(_("A submitted hypothesis cannot be removed. Revisit it instead."))
        return work

    def current_work(self):
        """The hypotheses as the page sends them back (statements only)."""
        return {
            "hypotheses": [
                {"id": item["id"], **{key: item.get(key) for key in STATEMENT_KEYS}} for item in self.hypotheses
            ]
        }

    def learner_state(self):
        state = super().learner_state()
        state["hypotheses"] = copy.deepcopy(self.hypotheses)
        return state

    def store_work(self, work, submitting):
        # A verdict given since in the argument is carried forward, never overwritten.
        stored = {item["id"]: {k: v for k, v in item.items() if k != "concluded_on"} for item in self.concluded()}
        stamp = now_iso()
        result = []
        for incoming in work["hypotheses"]:
            item = copy.deepcopy(stored.get(incoming["id"])) or {
                "id": incoming["id"],
                "verdict": "",
                "justification": "",
                "created_on": stamp,
                "versions": [],
            }
            item.update(incoming)
            if submitting and self.is_complete_statement(item) and statement_changed(item):
                kind = "edited" if item["versions"] else "submitted"
                add_version(item, kind, stamp)
            result.append(item)
        self.hypotheses = result

    @staticmethod
    def is_complete_statement(item):
        return all(item.get(key) not in ("", None) for key in STATEMENT_KEYS)

    def missing_parts(self, work):
        items = work["hypotheses"]
        started = [item for item in items if any(item.get(key) not in ("", None) for key in STATEMENT_KEYS)]
        complete = [item for item in started if self.is_complete_statement(item)]
        missing = []
        if len(complete) < self.min_hypotheses:
            missing.append(
                self.ngettext(
                    "State at least {count} complete hypothesis: an idea, a reason, a prediction and how sure you are.",
                    "State at least {count} complete hypotheses: an idea, a reason, a prediction and how sure you are.",
                    self.min_hypotheses,
                ).format(count=self.min_hypotheses)
            )
        stored = {item["id"]: item for item in self.hypotheses}
        for number, item in enumerate(items, start=1):
            if item in started and item not in complete:
                missing.append(self.gettext("Complete hypothesis {number}, or remove it.").format(number=number))
            previous = stored.get(item["id"], {})
            if len(previous.get("versions", [])) >= MAX_VERSIONS and statement_changed({**previous, **item}):
                missing.append(
                    self.gettext(
                        "Hypothesis {number} already has {count} versions, the most it can keep: "
                        "write a new hypothesis instead of changing it."
                    ).format(number=number, count=MAX_VERSIONS)
                )
        return missing

    @json_api
    def revise_hypothesis(self, data):
        """Revisit a submitted hypothesis: a verdict, a justification, the confidence now."""
        request = spec.clean_request(
            {
                "id": spec.Text(_("Hypothesis identifier"), 40, single_line=True),
                "verdict": spec.Choice(_("What the evidence says"), VERDICT_LABELS, allow_blank=False),
                "justification": spec.Text(_("Why?"), MAX_JUSTIFICATION_LENGTH),
                "confidence": spec.Integer(_("How sure are you now?"), 1, 4),
            },
            data,
        )
        item = next((item for item in self.concluded() if item["id"] == request["id"]), None)
        if item is None or not item.get("versions"):
            raise spec.InputError(_("There is no submitted hypothesis with this identifier."))
        if not request["justification"]:
            raise spec.InputError(_("Explain what makes you say so: the justification is required."))
        if len(item["versions"]) >= MAX_VERSIONS:
            raise spec.InputError(
                _(
                    "This hypothesis already has {count} versions, the most it can keep. "
                    "Write a new hypothesis instead."
                ),
                count=MAX_VERSIONS,
            )
        previous = item.get("verdict", "")
        same = all(item.get(key) == request[key] for key in ("verdict", "justification", "confidence"))
        if not same:
            updated = copy.deepcopy(self.concluded())
            for entry in updated:
                entry.pop("concluded_on", None)
            target = next(entry for entry in updated if entry["id"] == request["id"])
            target.update(
                verdict=request["verdict"], justification=request["justification"], confidence=request["confidence"]
            )
            # The store first: if it refuses, the learner's state is unchanged.
            self.share_work({"hypotheses": updated}, "revised")
            stamp = now_iso()
            add_version(target, "revisited", stamp)
            self.hypotheses = updated
            self.saved_on = stamp
            self.publish_event(
                "revised",
                {
                    "id": request["id"],
                    "verdict": request["verdict"],
                    "previous_verdict": previous,
                    "justification": request["justification"],
                    "confidence": request["confidence"],
                },
            )
        reply = self.reply(_("Your revisit is saved."))
        reply["revised"] = request["id"]
        return reply

    def feedback(self):
        return {}

    # ----- the investigation ---------------------------------------------------------------

    def record_work(self, work):
        """The statements with their verdicts: the store's versions replace the fields' copies."""
        stored = {item["id"]: item for item in self.hypotheses}
        return {
            "hypotheses": [
                {
                    **{key: item.get(key) for key in ("id", *STATEMENT_KEYS)},
                    "verdict": item.get("verdict", stored.get(item["id"], {}).get("verdict", "")),
                    "justification": item.get("justification", stored.get(item["id"], {}).get("justification", "")),
                }
                for item in work["hypotheses"]
                if self.is_complete_statement(item)
            ]
        }

    def contribution_text(self, work):
        # The learner's own words, not wrapped in a translated sentence: they may write in any language.
        return "\n".join(
            f"{item['idea']} — {item['reason']}" for item in work["hypotheses"] if self.is_complete_statement(item)
        )

    @classmethod
    def summary(cls, work, gettext):
        parts = []
        for number, item in enumerate(work.get("hypotheses", []), start=1):
            lines = [
                f"{gettext('I think that…')} {item.get('idea', '')}",
                f"{gettext('because…')} {item.get('reason', '')}",
                f"{gettext('If…, then I will observe…')} {item.get('prediction', '')}",
            ]
            confidence = CONFIDENCE_LABELS.get(item.get("confidence"))
            if confidence:
                lines.append(f"{gettext('How sure')}: {gettext(confidence)}")
            verdict = VERDICT_LABELS.get(item.get("verdict") or "")
            if verdict:
                lines.append(f"{gettext(verdict)}: {item.get('justification', '')}")
            parts.append({"label": gettext("Hypothesis {number}").format(number=number), "text": "\n".join(lines)})
        return parts

    def earlier_parts(self, record):
        from .question import QuestionBlock  # the step before: its summary of the chosen question

        return [
            {
                "label": self.gettext("The question I chose to investigate"),
                "text": QuestionBlock.chosen_text(record.work),
            }
        ]

    def concluded(self):
        """The hypotheses with conclusions given since in the argument (one verdict, two places)."""
        return verdicts.overlay(self, self.hypotheses)

    def student_context(self):
        submitted = [item for item in self.concluded() if item.get("versions")]
        blank = {"id": "", "idea": "", "reason": "", "prediction": "", "confidence": None, "versions": []}
        gettext = self.translator.gettext
        confidence_choices = [(value, gettext(label)) for value, label in CONFIDENCE_LABELS.items()]
        options = {
            "uid": self.html_id,
            "gettext": gettext,
            "item_label": gettext("Hypothesis {number}"),
            "remove_label": gettext("Remove hypothesis {number}"),
            "remove_text": self.translator.pgettext("button", "Remove"),
            "max_length": MAX_STATEMENT_LENGTH,
            "confidence_choices": confidence_choices,
        }
        items = self.hypotheses or [blank]
        return {
            "items_html": mark_safe(  # noqa: S308  # markup escapes every value
                "".join(markup.hypothesis_item(options, index, index + 1, item) for index, item in enumerate(items))
            ),
            "item_template_html": mark_safe(markup.hypothesis_item(options, "__INDEX__", "", blank)),  # noqa: S308
            "submitted_hypotheses": [decorate(self, item) for item in submitted],
            "confidence_choices": confidence_choices,
            "verdict_choices": [(value, self.gettext(label)) for value, label in VERDICT_LABELS.items()],
            "max_statement_length": MAX_STATEMENT_LENGTH,
            "max_justification_length": MAX_JUSTIFICATION_LENGTH,
        }


def statement_changed(item):
    """Whether the working statement differs from the latest kept version."""
    if not item["versions"]:
        return True
    latest = item["versions"][-1]
    return any(latest.get(key) != item.get(key) for key in STATEMENT_KEYS + ("verdict", "justification"))


def add_version(item, kind, stamp):
    """Keep the current state of ``item`` as a new version."""
    if len(item["versions"]) >= MAX_VERSIONS:
        return
    version = {key: item.get(key) for key in STATEMENT_KEYS + ("verdict", "justification")}
    version.update(kind=kind, on=stamp)
    item["versions"].append(version)
    item["updated_on"] = stamp


def label_of(block, labels, key):
    """The translated label of ``key`` in ``labels``; "" for no value (never gettext(""))."""
    message = labels.get(key)
    return block.gettext(message) if message else ""


def decorate(block, item):
    """A submitted hypothesis with the labels its card shows; earlier versions newest first."""
    versions = [
        dict(
            version,
            kind_label=label_of(block, VERSION_LABELS, version.get("kind")),
            verdict_label=label_of(block, VERDICT_LABELS, version.get("verdict")),
            confidence_label=label_of(block, CONFIDENCE_LABELS, version.get("confidence")),
            on_label=block.format_date(version.get("on")),
        )
        for version in item["versions"]
    ]
    return dict(
        item,
        concluded_label=block.format_date(item["concluded_on"]) if item.get("concluded_on") else "",
        verdict_label=label_of(block, VERDICT_LABELS, item.get("verdict")),
        confidence_label=label_of(block, CONFIDENCE_LABELS, item.get("confidence")),
        earlier_versions=list(reversed(versions[:-1])),
    )
