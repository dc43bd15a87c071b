"""
Steps linked by an investigation key, on XBlock core's test runtime with the store: the
earlier work each step shows, the class board through the blocks' handlers, peer
feedback, the notebook and its downloads, the staff panel and exports.
"""

import copy
import csv
import io
import types

import pytest
from lxml import etree, html
from webob import Request

from lamap_xblocks import models

from .conftest import VALID_WORK, as_user, call, user_state


@pytest.fixture
def investigation(make_block):
    """The four steps and a notebook of the investigation "floating", sharing with the class."""
    return types.SimpleNamespace(
        question=make_block("lamap_question", investigation="floating", share_with_class=True),
        hypothesis=make_block("lamap_hypothesis", investigation="floating", share_with_class=True),
        experiment=make_block("lamap_experiment", investigation="floating"),
        argumentation=make_block(
            "lamap_argumentation",
            investigation="floating",
            share_with_class=True,
            criteria=["The claim answers the question."],
        ),
        notebook=make_block("lamap_notebook", investigation="floating"),
    )


def page(block, view="student_view"):
    return html.fromstring(block.render(view, {}).content)


def text_of(document, selector):
    return " ".join(" ".join(node.text_content().split()) for node in document.cssselect(selector))


def submit(block, work=None):
    status, reply = call(block, "submit_step", copy.deepcopy(work or VALID_WORK[f"lamap_{block.STEP}"]))
    assert status == 200, reply
    return reply


TWO_HYPOTHESES = {
    "hypotheses": [
        dict(VALID_WORK["lamap_hypothesis"]["hypotheses"][0]),
        {
            "id": "h2",
            "idea": "I think that the material matters.",
            "reason": "because wood floats.",
            "prediction": "If I try a wooden and a steel ball, the wooden one floats.",
            "confidence": 2,
        },
    ]
}


def test_each_step_shows_the_earlier_step_or_says_kindly_it_is_missing(investigation):
    document = page(investigation.hypothesis)
    assert "not submitted the question step" in text_of(document, ".lamap-earlier")
    submit(investigation.question)
    document = page(investigation.hypothesis)
    assert "Do heavy things always sink?" in text_of(document, ".lamap-earlier"), "the chosen question"
    assert "not submitted" not in text_of(document, ".lamap-earlier")

    assert "not submitted the hypothesis step" in text_of(page(investigation.experiment), ".lamap-earlier")
    submit(investigation.hypothesis)
    earlier = text_of(page(investigation.experiment), ".lamap-earlier")
    assert "I think that light objects float." in earlier and "heavy log" in earlier


def test_steps_without_an_investigation_show_nothing_earlier(make_block):
    question = make_block("lamap_question")
    submit(question)
    assert not page(make_block("lamap_hypothesis")).cssselect(".lamap-earlier")


def test_other_learners_and_investigations_are_not_carried_forward(investigation, make_block):
    submit(as_user(investigation.question, "student-2"))
    other = make_block("lamap_question", investigation="dissolving")
    submit(other)
    assert "not submitted the question step" in text_of(page(investigation.hypothesis), ".lamap-earlier")


def test_experiment_asks_which_hypothesis_when_there_are_several(investigation):
    submit(investigation.hypothesis, TWO_HYPOTHESES)
    document = page(investigation.experiment)
    assert [radio.get("value") for radio in document.cssselect("[data-field=tested_hypothesis]")] == ["h1", "h2"]
    work = dict(VALID_WORK["lamap_experiment"], tested_hypothesis="")
    status, reply = call(investigation.experiment, "submit_step", work)
    assert status == 400 and "Choose the hypothesis" in reply["error"]
    status, reply = call(investigation.experiment, "submit_step", dict(work, tested_hypothesis="nope"))
    assert status == 400 and "one of your submitted hypotheses" in reply["error"]
    assert investigation.experiment.submitted_on is None
    submit(investigation.experiment, dict(work, tested_hypothesis="h2"))
    assert investigation.experiment.tested_hypothesis == "h2"


def test_a_single_hypothesis_is_the_one_tested(investigation):
    submit(investigation.hypothesis)
    assert not page(investigation.experiment).cssselect("[data-field=tested_hypothesis]")
    submit(investigation.experiment)
    assert investigation.experiment.tested_hypothesis == "h1"


def argued(investigation):
    submit(investigation.hypothesis)
    submit(investigation.experiment)
    return investigation.argumentation


def test_argumentation_offers_observations_and_rows_to_cite(investigation):
    block = argued(investigation)
    document = page(block)
    offers = {button.get("data-cite") for button in document.cssselect("[data-cite]")}
    assert offers == {"observations", "row-0", "row-1"}
    assert "hot, trial 1: result 30.5" in text_of(document, ".lamap-citations"), "rows read as sentences"
    assert "I think that light objects float." in text_of(document, ".lamap-verdict")


def test_argumentation_asks_about_the_hypothesis_and_a_reason_when_confidence_changes(investigation):
    block = argued(investigation)
    work = dict(copy.deepcopy(VALID_WORK["lamap_argumentation"]), criteria_checked=[0])
    work["evidence"][0]["source"] = "row-1"
    status, reply = call(block, "submit_step", work)
    assert status == 400 and "supports your hypothesis" in reply["error"]
    changed = dict(work, hypothesis_verdict="refuted", confidence_now=1)
    status, reply = call(block, "submit_step", changed)
    assert status == 400 and "confidence in your hypothesis has changed" in reply["error"]
    assert block.submitted_on is None
    submit(block, dict(changed, verdict_reason="The heavy log floated."))
    assert block.evidence[0] == {"text": "The heavy log floated.", "source": "row-1"}
    assert block.hypothesis_verdict == "refuted"


def test_argumentation_refuses_a_citation_of_a_row_that_does_not_exist(investigation):
    block = argued(investigation)
    work = copy.deepcopy(VALID_WORK["lamap_argumentation"])
    work["evidence"][0]["source"] = "row-7"
    before = user_state(block)
    status, reply = call(block, "save_draft", work)
    assert status == 400 and "observations or rows" in reply["error"]
    assert user_state(block) == before


def test_submissions_are_recorded_with_each_version(investigation):
    block = investigation.hypothesis
    submit(block)
    call(
        block,
        "revise_hypothesis",
        {"id": "h1", "verdict": "refuted", "justification": "The log floated.", "confidence": 1},
    )
    rows = list(models.StepRecord.objects.filter(usage_id=str(block.scope_ids.usage_id)).order_by("version"))
    assert [(row.version, row.kind) for row in rows] == [(1, "submitted"), (2, "revised")]
    assert rows[1].work["hypotheses"][0]["verdict"] == "refuted"
    assert rows[0].learner == "anon-student-1", "the anonymous id, never the user id"
    submit(block)  # the same work again: nothing new
    assert models.StepRecord.objects.filter(usage_id=str(block.scope_ids.usage_id)).count() == 2


# ----- the class board --------------------------------------------------------------------


def test_board_is_shown_after_the_learners_own_submission(investigation):
    for number in range(3):
        submit(as_user(investigation.question, f"peer-{number}"))
    block = investigation.question
    assert not page(block).cssselect(".lamap-board")
    reply = submit(block)
    board = html.fromstring(reply["feedback_html"]).cssselect(".lamap-board")[0]
    assert "4 contributions" in board.text_content()
    items = board.cssselect(".lamap-board-item")
    assert len(items) == 4
    assert sum("Yours" in item.text_content() for item in items) == 1
    rendered = etree.tostring(board, encoding="unicode")
    for secret in ("student-1", "peer-0", "anon-"):
        assert secret not in rendered, "no user id or anonymous id on the page"


def test_board_handlers_refuse_before_submission_and_bad_input(investigation):
    block = investigation.question
    submit(as_user(block, "peer"))
    status, reply = call(block, "board_page", {"page": 1, "order": "newest"})
    assert status == 400 and "once you have submitted" in reply["error"]
    submit(block)
    for body in (
        {"page": 0, "order": "newest"},
        {"page": 1, "order": "alphabetical"},
        {"page": 1},
        {"page": "1", "order": "newest"},
    ):
        status, reply = call(block, "board_page", body)
        assert status == 400 and reply["error"], body
    status, reply = call(
        block, "endorse_contribution", {"page": 1, "order": "newest", "contribution": 424242, "endorsed": True}
    )
    assert status == 400 and "no such contribution" in reply["error"]


def test_endorse_and_flag_through_the_block(investigation):
    block = investigation.question
    submit(as_user(block, "peer"))
    submit(block)
    theirs = models.Contribution.objects.get(learner="anon-peer")
    status, reply = call(
        block, "endorse_contribution", {"page": 1, "order": "newest", "contribution": theirs.pk, "endorsed": True}
    )
    assert status == 200 and reply["message"] == "Marked as helpful."
    pressed = html.fromstring(reply["board_html"]).cssselect(f"[data-id='{theirs.pk}'][data-board-action=endorse]")[0]
    assert pressed.get("aria-pressed") == "true"
    status, reply = call(block, "flag_contribution", {"page": 1, "order": "newest", "contribution": theirs.pk})
    assert status == 200 and "Reported to staff" in reply["board_html"]
    theirs.refresh_from_db()
    assert (theirs.endorsement_count, theirs.flag_count) == (1, 1)


def test_only_staff_hide_and_staff_is_checked_on_the_server(investigation, users):
    block = investigation.question
    submit(as_user(block, "peer"))
    submit(block)
    theirs = models.Contribution.objects.get(learner="anon-peer")
    body = {"page": 1, "order": "newest", "contribution": theirs.pk, "hidden": True}
    status, reply = call(block, "hide_contribution", body)
    assert status == 403 and "staff" in reply["error"]
    theirs.refresh_from_db()
    assert not theirs.hidden
    users.staff.add("teacher")
    staff_block = as_user(block, "teacher")
    status, reply = call(staff_block, "hide_contribution", body)
    assert status == 200
    theirs.refresh_from_db()
    assert theirs.hidden
    assert "Hidden" in reply["board_html"]
    learner_view = page(block)
    assert len(learner_view.cssselect(".lamap-board-item")) == 1, "hidden from learners"


def test_staff_panel_and_csv(investigation, users):
    for name in ("a", "b"):
        submit(as_user(investigation.question, name))
    submit(as_user(investigation.hypothesis, "a"))
    status, _ = csv_response(investigation.question)
    assert status == 403
    assert not page(investigation.question).cssselect(".lamap-staff")
    users.staff.add("teacher")
    staff_block = as_user(investigation.question, "teacher")
    panel = page(staff_block).cssselect(".lamap-staff")[0]
    assert "Do heavy things always sink?" in panel.text_content()
    counts = {
        row.cssselect("th")[0].text_content(): row.cssselect("td")[0].text_content()
        for row in panel.cssselect("tbody tr")
        if row.cssselect("th")
    }
    assert counts == {"Question": "2", "Hypotheses": "1"}
    status, body = csv_response(staff_block)
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted((row["anonymous_user_id"], row["step"]) for row in rows) == [
        ("anon-a", "hypothesis"),
        ("anon-a", "question"),
        ("anon-b", "question"),
    ]
    assert "Do heavy things always sink?" in rows[0]["answer"] + rows[1]["answer"]
    assert "student" not in body


def csv_response(block):
    response = block.handle("staff_csv", Request.blank("/"))
    return response.status_code, response.body.decode("utf-8")


def test_generate_report_data_reads_each_learners_state(make_block):
    block = make_block("lamap_question")
    states = [
        types.SimpleNamespace(
            username="ada", state=dict(VALID_WORK["lamap_question"], submitted_on="2026-11-24T10:00:00+00:00")
        ),
        types.SimpleNamespace(username="bob", state={"questions": ["draft"]}),
    ]
    rows = list(block.generate_report_data(iter(states)))
    assert [username for username, _ in rows] == ["ada"], "drafts are not answers"
    assert "Do heavy things always sink?" in rows[0][1]["Answer"]
    assert list(block.generate_report_data(iter(states), limit_responses=0)) == []


# ----- peer feedback --------------------------------------------------------------------------


def test_peer_feedback_with_examples_when_too_few_peers(make_block):
    block = make_block(
        "lamap_argumentation",
        peer_reviews=2,
        criteria=["The claim answers the question."],
        example_arguments=["Example A", "Example B"],
    )
    reply = submit(block)
    cards = html.fromstring(reply["feedback_html"]).cssselect("[data-review]")
    assert [card.cssselect("blockquote")[0].text_content() for card in cards] == ["Example A", "Example B"]
    review = int(cards[0].get("data-review"))
    status, reply = call(block, "submit_peer_review", {"review": review, "criteria_met": [0], "comment": ""})
    assert status == 400 and "Write a comment" in reply["error"]
    status, reply = call(block, "submit_peer_review", {"review": review, "criteria_met": [3], "comment": "ok"})
    assert status == 400
    status, reply = call(block, "submit_peer_review", {"review": review, "criteria_met": [0], "comment": "Clear."})
    assert status == 200 and "feedback sent" in reply["feedback_html"]

    peer = as_user(block, "peer")
    peer_reply = submit(peer)
    peer_cards = html.fromstring(peer_reply["feedback_html"]).cssselect("[data-review]")
    quoted = [card.cssselect("blockquote")[0].text_content() for card in peer_cards]
    assert quoted[0].startswith("Weight alone does not decide"), "a peer's argument comes first"
    status, _ = call(
        peer,
        "submit_peer_review",
        {"review": int(peer_cards[0].get("data-review")), "criteria_met": [], "comment": "Convincing."},
    )
    assert status == 200
    mine = page(block)
    assert "Convincing." in text_of(mine, ".lamap-received")
    status, reply = call(peer, "submit_peer_review", {"review": review, "criteria_met": [], "comment": "Not mine"})
    assert status == 400 and "not given to you" in reply["error"]


# ----- notebook -----------------------------------------------------------------------------------


def test_notebook_gathers_every_step_with_revisions(investigation, make_block):
    submit(investigation.question)
    submit(investigation.hypothesis)
    call(
        investigation.hypothesis,
        "revise_hypothesis",
        {"id": "h1", "verdict": "refuted", "justification": "The log floated.", "confidence": 1},
    )
    submit(investigation.experiment)
    document = page(investigation.notebook)
    titles = [" ".join(node.text_content().split()) for node in document.cssselect(".lamap-notebook-entry h5")]
    assert [title.split(" — ")[0] for title in titles] == ["Question", "Hypotheses", "Experiment"]
    entries = document.cssselect(".lamap-notebook-entry")
    assert "Refuted by the evidence: The log floated." in text_of(entries[1], ".lamap-parts")
    assert "1 earlier version" in text_of(entries[1], "details summary")
    assert "30.5" in text_of(entries[2], "table")
    other = make_block("lamap_question", investigation="dissolving")
    submit(other)
    assert "Investigation: dissolving" not in document.text_content()
    whole_course = make_block("lamap_notebook")
    headings = text_of(page(whole_course), ".lamap-notebook-investigation > h4")
    assert "Investigation: floating" in headings and "Investigation: dissolving" in headings


def test_notebook_notes_are_private_and_saved(investigation):
    notebook = investigation.notebook
    status, reply = call(notebook, "save_draft", {"notes": "Density, not weight."})
    assert status == 200 and notebook.notes == "Density, not weight."
    assert ("completion", {"completion": 1.0}) in investigation.notebook.runtime.events
    assert not notebook.has_score
    # A state the steps' report would list (submitted), so that only the notebook's own rule keeps it out.
    submitted = {"notes": "My doubts.", "submitted_on": "2026-11-24T10:00:00+00:00", "saved_on": "2026-11-24T10:00:00"}
    assert list(notebook.generate_report_data(iter([types.SimpleNamespace(username="a", state=submitted)]))) == []
    status, reply = call(notebook, "save_draft", {"notes": "x" * 20001})
    assert status == 400 and notebook.notes == "Density, not weight."
    assert not page(as_user(notebook, "student-2")).cssselect("textarea")[0].text


def test_notebook_downloads(investigation):
    submit(investigation.question)
    call(investigation.notebook, "save_draft", {"notes": "My <script>notes</script>"})
    markdown = investigation.notebook.handle("download", Request.blank("/?format=md"))
    assert markdown.status_code == 200 and markdown.content_type == "text/markdown"
    assert 'attachment; filename="notebook-floating-' in markdown.headers["Content-Disposition"]
    text = markdown.body.decode("utf-8")
    assert "## Investigation: floating" in text and "- Do heavy things always sink?" in text
    assert text.rstrip().endswith("My <script>notes</script>")
    page_html = investigation.notebook.handle("download", Request.blank("/?format=html")).body.decode("utf-8")
    assert page_html.startswith("<!DOCTYPE html>") and "Do heavy things always sink?" in page_html
    assert "<script>" not in page_html, "notes are sanitised Markdown"
    bad = investigation.notebook.handle("download", Request.blank("/?format=pdf"))
    assert bad.status_code == 400


def test_notebook_without_work_says_so(make_block):
    assert "Nothing here yet" in text_of(page(make_block("lamap_notebook")), ".lamap-notice")


# ----- authoring -----------------------------------------------------------------------------------


def test_studio_offers_the_investigation_keys_already_used(investigation, make_block):
    submit(investigation.question)
    block = make_block("lamap_argumentation")
    editor = page(block, "studio_view")
    options = editor.cssselect("[data-editor-field='investigation'] select option")
    assert [option.get("value") for option in options] == ["", "floating", "__new__"], "none, the course's, a new one"


@pytest.mark.parametrize("value", ["Floating Sinking", "a/b", "x" * 51])
def test_investigation_key_is_checked(make_block, users, value):
    users.staff.add("student-1")  # the course team edits
    block = make_block("lamap_question")
    status, reply = call(block, "submit_studio_edits", {"values": {"investigation": value}})
    assert status == 400 and "Investigation" in reply["error"]
    assert block.investigation == ""


def test_new_fields_round_trip_through_olx(investigation, runtime):
    block = investigation.argumentation
    block.peer_reviews = 2
    block.example_arguments = ["Example <one>", "Example two"]
    node = etree.Element("root")
    block.add_xml_to_node(node)
    text = etree.tostring(node, encoding="unicode")
    assert 'investigation="floating"' in text and 'share_with_class="true"' in text
    parsed = runtime.parse_xml_string(text)
    again = runtime.get_block(parsed)
    for name in ("investigation", "share_with_class", "peer_reviews", "example_arguments", "criteria"):
        assert getattr(again, name) == getattr(block, name), name
    notebook_node = etree.Element("root")
    investigation.notebook.prompt = "What do you think now?"
    investigation.notebook.add_xml_to_node(notebook_node)
    notebook = runtime.get_block(runtime.parse_xml_string(etree.tostring(notebook_node, encoding="unicode")))
    assert (notebook.investigation, notebook.prompt) == ("floating", "What do you think now?")


def test_the_report_gives_the_submitted_version_not_a_later_draft(make_block, monkeypatch):
    from lamap_xblocks import compat  # noqa: PLC0415

    block = make_block("lamap_question", investigation="floating")
    submit(block)
    call(block, "save_draft", dict(VALID_WORK["lamap_question"], testable_reason="A later draft, not submitted."))
    monkeypatch.setattr(compat, "anonymous_ids_by_username", lambda _block, names: {"ada": "anon-student-1"})
    state = types.SimpleNamespace(username="ada", state=user_state(block))
    rows = list(block.generate_report_data(iter([state])))
    assert [username for username, _ in rows] == ["ada"]
    assert "We can weigh objects and put them in water." in rows[0][1]["Answer"]
    assert "A later draft" not in rows[0][1]["Answer"]
    assert rows[0][1]["Submissions"] == 1
