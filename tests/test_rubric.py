"""Levelled rubrics: the rules (rubric.py) and grading end to end in the argumentation and analysis blocks."""

import copy
from datetime import timedelta

import lxml.html
import pytest

from lamap_xblocks import compat, rubric, store
from lamap_xblocks.models import StepRecord
from tests.conftest import VALID_WORK, as_user, call

ROWS = [
    {"criterion": "Claim", "level": "Missing", "points": "0", "description": "No claim."},
    {"criterion": "Claim", "level": "Vague", "points": "1", "description": "A claim that does not answer."},
    {"criterion": "Claim", "level": "Clear", "points": "2", "description": "It answers the question."},
    {"criterion": "Evidence", "level": "None", "points": "0", "description": ""},
    {"criterion": "Evidence", "level": "Some", "points": "2", "description": "One relevant observation."},
    {"criterion": "Evidence", "level": "Strong", "points": "4", "description": "Several, precisely cited."},
]
CRITERIA = rubric.parse(ROWS)


def test_rows_are_grouped_into_criteria_in_the_order_written():
    assert [criterion["name"] for criterion in CRITERIA] == ["Claim", "Evidence"]
    assert [level["points"] for level in CRITERIA[1]["levels"]] == [0, 2, 4]
    assert rubric.possible(CRITERIA) == 6


def test_the_author_is_told_what_is_wrong_with_a_rubric():
    rows = [
        {"criterion": "Claim", "level": "Clear", "points": "two", "description": ""},
        {"criterion": "Claim", "level": "Clear", "points": "2", "description": ""},
        {"criterion": "Method", "level": "Only", "points": "1", "description": ""},
        {"criterion": "", "level": "x", "points": "1", "description": ""},
    ]
    messages = [message.format(**values) for message, values in rubric.problems(rows)]
    assert "Rubric, row 1: the points must be a whole number from 0 to 100." in messages
    assert "Rubric, row 4: give the criterion and the level." in messages
    assert "Rubric: two levels of “Claim” have the same name." in messages
    assert "Rubric: the criterion “Method” needs at least two levels." in messages
    assert rubric.problems(ROWS) == []


@pytest.mark.parametrize(
    ("kwargs", "source", "points"),
    [
        ({"staff": {"1": 1, "2": 1}, "peers": [{"1": 2, "2": 2}] * 2, "needed": 2}, "staff", [1, 2]),
        ({"peers": [{"1": 2, "2": 1}, {"1": 1, "2": 2}], "needed": 2}, "peers", [1.5, 3]),
        ({"peers": [{"1": 2, "2": 1}, {"1": 0, "2": 2}, {"1": 2, "2": 2}], "needed": 2}, "peers", [2, 4]),
        ({"peers": [{"1": 2, "2": 1}], "needed": 2}, None, None),
        ({"peers": [{"1": 2, "2": 1}], "needed": 2, "waited": True}, "late", [2, 2]),
        ({"own": {"1": 2, "2": 2}, "needed": 2}, None, None),
        ({"own": {"1": 2, "2": 2}, "needed": 2, "waited": True}, "self", [2, 4]),
        ({"peers": [{"1": 5}], "own": {"1": 1, "2": 0}, "needed": 1, "waited": True}, "self", [1, 0]),
    ],
)
def test_where_the_grade_comes_from(kwargs, source, points):
    result = rubric.outcome(CRITERIA, **kwargs)
    assert result["source"] == source
    assert result["points"] == points
    if points:
        assert result["earned"] == sum(points) and result["possible"] == 6


def test_a_median_between_two_levels_reads_as_the_lower_level():
    assert rubric.level_of(CRITERIA[1], 3)["name"] == "Some"
    assert rubric.level_of(CRITERIA[1], 4)["name"] == "Strong"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "must be a JSON object"),
        ({"3": 0}, "there is no criterion 3"),
        ({"1": 3}, "no such level"),
        ({"1": True}, "no such level"),
        ({"1": "2"}, "no such level"),
        ({"1": 0}, "choose a level for every criterion"),
    ],
)
def test_bad_scores_are_refused(value, message):
    with pytest.raises(rubric.InputError) as error:
        rubric.Scores("Scores", CRITERIA, complete=True).clean(value)
    assert message in str(error.value)


# ----- grading end to end -----------------------------------------------------------------------


def argument(claim="Weight alone does not decide whether an object floats.", scores=None):
    work = copy.deepcopy(VALID_WORK["lamap_argumentation"])
    work.update(claim=claim, self_scores={"1": 2, "2": 2} if scores is None else scores)
    return work


def grades(runtime):
    return [data["value"] for name, data in runtime.events if name == "grade"]


def assigned(reply, claim):
    """The review of the argument that starts with ``claim``, among those given to the reviewer."""
    cards = lxml.html.fromstring(reply["feedback_html"]).cssselect("[data-review]")
    (review,) = [card for card in cards if card.cssselect("blockquote")[0].text_content().startswith(claim)]
    return int(review.get("data-review"))


@pytest.fixture
def graded(make_block):
    return make_block("lamap_argumentation", rubric=ROWS, peer_reviews=2, example_arguments=["Ex A", "Ex B"])


def test_the_self_assessment_is_required_when_there_is_a_rubric(graded):
    status, reply = call(graded, "submit_step", argument(scores={"1": 2}))
    assert status == 400
    assert [problem["field"] for problem in reply["problems"]] == ["self_scores"], reply
    old_client = {key: value for key, value in argument().items() if key != "self_scores"}
    assert call(graded, "save_draft", old_client)[0] == 200, "pages from before rubrics still save drafts"


def test_peer_scores_make_the_grade_once_enough_have_come(graded, runtime, monkeypatch):
    published = []
    monkeypatch.setattr(
        compat,
        "publish_grade_for",
        lambda block, learner, earned, possible: published.append((learner, earned, possible)) or True,
    )
    author = graded
    assert call(author, "submit_step", argument("Claim of the author."))[0] == 200
    assert grades(runtime) == [], "nothing is published while the grade waits"
    panel = lxml.html.fromstring(author.render("student_view", {}).content).cssselect(".lamap-assessment")[0]
    assert "Waiting for peer scores: 0 of 2 received." in panel.text_content()

    scores = [{"1": 2, "2": 1}, {"1": 1, "2": 2}]
    for number, given in enumerate(scores):
        peer = as_user(graded, f"peer-{number}")
        status, reply = call(peer, "submit_step", argument(f"Claim of peer {number}."))
        assert status == 200
        review = assigned(reply, "Claim of the author.")
        status, reply = call(
            peer, "submit_peer_review", {"review": review, "criteria_met": [], "comment": "Clear.", "scores": {"1": 2}}
        )
        assert status == 400 and "every criterion" in reply["error"]
        status, reply = call(
            peer, "submit_peer_review", {"review": review, "criteria_met": [], "comment": "Clear.", "scores": given}
        )
        assert status == 200, reply
    # Medians: claim (2 + 1) / 2 = 1.5, evidence (2 + 4) / 2 = 3: 4.5 of 6.
    assert published == [(author.learner, 0.75, 1.0)], "published for the author, from the second peer's request"
    content = author.render("student_view", {}).content
    assert grades(runtime)[-1] == 0.75, "and as the author's own on their next visit"
    table = lxml.html.fromstring(content).cssselect(".lamap-assessment table")[0]
    assert table.cssselect("caption")[0].text_content() == "Total: 4.5 of 6 points"
    assert [row.text_content().split()[0] for row in table.cssselect("tbody th")] == ["Claim", "Evidence"]
    assert "The median of your peers' scores" in lxml.html.fromstring(content).text_content()
    assert author.get_score().raw_earned == 0.75


def test_staff_scores_stand_and_only_staff_may_give_them(graded, runtime, users):
    assert call(graded, "submit_step", argument())[0] == 200
    learner = graded.learner
    staff = as_user(graded, "staff-1")
    users.staff.add("staff-1")
    scores = {"learner": learner, "scores": {"1": 1, "2": 2}, "comment": "Cite the trials."}
    status, reply = call(graded, "score_with_rubric", scores)
    assert status == 403, "a learner cannot score"
    assert call(staff, "score_with_rubric", dict(scores, learner="nobody"))[0] == 400
    assert call(staff, "score_with_rubric", dict(scores, scores={"1": 1}))[0] == 400
    status, reply = call(staff, "score_with_rubric", scores)
    assert status == 200, reply
    content = graded.render("student_view", {}).content
    assert grades(runtime)[-1] == 0.8333, "levels 1 and 2: (1 + 4) of 6"
    assert "Scored by the course staff." in content and "Cite the trials." in content
    form = lxml.html.fromstring(staff.render("student_view", {}).content).cssselect("[data-staff-score]")[0]
    assert form.get("data-staff-score") == learner
    assert [radio.get("value") for radio in form.cssselect("input[checked]")] == ["1", "2"]


def test_nobody_waits_for_ever(graded, runtime):
    assert call(graded, "submit_step", argument(scores={"1": 1, "2": 1}))[0] == 200
    graded.render("student_view", {})
    assert grades(runtime) == []
    StepRecord.objects.filter(learner=graded.learner).update(
        created=StepRecord.objects.get(learner=graded.learner).created - timedelta(days=8)
    )
    content = graded.render("student_view", {}).content
    assert grades(runtime) == [0.5], "the learner's own assessment: (1 + 2) of 6"
    assert "your own assessment stands" in content


def test_without_a_rubric_the_grade_stays_on_completion(make_block, runtime):
    block = make_block("lamap_argumentation")
    assert call(block, "submit_step", VALID_WORK["lamap_argumentation"])[0] == 200
    assert grades(runtime) == [1.0]


def test_retirement_removes_rubric_scores(graded):
    call(graded, "submit_step", argument())
    store.retire_learners([graded.learner])
    assert store.rubric_scores(str(graded.scope_ids.usage_id), graded.learner) == {"staff": None, "self": None}


def test_studio_reports_rubric_problems(graded):
    problems = graded.validate_values(
        {"rubric": [{"criterion": "Claim", "level": "Only", "points": "1", "description": ""}]}
    )
    assert any("needs at least two levels" in message.text for message in problems.messages)


# ----- the analysis block: the same rubric, scored by peers who read the analysis -----------------


def analysis(feedback, scores=None):
    from tests.test_analysis import judged_work, mark  # noqa: PLC0415

    return dict(
        judged_work([mark(2, criterion=0, comment="A question that opens the discussion.")]),
        written_feedback=feedback,
        self_scores={"1": 1, "2": 1} if scores is None else scores,
    )


@pytest.fixture
def graded_analysis(make_block):
    from tests.test_analysis import transcript_block  # noqa: PLC0415

    return transcript_block(make_block, rubric=ROWS, peer_reviews=2, share_annotations=False)


def test_an_analysis_is_graded_by_its_peers_with_the_rubric(graded_analysis, runtime, monkeypatch):
    published = []
    monkeypatch.setattr(
        compat,
        "publish_grade_for",
        lambda block, learner, earned, possible: published.append((learner, earned, possible)) or True,
    )
    author = graded_analysis
    status, reply = call(author, "submit_step", analysis("Feedback of the author.", scores={"1": 2}))
    assert status == 400 and [problem["field"] for problem in reply["problems"]] == ["self_scores"]
    old_page = {key: value for key, value in analysis("Draft.").items() if key != "self_scores"}
    assert call(author, "save_draft", old_page)[0] == 200, "pages from before rubrics still save drafts"
    assert call(author, "submit_step", analysis("Feedback of the author."))[0] == 200
    page = lxml.html.fromstring(author.render("student_view", {}).content)
    assert "Waiting for peer scores: 0 of 2 received." in page.cssselect(".lamap-assessment")[0].text_content()
    assert page.cssselect("[data-rubric-self] input[checked]"), "the self-assessment is shown as submitted"
    peer_section = page.cssselect(".lamap-peer")[0].text_content()
    assert "No analysis to comment on yet" in peer_section and "Feedback on your analysis" in peer_section

    for number, given in enumerate([{"1": 2, "2": 1}, {"1": 1, "2": 2}]):
        peer = as_user(graded_analysis, f"analyst-{number}")
        status, reply = call(peer, "submit_step", analysis(f"Feedback of peer {number}."))
        assert status == 200
        cards = lxml.html.fromstring(reply["feedback_html"]).cssselect("[data-review]")
        (card,) = [card for card in cards if "Feedback of the author." in card.text_content()]
        quoted = card.cssselect("blockquote")[0].text_content()
        assert "A question that opens the discussion." in quoted, "peers read the marks in words"
        assert card.cssselect("h5")[0].text_content().startswith("Analysis ")
        assert not card.cssselect("[data-review-criterion]"), "no checklist: the rubric is what peers score with"
        review = int(card.get("data-review"))
        status, reply = call(peer, "submit_peer_review", {"review": review, "comment": "", "scores": given})
        assert status == 400 and "what did they miss" in reply["error"]
        status, reply = call(peer, "submit_peer_review", {"review": review, "comment": "Well seen.", "scores": given})
        assert status == 200, reply
    assert published == [(author.learner, 0.75, 1.0)], "the median, published for the author"
    content = author.render("student_view", {}).content
    assert grades(runtime)[-1] == 0.75
    page = lxml.html.fromstring(content)
    assert page.cssselect(".lamap-assessment caption")[0].text_content() == "Total: 4.5 of 6 points"
    received = page.cssselect(".lamap-received li")
    assert len(received) == 2 and "Levels: Claim: Clear; Evidence: Some" in received[0].text_content()


def test_staff_score_an_analysis_and_the_learner_is_never_blocked(graded_analysis, runtime, users):
    assert call(graded_analysis, "submit_step", analysis("My feedback."))[0] == 200
    StepRecord.objects.filter(learner=graded_analysis.learner).update(
        created=StepRecord.objects.get(learner=graded_analysis.learner).created - timedelta(days=8)
    )
    graded_analysis.render("student_view", {})
    assert grades(runtime)[-1] == 0.5, "no peer came: after the wait, the self-assessment (1 + 2) of 6"
    staff = as_user(graded_analysis, "staff-2")
    users.staff.add("staff-2")
    request = {"learner": graded_analysis.learner, "scores": {"1": 2, "2": 2}, "comment": "Precise marks."}
    assert call(graded_analysis, "score_with_rubric", request)[0] == 403
    assert call(staff, "score_with_rubric", request)[0] == 200
    content = graded_analysis.render("student_view", {}).content
    assert grades(runtime)[-1] == 1.0 and "Precise marks." in content
    form = lxml.html.fromstring(staff.render("student_view", {}).content).cssselect("[data-staff-score]")[0]
    assert [radio.get("value") for radio in form.cssselect("input[checked]")] == ["2", "2"]


def test_an_analysis_without_peer_feedback_keeps_no_contribution(make_block):
    from tests.test_analysis import transcript_block  # noqa: PLC0415

    block = transcript_block(make_block, rubric=ROWS)
    assert call(block, "submit_step", analysis("Alone."))[0] == 200
    assert store.board_counts(str(block.scope_ids.usage_id))["contributions"] == 0
    assert "lamap-peer" not in block.render("student_view", {}).content
