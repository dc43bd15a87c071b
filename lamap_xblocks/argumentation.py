"""The argumentation step: a claim backed by evidence and reasoning, with its limits."""

from xblock.fields import Boolean, Integer, List, Scope, String
from xblock.validation import ValidationMessage

from . import dashboard, evidence, peer_review, studio, verdicts
from . import rubric as rubrics
from . import validation as spec
from .base import InquiryStepBlock, _, display_name_field
from .hypothesis import CONFIDENCE_LABELS, VERDICT_LABELS
from .i18n import current_language
from .sharing import ClassBoardMixin

MAX_CLAIM = 1000
MAX_EVIDENCE_TEXT = 1000
MAX_EVIDENCE = 12
MAX_REASONING = 3000
MAX_LIMITATIONS = 2000
MAX_CRITERIA = 12
MAX_CRITERION = 300
MAX_VERDICT_REASON = 2000
MAX_EXAMPLES = 10
MAX_EXAMPLE = 3000
MAX_COMMENT = 2000
# What a good argument does, when the author gives no criteria: worded for the writer
# (their own checklist) and for a peer reading someone else's work.
DEFAULT_CRITERIA = (
    (_("My claim answers the investigation's question."), _("The claim answers the investigation's question.")),
    (
        _("My evidence comes from my own observations or measurements."),
        _("The evidence comes from their own observations or measurements."),
    ),
    (
        _("My reasoning explains how the evidence supports the claim."),
        _("The reasoning explains how the evidence supports the claim."),
    ),
    (_("I say what limits my conclusion."), _("They say what limits their conclusion.")),
)
VERDICT_FIELDS = ("hypothesis_verdict", "verdict_reason", "confidence_now")


class ArgumentationBlock(peer_review.AssessedWorkMixin, ClassBoardMixin, InquiryStepBlock):
    """
    A claim–evidence–reasoning scaffold: the learner states a claim, lists the evidence
    for it, explains how the evidence supports the claim, and says what limits the
    conclusion or what could be argued against it. Optional author criteria are shown
    as a checklist the learner ticks to review their argument.
    """

    STEP = "argumentation"
    PREVIOUS_STEP = "experiment"
    EARLIER_HEADING = _("Your experiment")
    EARLIER_MISSING = _(
        "You have not submitted the experiment step of this investigation yet. You can still "
        "argue from what you observed; once you submit your experiment, your results will be "
        "offered here as evidence to cite."
    )
    JS_CLASS = "LamapArgumentationBlock"
    WORK_FIELDS = (
        "claim",
        "evidence",
        "reasoning",
        "limitations",
        "criteria_checked",
        "hypothesis_verdict",
        "confidence_now",
        "verdict_reason",
        "self_scores",
    )

    display_name = display_name_field(_("Your argument"))

    criteria = List(
        display_name=_("Criteria"),
        help=_(
            "What a good argument does here, worded for the learner checking their own argument (for example: "
            '"My claim answers the question"). Left empty, four general criteria are used.'
        ),
        scope=Scope.content,
        default=[],
        item_label=_("Criterion"),
        add_label=_("Add a criterion"),
    )
    peer_criteria = List(
        display_name=_("Criteria as peers read them"),
        help=_(
            "Optional: the same criteria, in the same order, worded for a learner commenting on someone "
            'else\'s argument (for example: "The claim answers the question"). A criterion without one is '
            "shown to peers as written above."
        ),
        scope=Scope.content,
        default=[],
        item_label=_("Criterion"),
        add_label=_("Add a criterion as peers read it"),
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

    peer_reviews = peer_review.reviews_field(
        _("Peer feedback: arguments each learner comments on"),
        _(
            "0 turns peer feedback off. Otherwise, after submitting, each learner comments on this many "
            "arguments of peers (anonymous) against the criteria, and reads the comments on their own. "
            "When too few peers have submitted, your example arguments fill in."
        ),
    )
    example_arguments = List(
        display_name=_("Example arguments for peer feedback"),
        help=_("Arguments learners comment on when too few peers have submitted yet. Write at least as many as above."),
        scope=Scope.content,
        default=[],
        item_label=_("Example argument"),
        add_label=_("Add an example argument"),
    )

    rubric = rubrics.rubric_field(
        _(
            "Optional: a levelled rubric that grades the argument instead of completion. One row per level: "
            "the criterion, the level's name, its points and what it looks like. Rows of one criterion go "
            "together, from the lowest level to the highest. Learners score their own argument with it; "
            "peers score it when peer feedback is on; staff can score it and their score stands."
        )
    )
    rubric_wait_days = rubrics.wait_days_field()

    claim = String(scope=Scope.user_state, default="", help="The learner's claim")
    self_scores = rubrics.self_scores_field()
    evidence = List(
        scope=Scope.user_state,
        default=[],
        help='Evidence items: {"text": ..., "source": "" | "observations" | "row-N" (a row of the experiment)}',
    )
    hypothesis_verdict = String(
        scope=Scope.user_state, default="", help="supported, refuted or unsure: the tested hypothesis, in the end"
    )
    confidence_now = Integer(scope=Scope.user_state, default=None, help="Confidence in the hypothesis now, 1-4")
    verdict_reason = String(scope=Scope.user_state, default="", help="Why the confidence changed")
    verdict_on = String(scope=Scope.user_state, default=None, help="When the verdict was last changed here")
    reasoning = String(scope=Scope.user_state, default="", help="How the evidence supports the claim")
    limitations = String(scope=Scope.user_state, default="", help="Limits of the conclusion, or a counter-argument")
    criteria_checked = List(scope=Scope.user_state, default=[], help="Indexes of the criteria the learner ticked")

    editable_fields = (
        "display_name",
        "investigation",
        "investigation_name",
        "share_with_class",
        "prompt",
        "criteria",
        "peer_criteria",
        "min_evidence",
        "max_evidence",
        "require_limitations",
        "peer_reviews",
        "example_arguments",
        "rubric",
        "rubric_wait_days",
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
            peer_criteria=spec.ListOf(
                _("Criteria as peers read them"),
                spec.Text(None, MAX_CRITERION, single_line=True),
                MAX_CRITERIA,
                item_name="criterion",
            ),
            min_evidence=spec.Integer(_("Minimum number of pieces of evidence"), 0, MAX_EVIDENCE),
            max_evidence=spec.Integer(_("Maximum number of pieces of evidence"), 1, MAX_EVIDENCE),
            require_limitations=spec.Boolean(_("Require limitations or a counter-argument")),
            peer_reviews=spec.Integer(
                _("Peer feedback: arguments each learner comments on"), 0, peer_review.MAX_REVIEWS
            ),
            example_arguments=spec.ListOf(
                _("Example arguments for peer feedback"),
                spec.Text(None, MAX_EXAMPLE),
                MAX_EXAMPLES,
                item_name="argument",
            ),
            **rubrics.author_specs(),
        )

    def validate_field_data(self, validation, data):
        super().validate_field_data(validation, data)
        if data.min_evidence > data.max_evidence:
            studio.error(
                self,
                validation,
                _("The minimum number of pieces of evidence cannot be more than the maximum."),
                "min_evidence",
            )
        if any(not criterion.strip() for criterion in data.criteria):
            studio.error(self, validation, _("Remove the empty criteria."), "criteria")
        if len(data.peer_criteria) > max(len(data.criteria), 0 if data.criteria else len(DEFAULT_CRITERIA)):
            studio.error(
                self,
                validation,
                _("There are more criteria as peers read them than criteria: give each its pair."),
                "peer_criteria",
            )
        if any(not example.strip() for example in data.example_arguments):
            studio.error(self, validation, _("Remove the empty example arguments."), "example_arguments")
        for message, values in rubrics.problems(data.rubric):
            studio.error(self, validation, message, "rubric", **values)
        if data.peer_reviews and len(data.example_arguments) < data.peer_reviews:
            validation.add(
                ValidationMessage(
                    ValidationMessage.WARNING,
                    self.gettext(
                        "Peer feedback: write at least as many example arguments as arguments each learner "
                        "comments on, so that the first learners are not left waiting for peers."
                    ),
                )
            )

    def author_summary(self):
        return super().author_summary() + [
            (
                self.gettext("Evidence per learner"),
                self.gettext("from {minimum} to {maximum}").format(
                    minimum=self.min_evidence, maximum=self.max_evidence
                ),
            ),
            (
                self.gettext("Criteria"),
                str(len(self.criteria)) if self.criteria else self.gettext("The four general criteria"),
            ),
            (
                self.gettext("Peer feedback"),
                self.ngettext(
                    "{count} argument per learner", "{count} arguments per learner", self.peer_reviews
                ).format(count=self.peer_reviews)
                if self.peer_reviews
                else self.gettext("No"),
            ),
        ]

    def student_view_data(self, context=None):
        return dict(
            super().student_view_data(context),
            criteria=self.own_criteria(),
            peer_criteria=self.peer_wording(),
            min_evidence=self.min_evidence,
            max_evidence=self.max_evidence,
            require_limitations=self.require_limitations,
        )

    def own_criteria(self):
        """The criteria as the learner checks their own argument (the author's, else the general ones)."""
        if self.criteria:
            return list(self.criteria)
        return [self.gettext(own) for own, _peer in DEFAULT_CRITERIA]

    def peer_wording(self):
        """The same criteria worded for a peer reading someone else's argument."""
        if not self.criteria:
            return [self.gettext(peer) for _own, peer in DEFAULT_CRITERIA]
        return [
            (self.peer_criteria[index] if index < len(self.peer_criteria) and self.peer_criteria[index] else own)
            for index, own in enumerate(self.criteria)
        ]

    # ----- the learner's work -------------------------------------------------------------

    def work_specs(self):
        return {
            "claim": spec.Text(_("My claim"), MAX_CLAIM),
            "evidence": spec.ListOf(
                _("My evidence"),
                spec.Record(
                    None,
                    {
                        "text": spec.Text(_("Evidence"), MAX_EVIDENCE_TEXT),
                        "source": spec.Text(_("Where the evidence comes from"), 20, single_line=True),
                    },
                ),
                self.max_evidence,
            ),
            "hypothesis_verdict": spec.Choice(_("Is your hypothesis supported?"), VERDICT_LABELS),
            "confidence_now": spec.Integer(_("How sure are you now?"), 1, 4, allow_none=True),
            "verdict_reason": spec.Text(_("Why has your confidence changed?"), MAX_VERDICT_REASON),
            "reasoning": spec.Text(_("My reasoning"), MAX_REASONING),
            "limitations": spec.Text(_("Limitations or counter-argument"), MAX_LIMITATIONS),
            "criteria_checked": spec.ListOf(
                _("Criteria I meet"), spec.Integer(None, 0, MAX_CRITERIA - 1), MAX_CRITERIA, unique=True
            ),
            "self_scores": rubrics.Scores(_("My assessment with the rubric"), rubrics.parse(self.rubric)),
        }

    def clean_work(self, data):
        if isinstance(data, dict):  # clients from before investigations send fewer fields
            data = {"hypothesis_verdict": "", "confidence_now": None, "verdict_reason": "", "self_scores": {}, **data}
            if isinstance(data.get("evidence"), list):
                data["evidence"] = [
                    {"source": "", **item} if isinstance(item, dict) else item for item in data["evidence"]
                ]
        work = super().clean_work(data)
        rows = len(self.experiment_work().get("rows", []))
        for index, item in enumerate(work["evidence"]):
            if not evidence.source_is_valid(item["source"], rows):
                raise (
                    spec.InputError(
                        _("A cited piece of evidence must come from your experiment's observations or rows.")
                    )
                    .at(index)
                    .at("evidence")
                )
        if any(index >= len(self.own_criteria()) for index in work["criteria_checked"]):
            raise spec.InputError(_("The criteria you tick must be among the criteria shown."))
        work["criteria_checked"] = sorted(work["criteria_checked"])
        return work

    def missing_parts(self, work):
        missing = []
        if not work["claim"]:
            missing.append(("claim", self.gettext("State your claim.")))
        given = [item for item in work["evidence"] if item["text"]]
        if len(given) < self.min_evidence:
            missing.append(
                (
                    "evidence",
                    self.ngettext(
                        "Give at least {count} piece of evidence.",
                        "Give at least {count} pieces of evidence.",
                        self.min_evidence,
                    ).format(count=self.min_evidence),
                )
            )
        if not work["reasoning"]:
            missing.append(("reasoning", self.gettext("Explain how your evidence supports your claim.")))
        if self.require_limitations and not work["limitations"]:
            missing.append(
                ("limitations", self.gettext("Say what limits your conclusion, or what could be argued against it."))
            )
        missing.extend(rubrics.self_missing(self, work))
        tested = self.tested_hypothesis()
        if tested:
            if not work["hypothesis_verdict"]:
                missing.append(
                    ("hypothesis_verdict", self.gettext("Say whether your evidence supports your hypothesis."))
                )
            if (
                work["confidence_now"] is not None
                and tested.get("confidence") is not None
                and work["confidence_now"] != tested.get("confidence")
                and not work["verdict_reason"]
            ):
                missing.append(
                    ("verdict_reason", self.gettext("Your confidence in your hypothesis has changed: say why."))
                )
        return missing

    def feedback(self):
        if not self.submitted_on:
            return {}
        return {
            "unchecked_criteria": [
                criterion for index, criterion in enumerate(self.own_criteria()) if index not in self.criteria_checked
            ]
        }

    # ----- one verdict: the hypothesis's, shared with the hypothesis step ----------------------

    def recorded_conclusion(self):
        """The conclusion on the tested hypothesis recorded in the store (cached for the request)."""
        cache = self.__dict__
        if "_conclusion" not in cache:
            tested = self.tested_hypothesis()
            record = verdicts.hypothesis_record(self) if tested else None
            cache["_conclusion"] = verdicts.conclusion(record, tested.get("id")) if record else None
        return cache["_conclusion"]

    def current_work(self):
        """The work, with the verdict given since in the hypothesis step when it is newer than ours."""
        work = super().current_work()
        found = self.recorded_conclusion()
        if verdicts.newer(found, self.verdict_on):
            work.update(
                hypothesis_verdict=found["verdict"],
                verdict_reason=found["justification"],
                confidence_now=found["confidence"],
            )
        return work

    def store_work(self, work, submitting):
        if any(work[name] != getattr(self, name) for name in VERDICT_FIELDS) or (
            verdicts.newer(self.recorded_conclusion(), self.verdict_on)
        ):
            self.verdict_on = verdicts.stamp_now()
        super().store_work(work, submitting)
        self.__dict__.pop("_conclusion", None)

    def share_work(self, work, kind):
        super().share_work(work, kind)
        rubrics.keep_self_assessment(self, work)
        tested = self.tested_hypothesis()
        if tested and tested.get("id") and self.uses_store():
            # The verdict is the hypothesis's own: recorded there as a revisit.
            verdicts.record_conclusion(
                self, tested["id"], work["hypothesis_verdict"], work["verdict_reason"], work["confidence_now"]
            )
            self.verdict_on = verdicts.stamp_now()  # the argument's verdict is now the latest word
            self.__dict__.pop("_conclusion", None)

    def student_context(self):
        tested = self.tested_hypothesis()
        found = self.recorded_conclusion()
        return {
            "evidence_items": self.evidence or [{"text": "", "source": ""}],
            "blank_evidence": {"text": "", "source": ""},
            "criteria": [
                {"index": index, "text": criterion, "checked": index in self.criteria_checked}
                for index, criterion in enumerate(self.own_criteria())
            ]
            if not self.rubric  # a rubric is the learner's checklist then
            else [],
            "verdict_shared": bool(found),
            "rubric_self": rubrics.self_form(
                self,
                _("Score your own argument with the rubric"),
                _(
                    "For each criterion, choose the level your argument reaches. Your peers and the course staff "
                    "score it with the same rubric."
                ),
            ),
            "assessment": rubrics.assessment(self),
            "citations": self.citations(),
            "tested": tested,
            "verdict_choices": [(value, self.gettext(label)) for value, label in VERDICT_LABELS.items()],
            "confidence_choices": [(value, self.gettext(label)) for value, label in CONFIDENCE_LABELS.items()],
            "confidence_before": self.gettext(CONFIDENCE_LABELS[tested["confidence"]])
            if tested and tested.get("confidence") in CONFIDENCE_LABELS
            else "",
            "max_claim": MAX_CLAIM,
            "max_evidence_text": MAX_EVIDENCE_TEXT,
            "max_reasoning": MAX_REASONING,
            "max_limitations": MAX_LIMITATIONS,
            "max_verdict_reason": MAX_VERDICT_REASON,
            "max_comment": MAX_COMMENT,
        }

    # ----- the investigation ---------------------------------------------------------------

    def experiment_work(self):
        record = self.earlier_record()
        return record.work if record else {}

    def tested_hypothesis(self):
        """The hypothesis the experiment tested, else the learner's first one; None without either."""
        tested = self.experiment_work().get("tested")
        if tested:
            return tested
        record = self.earlier_record("hypothesis")
        hypotheses = record.work.get("hypotheses", []) if record else []
        return hypotheses[0] if hypotheses else None

    def citations(self):
        """What the learner recorded in the experiment, offered as evidence to cite; the class's data too."""
        offers = evidence.citations(self.experiment_work(), self.gettext, current_language())
        class_data = self.class_data()
        return [*offers, class_data] if class_data else offers

    def class_data(self):
        """The other learners' results in words, when the experiment shares them and enough have submitted."""
        pool_setting = self.experiment_work().get("pool") or {}
        if not (pool_setting.get("on") and self.investigation and self.uses_store()):
            return None
        pool = dashboard.pooled(self.course_key, self.investigation, exclude=self.learner)
        if not pool or pool["learners"] < pool_setting.get("minimum", 3) or not pool["rows"]:
            return None
        chart = dashboard.pooled_chart(pool, self.translator, current_language())
        summary = chart.get("empty") or f"{chart['title']}. {chart['desc']}"
        text = self.ngettext(
            "The class's results ({count} other learner): {summary}",
            "The class's results ({count} other learners): {summary}",
            pool["learners"],
        ).format(count=pool["learners"], summary=summary)
        return {"source": "class", "label": self.gettext("Class data"), "text": text}

    def earlier_parts(self, record):
        from .experiment import ExperimentBlock

        wanted = (self.gettext("The hypothesis I test"), self.gettext("My prediction"))
        return [part for part in ExperimentBlock.summary(record.work, self.gettext) if part["label"] in wanted]

    def record_work(self, work):
        return dict(work, tested=self.tested_hypothesis(), criteria=self.own_criteria())

    def contribution_text(self, work):
        return "\n".join(part for part in (work["claim"], work["reasoning"]) if part)

    @classmethod
    def summary(cls, work, gettext):
        verdict = VERDICT_LABELS.get(work.get("hypothesis_verdict") or "")
        tested = work.get("tested") or {}
        confidence = CONFIDENCE_LABELS.get(work.get("confidence_now"))
        return [
            {"label": gettext("My claim"), "text": work.get("claim", "")},
            {
                "label": gettext("My evidence"),
                "list": [item["text"] for item in work.get("evidence", []) if item.get("text")],
            },
            {"label": gettext("My reasoning"), "text": work.get("reasoning", "")},
            {"label": gettext("Limitations or counter-argument"), "text": work.get("limitations", "")},
            {
                "label": gettext("Is your hypothesis supported?"),
                "text": f"{tested.get('idea', '')} — {gettext(verdict)}".strip(" —") if verdict else "",
            },
            {"label": gettext("How sure are you now?"), "text": gettext(confidence) if confidence else ""},
            {"label": gettext("Why has your confidence changed?"), "text": work.get("verdict_reason", "")},
        ]

    # ----- grading with a rubric and peer feedback (peer_review.AssessedWorkMixin) -------------

    PEER_WORDS = {
        "noun": _("Argument"),
        "item": _("Argument {number}"),
        "checklist": _("Which criteria does this argument meet?"),
        "score": _("Score this argument with the rubric"),
        "comment": _("Your comment: what convinces you, and what could be better?"),
        "none": _("No argument to comment on yet: come back later."),
        "received": _("Feedback on your argument"),
        "none_received": _("No feedback yet. Your argument is given to other learners as they submit theirs."),
        "closed": _("Peer feedback opens once you have submitted your own argument."),
        "comment_missing": _("Write a comment: what is convincing in this argument, and what could be better?"),
    }

    def keeps_contributions(self):
        return bool(self.share_with_class or self.peer_reviews)

    def peer_intro(self, count):
        return self.ngettext(
            "Read {count} argument by another learner (anonymous) and comment on it against the criteria.",
            "Read {count} arguments by other learners (anonymous) and comment on each against the criteria.",
            count,
        ).format(count=count)

    def peer_checklist(self):
        return self.peer_wording()

    def own_checklist(self):
        return self.own_criteria()

    def peer_examples(self):
        return list(self.example_arguments)
