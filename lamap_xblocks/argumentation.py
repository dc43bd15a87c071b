"""The argumentation step: a claim backed by evidence and reasoning, with its limits."""

from xblock.fields import Boolean, Dict, Integer, List, Scope, String
from xblock.scorable import Score
from xblock.validation import ValidationMessage

from . import dashboard, evidence, rubric, store, studio, verdicts
from . import validation as spec
from .base import InquiryStepBlock, _, display_name_field, json_api
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
MAX_PEER_REVIEWS = 5
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


class ArgumentationBlock(ClassBoardMixin, InquiryStepBlock):
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

    peer_reviews = Integer(
        display_name=_("Peer feedback: arguments each learner comments on"),
        help=_(
            "0 turns peer feedback off. Otherwise, after submitting, each learner comments on this many "
            "arguments of peers (anonymous) against the criteria, and reads the comments on their own. "
            "When too few peers have submitted, your example arguments fill in."
        ),
        scope=Scope.settings,
        default=0,
    )
    example_arguments = List(
        display_name=_("Example arguments for peer feedback"),
        help=_("Arguments learners comment on when too few peers have submitted yet. Write at least as many as above."),
        scope=Scope.content,
        default=[],
        item_label=_("Example argument"),
        add_label=_("Add an example argument"),
    )

    rubric = List(
        display_name=_("Rubric"),
        help=_(
            "Optional: a levelled rubric that grades the argument instead of completion. One row per level: "
            "the criterion, the level's name, its points and what it looks like. Rows of one criterion go "
            "together, from the lowest level to the highest. Learners score their own argument with it; "
            "peers score it when peer feedback is on; staff can score it and their score stands."
        ),
        scope=Scope.content,
        default=[],
        item_label=_("Rubric level"),
        add_label=_("Add a level"),
    )
    rubric_wait_days = Integer(
        display_name=_("Rubric: days to wait for peers"),
        help=_(
            "After this many days from a learner's first submission, their grade comes from the peer scores "
            "received, or else from their own assessment, so that nobody waits for ever."
        ),
        scope=Scope.settings,
        default=7,
    )

    claim = String(scope=Scope.user_state, default="", help="The learner's claim")
    self_scores = Dict(scope=Scope.user_state, default={}, help="The learner's own rubric scores: criterion -> level")
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
            peer_reviews=spec.Integer(_("Peer feedback: arguments each learner comments on"), 0, MAX_PEER_REVIEWS),
            example_arguments=spec.ListOf(
                _("Example arguments for peer feedback"),
                spec.Text(None, MAX_EXAMPLE),
                MAX_EXAMPLES,
                item_name="argument",
            ),
            rubric=rubric.rows_spec(),
            rubric_wait_days=spec.Integer(_("Rubric: days to wait for peers"), 1, 60),
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
        for message, values in rubric.problems(data.rubric):
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
            "self_scores": rubric.Scores(_("My assessment with the rubric"), rubric.parse(self.rubric)),
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
        if self.rubric and not rubric.is_complete(rubric.parse(self.rubric), work["self_scores"]):
            missing.append(("self_scores", self.gettext("Score your own argument on every criterion of the rubric.")))
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
        if self.rubric and self.uses_store():  # the fallback grade, kept where peers' and staff's scores are
            store.set_rubric_score(
                str(self.scope_ids.usage_id), self.learner, "self", scorer=self.learner, scores=work["self_scores"]
            )
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
            "rubric_form": rubric.form(self, f"{self.html_id}-self", self.self_scores) if self.rubric else [],
            "assessment": self.assessment(),
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

    # ----- grading with a rubric -------------------------------------------------------------

    def record_completion(self):
        if not (self.rubric and self.uses_store()):
            super().record_completion()
            return
        # The grade comes from the rubric once decided (rubric.publish), never from completion.
        if self.has_score:
            rubric.publish(self, self.learner)
        self.emit_completion(1.0 if self.is_complete() else 0.0)

    def calculate_score(self):
        if not (self.rubric and self.uses_store()):
            return super().calculate_score()
        result = rubric.decided(self, self.learner)
        earned = result["earned"] / result["possible"] if result["source"] and result["possible"] else 0.0
        return Score(raw_earned=round(earned, 4), raw_possible=1.0)

    def student_view(self, context=None):
        # A score given by peers or staff since the learner's last visit reaches the platform now.
        if self.rubric and self.has_score and self.submitted_on and self.uses_store():
            rubric.publish(self, self.learner)
        return super().student_view(context)

    def assessment(self):
        """The learner's rubric result (or why it is not decided yet), after their submission."""
        if not (self.rubric and self.submitted_on and self.uses_store()):
            return None
        return rubric.panel(self, rubric.decided(self, self.learner))

    def staff_context(self):
        context = super().staff_context()
        if context and self.rubric:  # staff score each submission with the rubric, from the panel
            given = store.staff_scores(str(self.scope_ids.usage_id), [row["learner_id"] for row in context["records"]])
            for number, row in enumerate(context["records"]):
                scores, comment = given.get(row["learner_id"], ({}, ""))
                row.update(rubric=rubric.form(self, f"{self.html_id}-staff-{number}", scores), staff_comment=comment)
        return context

    @json_api(staff=True)
    def score_with_rubric(self, data):
        """Staff only: score a learner's argument: ``{"learner": anonymous id, "scores": {...}, "comment": ""}``."""
        criteria = rubric.parse(self.rubric)
        request = spec.clean_request(
            {
                "learner": spec.Text(_("Learner"), 64, single_line=True),
                "scores": rubric.Scores(_("Scores"), criteria, complete=True),
                "comment": spec.Text(_("Your comment"), MAX_COMMENT),
            },
            data,
        )
        if not (criteria and self.uses_store()):
            raise spec.InputError(_("This step has no rubric to score with."))
        usage_id = str(self.scope_ids.usage_id)
        if not store.has_record(usage_id, request["learner"]):
            raise spec.InputError(_("No learner with this id has submitted this step."))
        store.set_rubric_score(
            usage_id,
            request["learner"],
            "staff",
            scorer=self.learner,
            scores=request["scores"],
            comment=request["comment"],
        )
        self.publish_event("scored_by_staff", {"learner": request["learner"], "scores": request["scores"]})
        rubric.publish(self, request["learner"])
        return {"message": self.gettext("Score saved. It is the learner's grade now.")}

    # ----- peer feedback -------------------------------------------------------------------

    def keeps_contributions(self):
        return bool(self.share_with_class or self.peer_reviews)

    def feedback_context(self, fields=None):
        return dict(super().feedback_context(fields), peer=self.peer_context())

    def peer_context(self):
        """The arguments to comment on and the comments received (after the learner's submission)."""
        if not (self.peer_reviews and self.submitted_on and self.uses_store()):
            return None
        usage_id = str(self.scope_ids.usage_id)
        assigned = store.assign_reviews(usage_id, self.learner, self.peer_reviews, self.example_arguments)
        reviews = []
        for number, review in enumerate(assigned, start=1):
            if review.contribution_id:
                text = review.contribution.text
            elif review.example is not None and review.example < len(self.example_arguments):
                text = self.example_arguments[review.example]
            else:
                continue
            reviews.append(
                {
                    "id": review.pk,
                    "number": number,
                    "text": text,
                    "comment": review.comment,
                    "criteria": [
                        {"index": index, "text": criterion, "checked": index in (review.criteria_met or [])}
                        for index, criterion in enumerate(self.peer_wording())
                    ],
                    "done": review.submitted is not None,
                    "rubric": rubric.form(self, f"{self.html_id}-review-{review.pk}", review.scores)
                    if self.rubric
                    else [],
                }
            )
        own = self.own_criteria()
        received = [
            {
                "comment": review["comment"],
                "met": [own[index] for index in review["criteria_met"] if index < len(own)],
                "levels": [
                    f"{criterion['name']}: {criterion['levels'][review['scores'][str(number)]]['name']}"
                    for number, criterion in enumerate(rubric.parse(self.rubric), start=1)
                    if rubric.is_complete(rubric.parse(self.rubric), review["scores"])
                ],
                "date": self.format_date(review["submitted"].isoformat()),
            }
            for review in store.reviews_received(usage_id, self.learner)
        ]
        return {"reviews": reviews, "received": received, "wanted": self.peer_reviews}

    @json_api
    def submit_peer_review(self, data):
        """
        Comments on one argument given to the learner: ``{"review": id, "criteria_met": [...],
        "comment": "", "scores": {...}}``; ``scores`` (against the rubric) is required when there is one.
        """
        criteria = rubric.parse(self.rubric)
        if isinstance(data, dict):  # pages from before rubrics send no scores
            data = {"scores": {}, **data}
        request = spec.clean_request(
            {
                "review": spec.Integer(_("Argument"), 1, 2**62),
                "criteria_met": spec.ListOf(
                    _("Criteria the argument meets"), spec.Integer(None, 0, MAX_CRITERIA - 1), MAX_CRITERIA, unique=True
                ),
                "comment": spec.Text(_("Your comment"), MAX_COMMENT),
                "scores": rubric.Scores(_("Your scores"), criteria, complete=bool(criteria)),
            },
            data,
        )
        if not (self.peer_reviews and self.submitted_on and self.uses_store()):
            raise spec.InputError(_("Peer feedback opens once you have submitted your own argument."))
        if any(index >= len(self.own_criteria()) for index in request["criteria_met"]):
            raise spec.InputError(_("The criteria you tick must be among the criteria shown."))
        if not request["comment"]:
            raise spec.InputError(_("Write a comment: what is convincing in this argument, and what could be better?"))
        reviewed = store.submit_review(
            str(self.scope_ids.usage_id),
            request["review"],
            self.learner,
            sorted(request["criteria_met"]),
            request["comment"],
            scores=request["scores"],
        )
        self.publish_event("peer_feedback_given", {"review": request["review"]})
        if criteria and reviewed and self.scored:  # the peer's grade may be decided now
            rubric.publish(self, reviewed)
        return {"message": self.gettext("Your feedback is sent. Thank you."), "feedback_html": self.render_feedback()}
