"""The argumentation step: a claim backed by evidence and reasoning, with its limits."""

from xblock.fields import Boolean, Integer, List, Scope, String
from xblock.validation import ValidationMessage

from . import validation as spec
from .base import InquiryStepBlock, _, display_name_field

MAX_CLAIM = 1000
MAX_EVIDENCE_TEXT = 1000
MAX_EVIDENCE = 12
MAX_REASONING = 3000
MAX_LIMITATIONS = 2000
MAX_CRITERIA = 12
MAX_CRITERION = 300


class ArgumentationBlock(InquiryStepBlock):
    """
    A claim–evidence–reasoning scaffold: the learner states a claim, lists the evidence
    for it, explains how the evidence supports the claim, and says what limits the
    conclusion or what could be argued against it. Optional author criteria are shown
    as a checklist the learner ticks to review their argument.
    """

    STEP = "argumentation"
    JS_CLASS = "LamapArgumentationBlock"
    WORK_FIELDS = ("claim", "evidence", "reasoning", "limitations", "criteria_checked")

    display_name = display_name_field(_("Your argument"))

    criteria = List(
        display_name=_("Criteria"),
        help=_(
            "What a good argument does here, shown to learners as a checklist (for example: "
            '"The claim answers the question").'
        ),
        scope=Scope.content,
        default=[],
        item_label=_("Criterion"),
    )
    min_evidence = Integer(
        display_name=_("Minimum number of pieces of evidence"),
        help=_("How many pieces of evidence a learner gives before submitting."),
        scope=Scope.settings,
        default=1,
    )
    max_evidence = Integer(
        display_name=_("Maximum number of pieces of evidence"),
        help=_("How many pieces of evidence a learner may give at most."),
        scope=Scope.settings,
        default=6,
    )
    require_limitations = Boolean(
        display_name=_("Require limitations or a counter-argument"),
        help=_("When checked, learners must say what limits their conclusion before they submit."),
        scope=Scope.settings,
        default=False,
    )

    claim = String(scope=Scope.user_state, default="", help="The learner's claim")
    evidence = List(scope=Scope.user_state, default=[], help='Evidence items: {"text": ...}')
    reasoning = String(scope=Scope.user_state, default="", help="How the evidence supports the claim")
    limitations = String(scope=Scope.user_state, default="", help="Limits of the conclusion, or a counter-argument")
    criteria_checked = List(scope=Scope.user_state, default=[], help="Indexes of the criteria the learner ticked")

    editable_fields = (
        "display_name",
        "prompt",
        "criteria",
        "min_evidence",
        "max_evidence",
        "require_limitations",
        "scored",
        "weight",
    )

    @staticmethod
    def workbench_scenarios():
        from .scenarios import argumentation_scenarios  # pylint: disable=import-outside-toplevel

        return argumentation_scenarios()

    # ----- authoring -------------------------------------------------------------------

    def author_specs(self):
        return dict(
            super().author_specs(),
            criteria=spec.ListOf(
                _("Criteria"), spec.Text(None, MAX_CRITERION, single_line=True), MAX_CRITERIA, item_name="criterion"
            ),
            min_evidence=spec.Integer(_("Minimum number of pieces of evidence"), 0, MAX_EVIDENCE),
            max_evidence=spec.Integer(_("Maximum number of pieces of evidence"), 1, MAX_EVIDENCE),
            require_limitations=spec.Boolean(_("Require limitations or a counter-argument")),
        )

    def validate_field_data(self, validation, data):
        super().validate_field_data(validation, data)
        if data.min_evidence > data.max_evidence:
            validation.add(
                ValidationMessage(
                    ValidationMessage.ERROR,
                    self.gettext("The minimum number of pieces of evidence cannot be more than the maximum."),
                )
            )
        if any(not criterion.strip() for criterion in data.criteria):
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext("Remove the empty criteria.")))

    def author_summary(self):
        return super().author_summary() + [
            (
                self.gettext("Evidence per learner"),
                self.gettext("from {minimum} to {maximum}").format(
                    minimum=self.min_evidence, maximum=self.max_evidence
                ),
            ),
            (self.gettext("Criteria"), str(len(self.criteria))),
        ]

    def student_view_data(self, context=None):
        return dict(
            super().student_view_data(context),
            criteria=self.criteria,
            min_evidence=self.min_evidence,
            max_evidence=self.max_evidence,
            require_limitations=self.require_limitations,
        )

    # ----- the learner's work -------------------------------------------------------------

    def work_specs(self):
        return {
            "claim": spec.Text(_("My claim"), MAX_CLAIM),
            "evidence": spec.ListOf(
                _("My evidence"),
                spec.Record(None, {"text": spec.Text(_("Evidence"), MAX_EVIDENCE_TEXT)}),
                self.max_evidence,
            ),
            "reasoning": spec.Text(_("My reasoning"), MAX_REASONING),
            "limitations": spec.Text(_("Limitations or counter-argument"), MAX_LIMITATIONS),
            "criteria_checked": spec.ListOf(
                _("Criteria I meet"), spec.Integer(None, 0, MAX_CRITERIA - 1), MAX_CRITERIA, unique=True
            ),
        }

    def clean_work(self, data):
        work = super().clean_work(data)
        if any(index >= len(self.criteria) for index in work["criteria_checked"]):
            raise spec.InputError(_("The criteria you tick must be among the criteria shown."))
        work["criteria_checked"] = sorted(work["criteria_checked"])
        return work

    def missing_parts(self, work):
        missing = []
        if not work["claim"]:
            missing.append(self.gettext("State your claim."))
        given = [item for item in work["evidence"] if item["text"]]
        if len(given) < self.min_evidence:
            missing.append(
                self.ngettext(
                    "Give at least {count} piece of evidence.",
                    "Give at least {count} pieces of evidence.",
                    self.min_evidence,
                ).format(count=self.min_evidence)
            )
        if not work["reasoning"]:
            missing.append(self.gettext("Explain how your evidence supports your claim."))
        if self.require_limitations and not work["limitations"]:
            missing.append(self.gettext("Say what limits your conclusion, or what could be argued against it."))
        return missing

    def feedback(self):
        if not self.submitted_on or not self.criteria:
            return {}
        return {
            "unchecked_criteria": [
                criterion for index, criterion in enumerate(self.criteria) if index not in self.criteria_checked
            ]
        }

    def student_context(self):
        return {
            "evidence_values": [item.get("text", "") for item in self.evidence] or [""],
            "criteria": [
                {"index": index, "text": criterion, "checked": index in self.criteria_checked}
                for index, criterion in enumerate(self.criteria)
            ],
            "max_claim": MAX_CLAIM,
            "max_evidence_text": MAX_EVIDENCE_TEXT,
            "max_reasoning": MAX_REASONING,
            "max_limitations": MAX_LIMITATIONS,
        }
