"""The question step: from a starting situation to the question the learner will investigate."""

from xblock.fields import Integer, List, Scope, String
from xblock.validation import ValidationMessage

from . import validation as spec
from .base import InquiryStepBlock, _, display_name_field
from .sharing import ClassBoardMixin
from .text import is_safe_url, is_video_file, render_markdown

MAX_QUESTIONS = 10
MAX_QUESTION_LENGTH = 500
MAX_REASON_LENGTH = 2000
MAX_REFERENCE_QUESTIONS = 20
MAX_SITUATION_LENGTH = 20000
MAX_URL_LENGTH = 2000
MAX_ALT_LENGTH = 500

TESTABLE_LABELS = {
    "yes": _("Yes, an experiment could answer it"),
    "no": _("No, it needs another kind of research (documents, an expert, long observation)"),
    "unsure": _("I am not sure yet"),
}


class QuestionBlock(ClassBoardMixin, InquiryStepBlock):
    """
    The learner reads a starting situation, writes the questions it raises, picks the
    one to investigate and says whether an experiment could answer it. Reference
    questions from the author are revealed after submission, for comparison.
    """

    STEP = "question"
    JS_CLASS = "LamapQuestionBlock"
    WORK_FIELDS = ("questions", "chosen_question", "testable", "testable_reason")
    ELEMENT_FIELDS = ("prompt", "situation")

    display_name = display_name_field(_("Asking questions"))

    situation = String(
        display_name=_("Starting situation"),
        help=_("The situation that starts the investigation, in Markdown."),
        scope=Scope.content,
        default="",
        multiline_editor=True,
        editor="markdown",
        xml_node=True,
    )
    image_url = String(
        display_name=_("Image"),
        help=_("Optional picture of the situation: a /static/ path or a web address (http:// or https://)."),
        scope=Scope.content,
        default="",
        editor="url",
    )
    image_alt = String(
        display_name=_("Image description (alt text)"),
        help=_("What the picture shows, for learners who cannot see it. Required with an image."),
        scope=Scope.content,
        default="",
    )
    video_url = String(
        display_name=_("Video"),
        help=_(
            "Optional video of the situation. A video file (.mp4, .webm, .ogg, .ogv) plays in the page; "
            "any other address is shown as a link."
        ),
        scope=Scope.content,
        default="",
        editor="url",
    )
    reference_questions = List(
        display_name=_("Reference questions"),
        help=_("Questions an experienced teacher might ask. Learners see them after they submit, to compare."),
        scope=Scope.content,
        default=[],
        item_label=_("Reference question"),
        add_label=_("Add a reference question"),
    )
    min_questions = Integer(
        display_name=_("Minimum number of questions"),
        help=_("How many questions a learner writes before submitting."),
        scope=Scope.settings,
        default=1,
    )

    questions = List(scope=Scope.user_state, default=[], help="The learner's questions, in their order")
    chosen_question = Integer(scope=Scope.user_state, default=None, help="Index of the question to investigate")
    testable = String(scope=Scope.user_state, default="", help="yes, no or unsure: could an experiment answer it")
    testable_reason = String(scope=Scope.user_state, default="", help="How an experiment could answer it, or why not")

    editable_fields = (
        "display_name",
        "investigation",
        "investigation_name",
        "share_with_class",
        "prompt",
        "situation",
        "image_url",
        "image_alt",
        "video_url",
        "reference_questions",
        "min_questions",
        "scored",
        "weight",
    )

    @staticmethod
    def workbench_scenarios():
        from .scenarios import question_scenarios  # pylint: disable=import-outside-toplevel

        return question_scenarios()

    # ----- authoring -------------------------------------------------------------------

    def author_specs(self):
        return dict(
            super().author_specs(),
            situation=spec.Text(_("Starting situation"), MAX_SITUATION_LENGTH),
            image_url=spec.Url(_("Image"), MAX_URL_LENGTH, file=True),
            image_alt=spec.Text(_("Image description (alt text)"), MAX_ALT_LENGTH, single_line=True),
            video_url=spec.Url(_("Video"), MAX_URL_LENGTH, file=True),
            reference_questions=spec.ListOf(
                _("Reference questions"),
                spec.Text(None, MAX_QUESTION_LENGTH, single_line=True),
                MAX_REFERENCE_QUESTIONS,
                item_name="question",
            ),
            min_questions=spec.Integer(_("Minimum number of questions"), 1, MAX_QUESTIONS),
        )

    def validate_field_data(self, validation, data):
        super().validate_field_data(validation, data)
        if data.image_url and not data.image_alt:
            validation.add(
                ValidationMessage(
                    ValidationMessage.ERROR,
                    self.gettext("Describe the image in its alt text, for learners who cannot see it."),
                )
            )
        if any(not question.strip() for question in data.reference_questions):
            validation.add(
                ValidationMessage(ValidationMessage.ERROR, self.gettext("Remove the empty reference questions."))
            )
        if not (data.situation or "").strip():
            validation.add(
                ValidationMessage(
                    ValidationMessage.WARNING,
                    self.gettext("There is no starting situation yet: learners need one to ask questions about."),
                )
            )

    def author_summary(self):
        count = len(self.reference_questions)
        return super().author_summary() + [
            (self.gettext("Minimum number of questions"), str(self.min_questions)),
            (
                self.gettext("Reference questions"),
                self.ngettext(
                    "{count} question, shown after submission", "{count} questions, shown after submission", count
                ).format(count=count)
                if count
                else self.gettext("None"),
            ),
        ]

    def student_view_data(self, context=None):
        return dict(
            super().student_view_data(context),
            situation=self.situation,
            situation_html=render_markdown(self.situation),
            image_url=self.image_url,
            image_alt=self.image_alt,
            video_url=self.video_url,
            min_questions=self.min_questions,
            max_questions=MAX_QUESTIONS,
            has_reference_questions=bool(self.reference_questions),
        )

    # ----- the learner's work -------------------------------------------------------------

    def work_specs(self):
        return {
            "questions": spec.ListOf(_("Your questions"), spec.Text(None, MAX_QUESTION_LENGTH), MAX_QUESTIONS),
            "chosen_question": spec.Integer(_("The question you choose"), 0, MAX_QUESTIONS - 1, allow_none=True),
            "testable": spec.Choice(_("Could an experiment answer it?"), TESTABLE_LABELS),
            "testable_reason": spec.Text(_("How, or why not?"), MAX_REASON_LENGTH),
        }

    def clean_work(self, data):
        work = super().clean_work(data)
        chosen = work["chosen_question"]
        if chosen is not None and chosen >= len(work["questions"]):
            raise spec.InputError(_("The question you choose must be one of your questions."))
        return work

    def missing_parts(self, work):
        missing = []
        written = [question for question in work["questions"] if question]
        if len(written) < self.min_questions:
            missing.append(
                self.ngettext(
                    "Write at least {count} question.", "Write at least {count} questions.", self.min_questions
                ).format(count=self.min_questions)
            )
        chosen = work["chosen_question"]
        if chosen is None or not work["questions"][chosen]:
            missing.append(self.gettext("Choose the question you want to investigate."))
        if not work["testable"]:
            missing.append(self.gettext("Say whether an experiment could answer your chosen question."))
        return missing

    def feedback(self):
        if not self.submitted_on:
            return {}
        return {"reference_questions": list(self.reference_questions)}

    # ----- the investigation: what later steps, the notebook and the class see ----------------

    @staticmethod
    def chosen_text(work):
        chosen = work.get("chosen_question")
        questions = work.get("questions") or []
        return questions[chosen] if isinstance(chosen, int) and 0 <= chosen < len(questions) else ""

    def contribution_text(self, work):
        return self.chosen_text(work)

    @classmethod
    def summary(cls, work, gettext):
        testable = TESTABLE_LABELS.get(work.get("testable") or "")
        return [
            {
                "label": gettext("My questions"),
                "list": [question for question in work.get("questions", []) if question],
            },
            {"label": gettext("The question I chose to investigate"), "text": cls.chosen_text(work)},
            {"label": gettext("Could an experiment answer it?"), "text": gettext(testable) if testable else ""},
            {"label": gettext("How, or why not?"), "text": work.get("testable_reason", "")},
        ]

    def feedback_fields(self):
        # The reply to a submission: not the situation's Markdown, which the feedback never shows.
        return {"reference_questions": self.feedback().get("reference_questions", [])}

    def student_context(self):
        # URLs are checked when saved; checked again here in case stored data predates that.
        return {
            "situation_html": render_markdown(self.situation),
            "image_url": self.image_url if is_safe_url(self.image_url) else "",
            "video_url": self.video_url if is_safe_url(self.video_url) else "",
            "video_is_file": is_video_file(self.video_url),
            "questions": self.questions or [""],
            "reference_questions": self.feedback().get("reference_questions", []),
            "testable_choices": [(value, self.gettext(label)) for value, label in TESTABLE_LABELS.items()],
            "max_questions": MAX_QUESTIONS,
            "max_question_length": MAX_QUESTION_LENGTH,
            "max_reason_length": MAX_REASON_LENGTH,
        }
