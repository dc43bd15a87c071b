"""
Peer feedback: after submitting, each learner comments on (and, with a rubric, scores) the
work of a few peers, anonymously, and reads what peers wrote on their own. Plain functions
that take the block: the argumentation and analysis blocks call them. Assignments and
reviews are kept by store.py; the grade that follows a rubric is rubric.py's.

A block with peer feedback has ``peer_reviews`` (0: off), ``rubric`` and
``PEER_WORDS`` (how its page names the work), and answers ``peer_intro(count)``,
``peer_checklist()`` (criteria
a reviewer may tick: none when the rubric is what peers score with), ``own_checklist()``
(the same criteria, worded for the writer) and ``peer_examples()`` (author's examples
given when too few peers have submitted).
"""

from xblock.core import XBlockMixin
from xblock.fields import Integer, Scope

from . import rubric, store
from . import validation as spec
from .base import json_api
from .validation import _

MAX_REVIEWS = 5
MAX_COMMENT = 2000
MAX_CHECKLIST = 12


def reviews_field(display_name, help_text):
    return Integer(display_name=display_name, help=help_text, scope=Scope.settings, default=0)


def is_open(block):
    return bool(block.peer_reviews and block.submitted_on and block.uses_store())


def context(block):
    """The work to comment on and the comments received (after the learner's submission), or None."""
    if not is_open(block):
        return None
    words = block.PEER_WORDS
    usage_id = str(block.scope_ids.usage_id)
    examples = block.peer_examples()
    criteria = rubric.parse(block.rubric)
    reviews = []
    for number, review in enumerate(store.assign_reviews(usage_id, block.learner, block.peer_reviews, examples), 1):
        if review.contribution_id:
            text = review.contribution.text
        elif review.example is not None and review.example < len(examples):
            text = examples[review.example]
        else:
            continue
        reviews.append(
            {
                "id": review.pk,
                "title": block.gettext(words["item"]).format(number=number),
                "text": text,
                "comment": review.comment,
                "criteria": [
                    {"index": index, "text": criterion, "checked": index in (review.criteria_met or [])}
                    for index, criterion in enumerate(block.peer_checklist())
                ],
                "done": review.submitted is not None,
                "rubric": rubric.form(block, f"{block.html_id}-review-{review.pk}", review.scores) if criteria else [],
            }
        )
    own = block.own_checklist()
    received = [
        {
            "comment": review["comment"],
            "met": [own[index] for index in review["criteria_met"] if index < len(own)],
            "levels": [
                f"{criterion['name']}: {criterion['levels'][review['scores'][str(number)]]['name']}"
                for number, criterion in enumerate(criteria, start=1)
            ]
            if rubric.is_complete(criteria, review["scores"])
            else [],
            "date": block.format_date(review["submitted"].isoformat()),
        }
        for review in store.reviews_received(usage_id, block.learner)
    ]
    return {
        "reviews": reviews,
        "received": received,
        "wanted": block.peer_reviews,
        "words": {key: block.gettext(text) if text else "" for key, text in words.items() if key != "item"}
        | {"intro": block.peer_intro(block.peer_reviews)},
        "max_comment": MAX_COMMENT,
    }


def submit(block, data):
    """
    A reviewer's comments on one piece of work given to them: ``{"review": id, "criteria_met":
    [...], "comment": "", "scores": {...}}``; ``scores`` is required when there is a rubric.
    Returns the reply; the reviewed learner's grade is published when it is decided now.
    """
    criteria = rubric.parse(block.rubric)
    if isinstance(data, dict):  # pages from before rubrics send no scores, the analysis page no checklist
        data = {"scores": {}, "criteria_met": [], **data}
    request = spec.clean_request(
        {
            "review": spec.Integer(block.PEER_WORDS["noun"], 1, 2**62),
            "criteria_met": spec.ListOf(
                _("Criteria met"), spec.Integer(None, 0, MAX_CHECKLIST - 1), MAX_CHECKLIST, unique=True
            ),
            "comment": spec.Text(_("Your comment"), MAX_COMMENT),
            "scores": rubric.Scores(_("Your scores"), criteria, complete=bool(criteria)),
        },
        data,
    )
    if not is_open(block):
        raise spec.InputError(block.PEER_WORDS["closed"])
    if any(index >= len(block.own_checklist()) for index in request["criteria_met"]):
        raise spec.InputError(_("The criteria you tick must be among the criteria shown."))
    if not request["comment"]:
        raise spec.InputError(block.PEER_WORDS["comment_missing"])
    reviewed = store.submit_review(
        str(block.scope_ids.usage_id),
        request["review"],
        block.learner,
        sorted(request["criteria_met"]),
        request["comment"],
        scores=request["scores"],
    )
    block.publish_event("peer_feedback_given", {"review": request["review"]})
    if criteria and reviewed and block.scored:  # the peer's grade may be decided now
        rubric.publish(block, reviewed)
    return {"message": block.gettext("Your feedback is sent. Thank you."), "feedback_html": block.render_feedback()}


class AssessedWorkMixin(XBlockMixin):
    """
    Work that peers comment on and, with a rubric, that peers and staff score: the grade and
    the handlers, for a block that has the fields above (argumentation, analysis).
    """

    def record_completion(self):
        if rubric.grades(self):
            rubric.on_completion(self)
        else:
            super().record_completion()

    def calculate_score(self):
        return rubric.score(self) if rubric.grades(self) else super().calculate_score()

    def student_view(self, context=None):
        rubric.on_view(self)
        return super().student_view(context)

    def staff_context(self):
        return rubric.add_staff_forms(self, super().staff_context())

    def feedback_context(self, fields=None):
        return dict(super().feedback_context(fields), peer=context(self))

    @json_api(staff=True)
    def score_with_rubric(self, data):
        """Staff only: score a learner's work: ``{"learner": anonymous id, "scores": {...}, "comment": ""}``."""
        return rubric.score_by_staff(self, data)

    @json_api
    def submit_peer_review(self, data):
        """
        Comments on one piece of work given to the learner: ``{"review": id, "criteria_met": [...],
        "comment": "", "scores": {...}}``; ``scores`` (against the rubric) is required when there is one.
        """
        return submit(self, data)
