"""
The analysis block: a trainer analyses a piece of practice (a pupil's notebook page, a
classroom dialogue, a filmed lesson), marks parts of it against the author's criteria,
writes feedback to the pupil or teacher, judges the work, then compares with an expert's
analysis and with where the class's marks fall. The logic is in annotations.py; an
optional rubric grades the analysis (rubric.py), scored by peers (peer_review.py) or staff.
"""

from xblock.fields import Boolean, Dict, Integer, List, Scope, String
from xblock.validation import ValidationMessage

from . import annotations, dates, peer_review, store, studio
from . import rubric as rubrics
from . import validation as spec
from .base import InquiryStepBlock, _, display_name_field, summary_as_text
from .i18n import current_language
from .text import is_safe_url, is_video_file, render_markdown

MAX_CRITERIA = 12
MAX_CRITERION_LENGTH = 200
MAX_MARKS = 30
MAX_COMMENT_LENGTH = 2000
MAX_FEEDBACK_LENGTH = 5000
MAX_EXPERT_MARKS = 30
MAX_TEXT_LENGTH = 20000
MAX_TRANSCRIPT_LENGTH = 60000
MAX_URL_LENGTH = 2000
MAX_ALT_LENGTH = 2000
MAX_OVERVIEW = 5000  # learners counted in staff's overview (a MOOC's class rarely has more on one block)


class AnalysisBlock(peer_review.AssessedWorkMixin, InquiryStepBlock):
    """
    Analyse a piece of practice: marks on an artefact, each with a criterion and a comment;
    feedback to the pupil or the teacher; a judgement per criterion; then the expert's
    analysis and the class's marks, after submitting.
    """

    STEP = "analysis"
    JS_CLASS = "LamapAnalysisBlock"
    WORK_FIELDS = ("marks", "written_feedback", "judgements", "overall", "self_scores")
    ELEMENT_FIELDS = ("prompt", "transcript", "image_alt", "expert_commentary")

    display_name = display_name_field(_("Analysing practice"))

    artefact_kind = String(
        display_name=_("What learners analyse"),
        help=_("A transcript (numbered lines), an image, or a video with its time-coded transcript."),
        scope=Scope.content,
        default="transcript",
    )
    artefact_title = String(
        display_name=_("Title of the piece of practice"),
        help=_("For example “Maya's notebook page” or “The class discusses its results”."),
        scope=Scope.content,
        default="",
    )
    image_url = String(
        display_name=_("Image"),
        help=_("The image to analyse: a /static/ path or a web address (https://)."),
        scope=Scope.content,
        default="",
        editor="url",
    )
    image_alt = String(
        display_name=_("Image description (text alternative)"),
        help=_(
            "Everything a learner who cannot see the image needs to analyse it: what is written and drawn, "
            "where. Required with an image."
        ),
        scope=Scope.content,
        default="",
        multiline_editor=True,
        xml_node=True,
    )
    video_url = String(
        display_name=_("Video"),
        help=_("A video file (.mp4, .webm, .ogg): a /static/ path or a web address (https://)."),
        scope=Scope.content,
        default="",
        editor="url",
    )
    transcript = String(
        display_name=_("Transcript"),
        help=_(
            "One line of speech per line: “Teacher: Why do you think so?”. For a video, start each line with "
            "its time: “[1:05] Teacher: Why do you think so?”. Required with a transcript or a video."
        ),
        scope=Scope.content,
        default="",
        multiline_editor=True,
        xml_node=True,
    )
    criteria = List(
        display_name=_("Criteria"),
        help=_(
            "What learners look for, each attached to their marks and judged at the end: for example "
            "“A productive question (principle 2)”."
        ),
        scope=Scope.content,
        default=[],
        item_label=_("Criterion"),
        add_label=_("Add a criterion"),
    )
    min_marks = Integer(
        display_name=_("Minimum number of marks"),
        help=_("How many parts of the artefact a learner marks before submitting."),
        scope=Scope.settings,
        default=2,
    )
    feedback_prompt = String(
        display_name=_("Feedback prompt"),
        help=_("What learners write to the pupil or the teacher, for example “Write to Maya about her page.”"),
        scope=Scope.content,
        default="",
    )
    expert_marks = List(
        display_name=_("Expert analysis: marks"),
        help=_(
            "The expert's marks, shown after submission: the part (lines “3-5”, a moment “0:45-1:10”, or a "
            "region “x,y,width,height” in % of the image), the criterion's number in the list above, a comment."
        ),
        scope=Scope.content,
        default=[],
        item_label=_("Expert mark"),
        add_label=_("Add an expert mark"),
    )
    expert_commentary = String(
        display_name=_("Expert analysis: commentary"),
        help=_("The expert's overall analysis, in Markdown, shown after submission."),
        scope=Scope.content,
        default="",
        multiline_editor=True,
        editor="markdown",
        xml_node=True,
    )
    share_annotations = Boolean(
        display_name=_("Show the class's marks"),
        help=_(
            "When checked, learners who have submitted see where the other learners' marks fall on the "
            "artefact, counted anonymously."
        ),
        scope=Scope.settings,
        default=False,
    )
    peer_reviews = peer_review.reviews_field(
        _("Peer feedback: analyses each learner comments on"),
        _(
            "0 turns peer feedback off. Otherwise, after submitting, each learner reads this many analyses of "
            "peers (anonymous), comments on them and, with a rubric, scores them; and reads the comments on "
            "their own."
        ),
    )
    rubric = rubrics.rubric_field(
        _(
            "Optional: a levelled rubric that grades the analysis instead of completion. One row per level: "
            "the criterion, the level's name, its points and what it looks like. Rows of one criterion go "
            "together, from the lowest level to the highest. Learners score their own analysis with it; "
            "peers score it when peer feedback is on; staff can score it and their score stands."
        )
    )
    rubric_wait_days = rubrics.wait_days_field()

    marks = List(
        scope=Scope.user_state, default=[], help="The learner's marks: target (see annotations.py), criterion, comment"
    )
    written_feedback = String(
        scope=Scope.user_state, default="", help="What the learner writes to the pupil or teacher"
    )
    judgements = Dict(scope=Scope.user_state, default={}, help="Criterion number (from 1, as text) -> level")
    overall = String(scope=Scope.user_state, default="", help="The learner's overall judgement")
    self_scores = rubrics.self_scores_field()

    editable_fields = (
        "display_name",
        "investigation",
        "investigation_name",
        "prompt",
        "artefact_kind",
        "artefact_title",
        "image_url",
        "image_alt",
        "video_url",
        "transcript",
        "criteria",
        "min_marks",
        "feedback_prompt",
        "expert_marks",
        "expert_commentary",
        "share_annotations",
        "peer_reviews",
        "rubric",
        "rubric_wait_days",
        "scored",
        "weight",
    )

    @staticmethod
    def workbench_scenarios():
        from .scenarios import analysis_scenarios  # pylint: disable=import-outside-toplevel

        return analysis_scenarios()

    # ----- the artefact ---------------------------------------------------------------------

    def transcript_lines(self):
        """The transcript's lines, each speaker written as the language writes it ("Sam:", "Sam :")."""
        key = (self.transcript, current_language())
        cache = self.__dict__.setdefault("_lines", {})
        if key not in cache:
            cache.clear()
            cache[key] = [
                dict(line, speaker_label=self.gettext("{speaker}:").format(speaker=line["speaker"]))
                for line in annotations.parse_transcript(self.transcript)
            ]
        return cache[key]

    def uses_transcript(self):
        return self.artefact_kind in ("transcript", "video")

    def expert(self):
        """The expert's marks with their targets read (marks that cannot be read are left out)."""
        marks = []
        for mark in self.expert_marks:
            try:
                target = annotations.parse_target(self.artefact_kind, mark.get("target", ""))
                criterion = int(mark.get("criterion") or 0) - 1
            except (TypeError, ValueError):
                continue
            marks.append({"target": target, "criterion": criterion, "comment": mark.get("comment", "")})
        return marks

    # ----- authoring ------------------------------------------------------------------------

    def author_specs(self):
        return dict(
            super().author_specs(),
            artefact_kind=spec.Choice(_("What learners analyse"), annotations.KINDS, allow_blank=False),
            artefact_title=spec.Text(_("Title of the piece of practice"), 200, single_line=True),
            image_url=spec.Url(_("Image"), MAX_URL_LENGTH, file=True),
            image_alt=spec.Text(_("Image description (text alternative)"), MAX_ALT_LENGTH),
            video_url=spec.Url(_("Video"), MAX_URL_LENGTH, file=True),
            transcript=spec.Text(_("Transcript"), MAX_TRANSCRIPT_LENGTH),
            criteria=spec.ListOf(
                _("Criteria"),
                spec.Text(None, MAX_CRITERION_LENGTH, single_line=True),
                MAX_CRITERIA,
                item_name="criterion",
            ),
            min_marks=spec.Integer(_("Minimum number of marks"), 1, MAX_MARKS),
            feedback_prompt=spec.Text(_("Feedback prompt"), 500, single_line=True),
            expert_marks=spec.ListOf(
                _("Expert analysis: marks"),
                spec.Record(
                    _("Expert mark"),
                    {
                        "target": spec.Text(_("Part"), 60, single_line=True),
                        "criterion": spec.Text(_("Criterion number"), 3, single_line=True),
                        "comment": spec.Text(_("Comment"), MAX_COMMENT_LENGTH, single_line=True),
                    },
                ),
                MAX_EXPERT_MARKS,
                item_name="mark",
            ),
            expert_commentary=spec.Text(_("Expert analysis: commentary"), MAX_TEXT_LENGTH),
            share_annotations=spec.Boolean(_("Show the class's marks")),
            peer_reviews=spec.Integer(
                _("Peer feedback: analyses each learner comments on"), 0, peer_review.MAX_REVIEWS
            ),
            **rubrics.author_specs(),
        )

    def validate_field_data(self, validation, data):
        super().validate_field_data(validation, data)

        def error(message, **values):
            validation.add(ValidationMessage(ValidationMessage.ERROR, self.gettext(message).format(**values)))

        kind = data.artefact_kind
        lines = annotations.parse_transcript(data.transcript)
        if kind == "image":
            if not data.image_url:
                error(_("Give the image to analyse."))
            if not (data.image_alt or "").strip():
                error(_("Describe the image in its text alternative, for learners who cannot see it."))
        if kind == "video" and not data.video_url:
            error(_("Give the video to analyse."))
        if kind in ("transcript", "video") and not lines:
            error(_("Write the transcript: learners mark its lines, and it is the video's text alternative."))
        if kind == "video" and lines and any(line["time"] is None for line in lines):
            error(_("Start every line of the video's transcript with its time, for example [1:05]."))
        if len(lines) > annotations.MAX_LINES:
            error(_("The transcript is too long: at most {limit} lines."), limit=annotations.MAX_LINES)
        if not data.criteria or any(not criterion.strip() for criterion in data.criteria):
            error(_("Give at least one criterion, and remove the empty ones."))
        for number, mark in enumerate(data.expert_marks, start=1):
            try:
                target = annotations.parse_target(kind, mark.get("target", ""))
            except ValueError:
                example = {"transcript": "3-5", "video": "0:45-1:10", "image": "10,20,30,25"}[kind]
                error(
                    _("Expert mark {number}: “{target}” is not a part of the artefact (write it like {example})."),
                    number=number,
                    target=mark.get("target", ""),
                    example=example,
                )
                continue
            problem = annotations.target_problem(kind, target, len(lines))
            if problem:
                error(problem[0], field=self.gettext("Expert mark {number}").format(number=number), **problem[1])
            criterion = (mark.get("criterion") or "").strip()
            if not (criterion.isdigit() and 1 <= int(criterion) <= len(data.criteria)):
                error(
                    _("Expert mark {number}: the criterion must be a number from 1 to {count}."),
                    number=number,
                    count=len(data.criteria),
                )
        for message, values in rubrics.problems(data.rubric):
            studio.error(self, validation, message, "rubric", **values)

    def author_summary(self):
        kind = annotations.KINDS.get(self.artefact_kind, "")
        return super().author_summary() + [
            (self.gettext("What learners analyse"), self.gettext(kind) if kind else ""),
            (self.gettext("Criteria"), str(len(self.criteria))),
            (self.gettext("Minimum number of marks"), str(self.min_marks)),
            (
                self.gettext("Expert analysis"),
                self.ngettext(
                    "{count} mark, shown after submission",
                    "{count} marks, shown after submission",
                    len(self.expert_marks),
                ).format(count=len(self.expert_marks))
                if self.expert_marks or self.expert_commentary
                else self.gettext("None"),
            ),
        ]

    def student_view_data(self, context=None):
        # The expert's analysis is shown after submission only: never here.
        return dict(
            super().student_view_data(context),
            artefact_kind=self.artefact_kind,
            artefact_title=self.artefact_title,
            image_url=self.image_url,
            image_alt=self.image_alt,
            video_url=self.video_url,
            transcript=self.transcript_lines(),
            criteria=list(self.criteria),
            levels=dict(annotations.LEVELS),
            min_marks=self.min_marks,
            feedback_prompt=self.feedback_prompt,
            has_expert_analysis=bool(self.expert_marks or self.expert_commentary),
        )

    # ----- the learner's work ---------------------------------------------------------------

    def work_specs(self):
        criteria = len(self.criteria)
        return {
            "marks": spec.ListOf(
                _("Your marks"),
                spec.Record(
                    # Translators: a mark on a transcript, an image or a video (a noun).
                    _("Mark"),
                    {
                        "target": annotations.Target(_("Part"), self.artefact_kind, len(self.transcript_lines())),
                        "criterion": spec.Integer(_("Criterion"), 0, max(criteria - 1, 0), allow_none=True),
                        "comment": spec.Text(_("Comment"), MAX_COMMENT_LENGTH),
                    },
                ),
                MAX_MARKS,
                position=_("{field}, mark {number}"),
            ),
            "written_feedback": spec.Text(_("Your feedback"), MAX_FEEDBACK_LENGTH),
            "judgements": Judgements(_("Your judgement"), criteria),
            "overall": spec.Text(_("Your overall judgement"), MAX_FEEDBACK_LENGTH),
            "self_scores": rubrics.Scores(_("My assessment with the rubric"), rubrics.parse(self.rubric)),
        }

    def clean_work(self, data):
        return super().clean_work(rubrics.older_page(data))

    def missing_parts(self, work):
        missing = []
        if len(work["marks"]) < self.min_marks:
            missing.append(
                (
                    "marks",
                    self.ngettext(
                        "Mark at least {count} part of the artefact.",
                        "Mark at least {count} parts of the artefact.",
                        self.min_marks,
                    ).format(count=self.min_marks),
                )
            )
        for number, mark in enumerate(work["marks"], start=1):
            if mark["criterion"] is None:
                missing.append(
                    (
                        f"marks.{number - 1}.criterion",
                        self.gettext("Choose a criterion for mark {number}.").format(number=number),
                    )
                )
            if not mark["comment"].strip():
                missing.append(
                    (
                        f"marks.{number - 1}.comment",
                        self.gettext("Say what you see in mark {number}.").format(number=number),
                    )
                )
        if not work["written_feedback"].strip():
            missing.append(("written_feedback", self.gettext("Write your feedback.")))
        unjudged = [
            str(number) for number in range(1, len(self.criteria) + 1) if not work["judgements"].get(str(number))
        ]
        if unjudged:
            missing.append(("judgements", self.gettext("Judge the work on every criterion.")))
        if not work["overall"].strip():
            missing.append(("overall", self.gettext("Write your overall judgement.")))
        return missing + rubrics.self_missing(self, work)

    def record_work(self, work):
        # The notebook and staff read records without the block: they keep what the marks mean.
        return dict(
            work,
            kind=self.artefact_kind,
            criteria=list(self.criteria),
            artefact=self.artefact_title or self.title(),
        )

    def share_work(self, work, kind):
        super().share_work(work, kind)
        if not self.uses_store():
            return
        store.annotate(
            str(self.scope_ids.usage_id),
            self.learner,
            annotations.class_targets(self.artefact_kind, work["marks"], self.transcript_lines()),
        )
        rubrics.keep_self_assessment(self, work)
        if self.peer_reviews:  # peers read the analysis in words: marks, feedback, judgements
            store.contribute(
                course_id=self.course_key,
                investigation=self.investigation,
                usage_id=str(self.scope_ids.usage_id),
                learner=self.learner,
                text=summary_as_text(self.summary(self.record_work(work), self.gettext), bullets=True),
                shared=False,
            )

    @classmethod
    def summary(cls, work, gettext):
        kind = work.get("kind") or "transcript"
        criteria = work.get("criteria") or []

        def criterion_name(index):
            return criteria[index] if isinstance(index, int) and 0 <= index < len(criteria) else ""

        marks = []
        for mark in work.get("marks") or []:
            try:
                where = annotations.describe_target(kind, mark["target"], gettext)
            except (KeyError, TypeError):
                continue
            name = criterion_name(mark.get("criterion"))
            marks.append(" — ".join(part for part in (where, name, mark.get("comment", "")) if part))
        judgements = work.get("judgements") or {}
        judged = [
            f"{criterion}: {gettext(annotations.LEVELS[judgements[str(number)]])}"
            for number, criterion in enumerate(criteria, start=1)
            if judgements.get(str(number)) in annotations.LEVELS
        ]
        return [
            {"label": gettext("What I analysed"), "text": work.get("artefact", "")},
            {"label": gettext("My marks"), "list": marks},
            {"label": gettext("My feedback"), "text": work.get("written_feedback", "")},
            {"label": gettext("My judgement, criterion by criterion"), "list": judged},
            {"label": gettext("My overall judgement"), "text": work.get("overall", "")},
        ]

    # ----- after submission: the expert's analysis and the class's marks ----------------------

    def feedback(self):
        if not self.submitted_on:
            return {}
        return {"expert": bool(self.expert_marks or self.expert_commentary)}

    def comparison(self):
        """The expert's marks beside the learner's, in words, for the feedback panel."""
        kind, lines = self.artefact_kind, self.transcript_lines()
        marks = [mark for mark in self.marks if isinstance(mark, dict) and "target" in mark]
        rows, extra = annotations.compare(kind, self.expert(), marks)
        status_text = {
            "same": _("You marked this part too, with the same criterion."),
            "other": _("You marked this part, with another criterion."),
            "missed": _("You did not mark this part."),
        }
        return {
            "rows": [
                {
                    "number": number,
                    "where": annotations.describe_target(kind, row["expert"]["target"], self.gettext),
                    "quote": annotations.quoted_lines(kind, row["expert"]["target"], lines),
                    "criterion": self.criterion_name(row["expert"]["criterion"]),
                    "comment": row["expert"]["comment"],
                    "status": row["status"],
                    "status_text": self.gettext(status_text[row["status"]]),
                    "target": row["expert"]["target"],
                }
                for number, row in enumerate(rows, start=1)
            ],
            "agreed": sum(1 for row in rows if row["status"] == "same"),
            "extra": [
                {
                    "number": index + 1,
                    "where": annotations.describe_target(kind, marks[index]["target"], self.gettext),
                    "criterion": self.criterion_name(marks[index].get("criterion")),
                }
                for index in extra
            ],
            "commentary_html": render_markdown(self.expert_commentary),
        }

    def criterion_name(self, index):
        return self.criteria[index] if isinstance(index, int) and 0 <= index < len(self.criteria) else ""

    def class_marks(self):
        """Where the class's marks fall (None unless shared, in a course, and the learner has submitted)."""
        if not (self.share_annotations and self.submitted_on and self.uses_store()):
            return None
        counts, learners = store.annotation_counts(str(self.scope_ids.usage_id))
        picture = annotations.heat(self.artefact_kind, counts, learners, self.transcript_lines())
        if picture is None:
            return None
        picture["title"] = self.ngettext(
            "Where the class's marks fall: {count} learner has submitted",
            "Where the class's marks fall: {count} learners have submitted",
            learners,
        ).format(count=learners)
        if picture["kind"] == "strip":
            for line in picture["lines"]:
                line["label"] = self.ngettext(
                    "{count} of {total} marked this line", "{count} of {total} marked this line", line["count"]
                ).format(count=line["count"], total=learners)
        else:
            top = picture["top"]
            picture["summary"] = (
                self.ngettext(
                    "The part marked most often is around {x}% across and {y}% down: {count} learner marked it.",
                    "The part marked most often is around {x}% across and {y}% down: {count} learners marked it.",
                    top["count"],
                ).format(
                    x=round(top["x"] + picture["size"] / 2), y=round(top["y"] + picture["size"] / 2), count=top["count"]
                )
                if top
                else ""
            )
        return picture

    def feedback_fields(self):
        return {
            "comparison": self.comparison() if self.feedback().get("expert") else None,
            "class_marks": self.class_marks(),
            "assessment": rubrics.assessment(self),
            "artefact_kind": self.artefact_kind,
            "image_url": self.image_url if is_safe_url(self.image_url) else "",
        }

    def student_context(self):
        lines = self.transcript_lines()
        criteria = [(index, name) for index, name in enumerate(self.criteria)]
        marks = [mark for mark in self.marks if isinstance(mark, dict) and "target" in mark]
        # What a new mark starts with (the list's template): the first line, the start, the image's middle.
        blank = {"transcript": {"start": 1, "end": 1}, "video": {"start": 0, "end": 0}}
        new_mark = {
            "target": blank.get(self.artefact_kind, {"x": 35, "y": 35, "w": 30, "h": 30}),
            "criterion": None,
            "comment": "",
            "start_clock": "0:00",
            "end_clock": "0:00",
        }
        return dict(
            self.feedback_fields(),
            new_mark=new_mark,
            region_fields=[
                ("x", self.gettext("From the left (%)"), 0),
                ("y", self.gettext("From the top (%)"), 0),
                ("w", self.gettext("Width (%)"), 1),
                ("h", self.gettext("Height (%)"), 1),
            ],
            lines=lines,
            criteria=criteria,
            levels=[(value, self.gettext(label)) for value, label in annotations.LEVELS.items()],
            judged=[
                {"number": number, "name": name, "level": (self.judgements or {}).get(str(number), "")}
                for number, name in enumerate(self.criteria, start=1)
            ],
            marks=[
                dict(
                    mark,
                    start_clock=annotations.clock(mark["target"].get("start", 0)),
                    end_clock=annotations.clock(mark["target"].get("end", 0)),
                )
                for mark in marks
            ],
            video_url=self.video_url if is_safe_url(self.video_url) and is_video_file(self.video_url) else "",
            video_link=self.video_url if is_safe_url(self.video_url) and not is_video_file(self.video_url) else "",
            line_count=len(lines),
            max_marks=MAX_MARKS,
            max_comment_length=MAX_COMMENT_LENGTH,
            max_feedback_length=MAX_FEEDBACK_LENGTH,
            feedback_label=self.feedback_prompt or self.gettext("Your feedback to the pupil or the teacher"),
            rubric_self=rubrics.self_form(
                self,
                _("Score your own analysis with the rubric"),
                _(
                    "For each criterion, choose the level your analysis reaches. Your peers and the course staff "
                    "score it with the same rubric."
                ),
            ),
        )

    # ----- grading with a rubric and peer feedback (peer_review.AssessedWorkMixin) -------------

    def staff_context(self):
        context = super().staff_context()
        if context:
            context.update(overview_template="analysis/staff_overview.html", overview=self.class_overview())
        return context

    def class_overview(self):
        """For staff: how the class's latest analyses meet the expert's marks, and how it judged each criterion."""
        records = store.block_records(str(self.scope_ids.usage_id), limit=MAX_OVERVIEW)
        expert = self.expert()
        found = annotations.class_overview(self.artefact_kind, expert, len(self.criteria), [r.work for r in records])
        total = len(records)

        def cell(count):
            share = dates.format_percent(round(100 * count / total) if total else 0, current_language())
            return {"count": count, "text": f"{count} ({share})"}

        return {
            "learners": total,
            "caption": self.ngettext(
                "How the class's analyses meet the expert's marks: {count} learner",
                "How the class's analyses meet the expert's marks: {count} learners",
                total,
            ).format(count=total),
            "marks": [
                {
                    "where": annotations.describe_target(self.artefact_kind, mark["target"], self.gettext),
                    "criterion": self.criterion_name(mark["criterion"]),
                    "cells": [cell(counts[status]) for status in ("same", "other", "missed")],
                }
                for mark, counts in zip(expert, found["marks"], strict=True)
            ],
            "criteria": [
                {"name": name, "cells": [cell(counts[level]) for level in annotations.LEVELS]}
                for name, counts in zip(self.criteria, found["judgements"], strict=True)
            ],
            "levels": [self.gettext(label) for label in annotations.LEVELS.values()],
        }

    PEER_WORDS = {
        "noun": _("Analysis"),
        "item": _("Analysis {number}"),
        "checklist": "",
        "score": _("Score this analysis with the rubric"),
        "comment": _("Your comment: what is well seen, and what did they miss?"),
        "none": _("No analysis to comment on yet: come back later."),
        "received": _("Feedback on your analysis"),
        "none_received": _("No feedback yet. Your analysis is given to other learners as they submit theirs."),
        "closed": _("Peer feedback opens once you have submitted your own analysis."),
        "comment_missing": _("Write a comment: what is well seen in this analysis, and what did they miss?"),
    }

    def peer_intro(self, count):
        return self.ngettext(
            "Read {count} analysis by another learner (anonymous) and comment on it.",
            "Read {count} analyses by other learners (anonymous) and comment on each.",
            count,
        ).format(count=count)

    def peer_checklist(self):
        return []  # peers score with the rubric, or comment

    def own_checklist(self):
        return []

    def peer_examples(self):
        return []


class Judgements(spec.Spec):
    """The learner's level for each criterion: {"1": "partly", ...}, numbers from 1; blank levels left out."""

    def __init__(self, label, count):
        super().__init__(label)
        self.count = count

    def clean(self, value):
        if not isinstance(value, dict):
            raise spec.InputError(_("{field} must be a JSON object."), self.label)
        cleaned = {}
        for key, level in value.items():
            if not (isinstance(key, str) and key.isdigit() and 1 <= int(key) <= self.count):
                raise spec.InputError(_("{field}: there is no criterion {number}."), self.label, number=str(key)[:10])
            if level in ("", None):
                continue
            if level not in annotations.LEVELS:
                raise spec.InputError(_("{field}: unknown level {level}."), self.label, level=str(level)[:20])
            cleaned[str(int(key))] = level
        return cleaned
