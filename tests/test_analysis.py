"""The analysis block and annotations.py: marks, the expert's analysis, the class's marks."""

import copy

import lxml.html
import pytest
from xblock.validation import Validation

from lamap_xblocks import annotations, store
from lamap_xblocks.analysis import AnalysisBlock
from tests.conftest import VALID_WORK, as_user, call, user_state

TRANSCRIPT = """Teacher: What did you notice in your glasses?

Lina: In the hot water the sugar went away faster.
Sam: The sugar disappeared. It's gone.
Teacher: Gone? What makes you say that?
Ava: But the water tastes sweet, so it's still there!"""
VIDEO_TRANSCRIPT = """[0:00] Teacher: What did you notice?
[0:12] Sam: The sugar disappeared.
[0:31] Teacher: What makes you say that?
[1:05] Ava: The water tastes sweet!"""
CRITERIA = ["A productive question", "Evidence of a misconception", "A teacher move that opens the discussion"]
EXPERT = [
    {"target": "3", "criterion": "2", "comment": "Sam thinks dissolved sugar no longer exists."},
    {"target": "4", "criterion": "3", "comment": "The teacher asks for reasons."},
    {"target": "5", "criterion": "2", "comment": "Ava's evidence: taste."},
]


def transcript_block(make_block, **fields):
    values = {"transcript": TRANSCRIPT, "criteria": CRITERIA, "expert_marks": EXPERT, "min_marks": 1}
    values.update({"share_annotations": True}, **fields)
    return make_block("lamap_analysis", **values)


def mark(start, end=None, criterion=0, comment="A comment."):
    return {
        "target": {"start": start, "end": start if end is None else end},
        "criterion": criterion,
        "comment": comment,
    }


def work(marks, **changes):
    return dict(copy.deepcopy(VALID_WORK["lamap_analysis"]), marks=marks, judgements={"1": "partly"}, **changes)


def judged_work(marks, criteria=3):
    return dict(work(marks), judgements={str(number): "clearly" for number in range(1, criteria + 1)})


def html(fragment):
    return lxml.html.fragment_fromstring(fragment, create_parent="div")


# ----- annotations.py: plain functions ----------------------------------------------------------


def test_a_transcript_is_read_line_by_line_with_speakers_and_times():
    lines = annotations.parse_transcript(TRANSCRIPT)
    assert [line["number"] for line in lines] == [1, 2, 3, 4, 5], "blank lines are not numbered"
    assert lines[1]["speaker"] == "Lina" and lines[1]["text"] == "In the hot water the sugar went away faster."
    assert lines[3]["text"] == "Gone? What makes you say that?"
    timed = annotations.parse_transcript(VIDEO_TRANSCRIPT)
    assert [line["time"] for line in timed] == [0.0, 12.0, 31.0, 65.0]
    assert timed[3]["clock"] == "1:05" and timed[3]["speaker"] == "Ava"
    plain = annotations.parse_transcript("No speaker here, just words: and a colon later")
    assert plain[0]["speaker"] == "" or plain[0]["text"].endswith("a colon later")


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("transcript", "3", {"start": 3, "end": 3}),
        ("transcript", "lines 3-5", {"start": 3, "end": 5}),
        ("transcript", "3–5", {"start": 3, "end": 5}),
        ("video", "0:45-1:10", {"start": 45.0, "end": 70.0}),
        ("video", "1:02:05", {"start": 3725.0, "end": 3725.0}),
        ("image", "10,20,30,25", {"x": 10.0, "y": 20.0, "w": 30.0, "h": 25.0}),
        ("image", "region 10 20 30 25", {"x": 10.0, "y": 20.0, "w": 30.0, "h": 25.0}),
    ],
)
def test_authors_write_targets_as_text(kind, text, expected):
    assert annotations.parse_target(kind, text) == expected


@pytest.mark.parametrize(("kind", "text"), [("transcript", "three"), ("video", "1:xx"), ("image", "10,20,30")])
def test_unreadable_targets_are_refused(kind, text):
    with pytest.raises(ValueError):
        annotations.parse_target(kind, text)


def test_targets_in_words():
    def say(kind, target):
        return annotations.describe_target(kind, target, lambda text: text)

    assert say("transcript", {"start": 3, "end": 3}) == "Line 3"
    assert say("transcript", {"start": 3, "end": 5}) == "Lines 3–5"
    assert say("video", {"start": 45, "end": 70}) == "From 0:45 to 1:10"
    assert say("image", {"x": 10, "y": 20, "w": 30, "h": 25}) == ("A region from 10% to 40% across and 20% to 45% down")


def test_the_comparison_says_same_other_missed_and_extra():
    expert = [
        {"target": {"start": 3, "end": 3}, "criterion": 1, "comment": ""},
        {"target": {"start": 4, "end": 4}, "criterion": 2, "comment": ""},
        {"target": {"start": 5, "end": 5}, "criterion": 1, "comment": ""},
    ]
    marks = [mark(2, 3, criterion=1), mark(4, criterion=0), mark(1, criterion=0)]
    rows, extra = annotations.compare("transcript", expert, marks)
    assert [row["status"] for row in rows] == ["same", "other", "missed"]
    assert rows[0]["yours"] == [0] and rows[1]["yours"] == [1]
    assert extra == [2], "line 1 meets no expert mark"


def test_regions_and_moments_overlap_as_people_expect():
    assert annotations.overlap("image", {"x": 0, "y": 0, "w": 50, "h": 50}, {"x": 40, "y": 40, "w": 10, "h": 10})
    assert not annotations.overlap("image", {"x": 0, "y": 0, "w": 50, "h": 50}, {"x": 50, "y": 0, "w": 10, "h": 10})
    assert annotations.overlap("video", {"start": 30, "end": 30}, {"start": 33, "end": 40}), "a few seconds apart"
    assert not annotations.overlap("video", {"start": 0, "end": 10}, {"start": 30, "end": 40})


def test_what_a_learners_marks_count_for_on_the_class_picture():
    assert annotations.class_targets("transcript", [mark(2, 4), mark(3)], []) == ["line:2", "line:3", "line:4"]
    lines = annotations.parse_transcript(VIDEO_TRANSCRIPT)
    moment = {"target": {"start": 15, "end": 40}, "criterion": 0, "comment": ""}
    assert annotations.class_targets("video", [moment], lines) == ["line:2", "line:3"], "said at 0:15 and 0:31"
    region = {"target": {"x": 0, "y": 0, "w": 20, "h": 10}, "criterion": 0, "comment": ""}
    assert annotations.class_targets("image", [region], []) == ["cell:0:0", "cell:1:0"]
    corner = {"target": {"x": 95, "y": 95, "w": 5, "h": 5}, "criterion": 0, "comment": ""}
    assert annotations.class_targets("image", [corner], []) == ["cell:9:9"]


# ----- the learner's work: what is refused, and that a refusal changes nothing -------------------

BAD_MARKS = [
    ([mark(0)], "the lines must be between 1 and 5"),
    ([mark(4, 2)], "the first before the last"),
    ([mark(9)], "between 1 and 5"),
    ([{"target": {"start": "2", "end": 2}, "criterion": 0, "comment": ""}], "must be a number"),
    ([{"target": {"start": True, "end": 2}, "criterion": 0, "comment": ""}], "must be a number"),
    ([{"target": {"start": 2.5, "end": 3}, "criterion": 0, "comment": ""}], "whole line number"),
    ([{"target": {"start": 2}, "criterion": 0, "comment": ""}], "must be an object with start, end"),
    ([{"target": {"start": 2, "end": 2}, "criterion": 7, "comment": ""}], "Criterion"),
    ([{"target": {"start": 2, "end": 2}, "criterion": 0, "comment": "x" * 2001}], "Comment"),
    ([{"target": {"start": 2, "end": 2}, "criterion": 0}], "Missing fields"),
    ([mark(1)] * 31, "Too many items"),
]


@pytest.mark.parametrize(("marks", "message"), BAD_MARKS)
def test_bad_marks_are_refused_with_a_message_and_change_nothing(make_block, marks, message):
    block = transcript_block(make_block)
    assert call(block, "save_draft", work([mark(2)]))[0] == 200
    before = user_state(block)
    for handler in ("save_draft", "submit_step"):
        status, reply = call(block, handler, work(marks))
        assert status == 400, (handler, reply)
        assert message in reply["error"], reply["error"]
        assert user_state(block) == before


@pytest.mark.parametrize(
    ("judgements", "message"),
    [({"4": "partly"}, "there is no criterion 4"), ({"1": "great"}, "unknown level"), ([], "must be a JSON object")],
)
def test_bad_judgements_are_refused(make_block, judgements, message):
    block = transcript_block(make_block)
    status, reply = call(block, "save_draft", dict(work([mark(2)]), judgements=judgements))
    assert status == 400 and message in reply["error"]


def test_image_regions_must_lie_inside_the_image(make_block):
    block = make_block(
        "lamap_analysis", artefact_kind="image", image_url="/static/page.png", image_alt="A page.", criteria=["A"]
    )
    region = {"target": {"x": 80, "y": 10, "w": 30, "h": 10}, "criterion": 0, "comment": "c"}
    status, reply = call(block, "save_draft", dict(work([region]), judgements={}))
    assert status == 400 and "inside the image" in reply["error"]
    inside = {"target": {"x": 70, "y": 10, "w": 30, "h": 10}, "criterion": 0, "comment": "c"}
    assert call(block, "save_draft", dict(work([inside]), judgements={}))[0] == 200


def test_an_incomplete_analysis_names_each_missing_part(make_block):
    block = transcript_block(make_block, min_marks=2)
    status, reply = call(
        block, "submit_step", work([mark(2, criterion=None, comment=" ")], written_feedback="", overall="")
    )
    assert status == 400
    fields = [problem["field"] for problem in reply["problems"]]
    assert fields == ["marks", "marks.0.criterion", "marks.0.comment", "written_feedback", "judgements", "overall"]
    assert reply["draft_saved"] is True
    assert block.marks[0]["target"] == {"start": 2, "end": 2}, "the refused work is kept as a draft"


# ----- after submitting: the expert's analysis and the class's marks -----------------------------


def test_after_submitting_the_learner_compares_with_the_expert(make_block, runtime):
    block = transcript_block(make_block)
    before = html(block.render("student_view", {}).content)
    assert not before.cssselect(".lamap-expert"), "the expert's analysis is hidden until the learner submits"
    status, reply = call(block, "submit_step", judged_work([mark(3, criterion=1), mark(4, criterion=0)]))
    assert status == 200, reply
    panel = html(reply["feedback_html"])
    rows = panel.cssselect(".lamap-expert-mark")
    assert [row.get("class").split()[-1] for row in rows] == ["lamap-same", "lamap-other", "lamap-missed"]
    assert "Sam: The sugar disappeared. It's gone." in rows[0].cssselect(".lamap-quote")[0].text_content()
    assert "Evidence of a misconception" in rows[0].text_content()
    assert "you marked 1 of them with the same criterion" in panel.text_content()
    assert "lamap_xblocks.analysis.submitted" in runtime.event_names()
    assert block.get_score().raw_earned == 1.0


def test_the_class_marks_are_counted_per_line_and_move_on_resubmission(make_block):
    block = transcript_block(make_block)
    other = as_user(block, "student-2")
    assert call(block, "submit_step", judged_work([mark(2, 3)]))[0] == 200
    assert call(other, "submit_step", judged_work([mark(3)]))[0] == 200
    usage = str(block.scope_ids.usage_id)
    assert store.annotation_counts(usage) == ({"line:2": 1, "line:3": 2}, 2)
    status, reply = call(other, "submit_step", judged_work([mark(5)]))
    assert status == 200
    assert store.annotation_counts(usage) == ({"line:2": 1, "line:3": 1, "line:5": 1}, 2)
    strip = html(reply["feedback_html"]).cssselect(".lamap-heat-strip tbody tr")
    labels = [row.cssselect(".lamap-heat-label")[0].text_content() for row in strip]
    assert labels == [
        "0 of 2 marked this line",
        "1 of 2 marked this line",
        "1 of 2 marked this line",
        "0 of 2 marked this line",
        "1 of 2 marked this line",
    ]
    assert "2 learners have submitted" in html(reply["feedback_html"]).text_content()


def test_the_class_marks_stay_hidden_when_not_shared(make_block):
    block = transcript_block(make_block, share_annotations=False)
    status, reply = call(block, "submit_step", judged_work([mark(2)]))
    assert status == 200
    assert not html(reply["feedback_html"]).cssselect(".lamap-class-marks")
    assert store.annotation_counts(str(block.scope_ids.usage_id))[1] == 1, "counted, to show if the author shares"


def test_an_image_analysis_shows_the_expert_regions_and_a_heat_grid(make_block):
    block = make_block(
        "lamap_analysis",
        artefact_kind="image",
        image_url="/static/page.png",
        image_alt="A notebook page: a question at the top, a result at the bottom.",
        criteria=["A productive question", "Evidence of a misconception"],
        expert_marks=[{"target": "10,0,80,10", "criterion": "1", "comment": "The question."}],
        share_annotations=True,
        min_marks=1,
    )
    region = {"target": {"x": 20, "y": 0, "w": 10, "h": 10}, "criterion": 0, "comment": "The question."}
    status, reply = call(block, "submit_step", judged_work([region], criteria=2))
    assert status == 200, reply
    panel = html(reply["feedback_html"])
    rect = panel.cssselect(".lamap-expert svg rect")[0]
    assert (rect.get("x"), rect.get("y"), rect.get("width"), rect.get("height")) == ("10.0", "0.0", "80.0", "10.0")
    assert "lamap-same" in panel.cssselect(".lamap-expert-mark")[0].get("class")
    cells = panel.cssselect(".lamap-class-marks svg rect")
    assert [(cell.get("x"), cell.get("y"), cell.get("fill-opacity")) for cell in cells] == [("20.0", "0.0", "0.75")]
    assert "around 25% across and 5% down: 1 learner marked it" in panel.text_content()


def test_a_video_analysis_marks_moments_and_counts_the_lines_said(make_block):
    block = make_block(
        "lamap_analysis",
        artefact_kind="video",
        video_url="/static/lesson.mp4",
        transcript=VIDEO_TRANSCRIPT,
        criteria=["A productive question"],
        share_annotations=True,
        min_marks=1,
    )
    moment = {"target": {"start": 12, "end": 35}, "criterion": 0, "comment": "Sam's idea."}
    status, reply = call(block, "submit_step", judged_work([moment], criteria=1))
    assert status == 200, reply
    assert store.annotation_counts(str(block.scope_ids.usage_id)) == ({"line:2": 1, "line:3": 1}, 1)
    content = html(block.render("student_view", {}).content)
    assert content.cssselect("video")[0].get("src") == "/static/lesson.mp4"
    assert [button.get("data-seek") for button in content.cssselect("[data-seek]")] == ["0.0", "12.0", "31.0", "65.0"]
    assert content.cssselect("[data-item-field='start']")[0].get("value") == "0:12"


def test_retired_learners_leave_the_class_marks(make_block):
    block = transcript_block(make_block)
    other = as_user(block, "student-2")
    call(block, "submit_step", judged_work([mark(2)]))
    call(other, "submit_step", judged_work([mark(2, 3)]))
    store.retire_learners([other.learner])
    assert store.annotation_counts(str(block.scope_ids.usage_id)) == ({"line:2": 1}, 1)


# ----- authoring -------------------------------------------------------------------------------


def problems_of(block):
    validation = Validation(block.scope_ids.usage_id)
    block.validate_field_data(validation, block)
    return [message.text for message in validation.messages]


def test_studio_says_what_is_missing_for_each_kind_of_artefact(make_block):
    image = make_block("lamap_analysis", artefact_kind="image", transcript="", criteria=["A"])
    assert "Give the image to analyse." in problems_of(image)
    assert any("text alternative" in text for text in problems_of(image))
    video = make_block("lamap_analysis", artefact_kind="video", video_url="/static/v.mp4", transcript="Teacher: hi")
    assert any("Start every line of the video's transcript with its time" in text for text in problems_of(video))
    empty = make_block("lamap_analysis", transcript="", criteria=[])
    assert any("Write the transcript" in text for text in problems_of(empty))
    assert any("at least one criterion" in text for text in problems_of(empty))


def test_studio_checks_the_expert_marks(make_block):
    block = transcript_block(
        make_block,
        expert_marks=[
            {"target": "nine", "criterion": "1", "comment": ""},
            {"target": "7", "criterion": "1", "comment": ""},
            {"target": "2", "criterion": "4", "comment": ""},
        ],
    )
    texts = problems_of(block)
    assert "Expert mark 1: “nine” is not a part of the artefact (write it like 3-5)." in texts
    assert "Expert mark 2: the lines must be between 1 and 5, the first before the last." in texts
    assert "Expert mark 3: the criterion must be a number from 1 to 3." in texts
    assert problems_of(transcript_block(make_block)) == []


def test_the_editor_saves_through_the_same_checks(make_block, users):
    block = transcript_block(make_block)
    users.staff.add(block.scope_ids.user_id)
    status, reply = call(block, "submit_studio_edits", {"values": {"artefact_kind": "podcast"}})
    assert status == 400 and reply["problems"][0]["field"] == "artefact_kind"
    status, _reply = call(
        block, "submit_studio_edits", {"values": {"expert_marks": [{"target": "2", "criterion": "1"}]}}
    )
    assert status == 400
    assert block.artefact_kind == "transcript"


def test_mobile_data_never_carries_the_expert_analysis(make_block):
    data = transcript_block(make_block).student_view_data()
    assert data["has_expert_analysis"] is True
    assert "expert_marks" not in data and "expert_commentary" not in data
    assert [line["speaker"] for line in data["transcript"]] == ["Teacher", "Lina", "Sam", "Teacher", "Ava"]


def test_authored_and_learner_text_is_shown_as_text(make_block):
    payload = "<img src=x onerror=alert(1)>"
    block = transcript_block(
        make_block,
        transcript=f"Teacher: {payload}\nSam: fine",
        criteria=[payload],
        artefact_title=payload,
        expert_marks=[{"target": "1", "criterion": "1", "comment": payload}],
        expert_commentary=f"Look [here](javascript:alert(1)) {payload}",
    )
    status, reply = call(block, "submit_step", judged_work([mark(1, comment=payload)], criteria=1))
    assert status == 200, reply
    for fragment in (reply["feedback_html"], block.render("student_view", {}).content):
        tree = html(fragment)
        assert not tree.cssselect("img[onerror]"), "no markup from text"
        assert not [link for link in tree.cssselect("a") if "javascript" in (link.get("href") or "")]
        assert "&lt;img" in fragment


def test_the_notebook_reads_an_analysis_without_the_block():
    record = dict(
        judged_work([mark(3, criterion=1, comment="Gone?")]),
        kind="transcript",
        criteria=CRITERIA,
        artefact="The class compares its results",
    )
    parts = {part["label"]: part for part in AnalysisBlock.summary(record, lambda text: text)}
    assert parts["What I analysed"]["text"] == "The class compares its results"
    assert parts["My marks"]["list"] == ["Line 3 — Evidence of a misconception — Gone?"]
    assert parts["My judgement, criterion by criterion"]["list"][0] == "A productive question: Clearly"


def test_speakers_are_written_as_each_language_writes_them(make_block):
    from django.utils import translation  # noqa: PLC0415

    block = transcript_block(make_block)
    assert "<strong>Sam:</strong>" in block.render("student_view", {}).content
    with translation.override("fr"):
        assert "<strong>Sam\u00a0:</strong>" in block.render("student_view", {}).content


def test_staff_see_how_the_class_analyses_meet_the_expert(make_block, users):
    block = transcript_block(make_block)
    # The expert marks line 3 (criterion 2), line 4 (criterion 3) and line 5 (criterion 2).
    learners = {
        "a": judged_work([mark(2, criterion=0)]),  # misses all three
        "b": judged_work([mark(3, criterion=0)]),  # line 3 with another criterion
        "c": judged_work([mark(3, criterion=1), mark(5, criterion=1)]),  # lines 3 and 5 as the expert
    }
    learners["c"]["judgements"]["1"] = "partly"
    for name, submitted in learners.items():
        assert call(as_user(block, name), "submit_step", submitted)[0] == 200
    staff = as_user(block, "staff-3")
    users.staff.add("staff-3")
    page = html(staff.render("student_view", {}).content)
    tables = {table.cssselect("caption")[0].text_content(): table for table in page.cssselect(".lamap-staff table")}
    marks_table = tables["How the class's analyses meet the expert's marks: 3 learners"]
    rows = [[cell.text_content() for cell in row.cssselect("th, td")] for row in marks_table.cssselect("tbody tr")]
    assert rows == [
        ["1. Line 3 · Evidence of a misconception", "1 (33%)", "1 (33%)", "1 (33%)"],
        ["2. Line 4 · A teacher move that opens the discussion", "0 (0%)", "0 (0%)", "3 (100%)"],
        ["3. Line 5 · Evidence of a misconception", "1 (33%)", "0 (0%)", "2 (67%)"],
    ]
    judged = tables["How the class judged the work, criterion by criterion"]
    first = [cell.text_content() for cell in judged.cssselect("tbody tr")[0].cssselect("td")]
    assert first == ["0 (0%)", "1 (33%)", "2 (67%)"], "criterion 1: two 'clearly', one 'partly'"
    assert "How the class" not in html(block.render("student_view", {}).content).text_content(), "staff only"
