"""
Results keep their meaning downstream: trial numbers in every view and export, rows
cited as sentences, predictions set against observations, one verdict per hypothesis
shared by the hypothesis and argument steps, criteria worded for peers.
"""

import copy
import csv
import io

from lxml import etree, html
from webob import Request

from lamap_xblocks import evidence
from lamap_xblocks.argumentation import DEFAULT_CRITERIA

from .conftest import VALID_WORK, as_user, call
from .test_charts import FLOATING, FLOATING_ROWS

FLOATING_EXPERIMENT = {
    "columns": FLOATING,
    "chart_kind": "scatter",
    "chart_x": "volume",
    "chart_y": "mass",
    "chart_group": "observed",
}
FLOATING_WORK = dict(
    VALID_WORK["lamap_experiment"],
    changed_variable="the object",
    changed_values=["modelling clay ball", "paperclip", "log piece", "apple", "steel key"],
    measured_variables=["its mass", "its volume", "whether it floats"],
    rows=copy.deepcopy(FLOATING_ROWS),
)


def submit(block, work):
    status, reply = call(block, "submit_step", copy.deepcopy(work))
    assert status == 200, reply
    return reply


def floating(make_block, **argument):
    hypothesis = make_block("lamap_hypothesis", investigation="floating")
    experiment = make_block("lamap_experiment", investigation="floating", **FLOATING_EXPERIMENT)
    argumentation = make_block("lamap_argumentation", investigation="floating", **argument)
    submit(hypothesis, VALID_WORK["lamap_hypothesis"])
    submit(experiment, FLOATING_WORK)
    return hypothesis, experiment, argumentation


def test_rows_are_cited_as_sentences_with_their_trial_and_predictions_apart(make_block):
    _hypothesis, _experiment, argumentation = floating(make_block)
    offers = {offer["source"]: offer for offer in argumentation.citations()}
    assert offers["row-1"]["text"] == "modelling clay ball, trial 2: mass 40 g, volume 25 cm³; observed: sinks"
    assert offers["row-1"]["label"] == "modelling clay ball, trial 2"
    assert offers["row-2"]["text"] == "paperclip, trial 1: mass 0.5 g, volume 0.06 cm³; observed: sinks"
    assert all("predicted" not in offer["text"].lower() for key, offer in offers.items() if key.startswith("row-"))
    assert offers["prediction-0"]["text"] == "modelling clay ball, trial 1: I predicted “floats”; I observed “sinks”."
    document = html.fromstring(argumentation.render("student_view", {}).content)
    cited = [node.get("data-cite") for node in document.cssselect("[data-cite]")]
    assert "prediction-0" in cited and "row-5" in cited
    # Citing a prediction against its observation is accepted; a row that does not exist is not.
    work = copy.deepcopy(VALID_WORK["lamap_argumentation"])
    work["evidence"] = [{"text": offers["prediction-0"]["text"], "source": "prediction-0"}]
    assert call(argumentation, "save_draft", work)[0] == 200
    work["evidence"][0]["source"] = "prediction-9"
    status, reply = call(argumentation, "save_draft", work)
    assert status == 400 and reply["problems"][0]["field"] == "evidence.0"
    assert argumentation.evidence[0]["source"] == "prediction-0", "nothing changed"


def test_citations_of_yesterdays_records_still_read(make_block):
    """A record written before roles: the first column is what changes, the others are measured."""
    work = {
        "columns": [
            {"key": "condition", "name": "Condition", "unit": "", "type": "text"},
            {"key": "result", "name": "Result", "unit": "s", "type": "number"},
        ],
        "rows": [{"condition": "cold", "result": 95}, {"condition": "cold", "result": 90}],
        "observations": "",
    }
    texts = [offer["text"] for offer in evidence.citations(work, lambda text: text)]
    assert texts == ["cold, trial 1: result 95 s", "cold, trial 2: result 90 s"]


def test_trial_numbers_travel_to_the_notebook_staff_view_and_csv(make_block, users):
    _hypothesis, experiment, _argumentation = floating(make_block)
    notebook = make_block("lamap_notebook", investigation="floating")
    document = html.fromstring(notebook.render("student_view", {}).content)
    table = document.cssselect(".lamap-notebook-entry table")[0]
    assert [th.text_content() for th in table.cssselect("thead th")][:2] == ["Trial", "Object"]
    assert [row.cssselect("td")[0].text_content() for row in table.cssselect("tbody tr")][:2] == ["1", "2"]
    svg = document.cssselect(".lamap-notebook-entry svg.lamap-chart-svg")
    assert svg and len(svg[0].cssselect(".lamap-mark")) == len(FLOATING_ROWS), "the chart in the notebook"
    markdown = notebook.handle("download", Request.blank("/?format=md")).body.decode("utf-8")
    assert "| Trial | Object | Mass (g) |" in markdown
    assert "Mass (g) against volume (cm³). Scatter chart of 6 trials. Observed — floats: 2; sinks: 4." in markdown

    users.staff.add("teacher")
    staff = as_user(experiment, "teacher")
    panel = html.fromstring(staff.render("student_view", {}).content).cssselect(".lamap-staff")[0]
    assert panel.cssselect("table.lamap-data thead th")[0].text_content() != ""
    assert panel.cssselect("svg.lamap-chart-svg"), "the staff view draws the learner's chart"
    assert "modelling clay ball" in panel.text_content()
    response = staff.handle("staff_csv", Request.blank("/"))
    rows = list(csv.DictReader(io.StringIO(response.body.decode("utf-8"))))
    answer = next(row["answer"] for row in rows if row["step"] == "experiment")
    assert "Trial 2, Object modelling clay ball, Mass (g) 40" in answer


def test_one_verdict_the_argument_records_it_as_the_hypothesis_revisit(make_block):
    hypothesis, _experiment, argumentation = floating(make_block)
    work = dict(
        copy.deepcopy(VALID_WORK["lamap_argumentation"]),
        hypothesis_verdict="refuted",
        confidence_now=1,
        verdict_reason="The heavy log floated and the light key sank.",
    )
    submit(argumentation, work)
    card = html.fromstring(hypothesis.render("student_view", {}).content).cssselect("[data-hypothesis-id='h1']")[0]
    text = " ".join(card.text_content().split())
    assert "Refuted" in text and "The heavy log floated and the light key sank." in text
    assert "Concluded in your argument" in text
    revisit = card.cssselect("input[data-revise-field='verdict'][value='refuted']")
    assert revisit and revisit[0].get("checked") is not None, "the revisit form starts from that verdict"


def test_one_verdict_a_revisit_in_the_hypothesis_step_is_what_the_argument_shows(make_block):
    hypothesis, _experiment, argumentation = floating(make_block)
    submit(argumentation, dict(VALID_WORK["lamap_argumentation"], hypothesis_verdict="supported"))
    status, reply = call(
        hypothesis,
        "revise_hypothesis",
        {"id": "h1", "verdict": "unsure", "justification": "Two results disagree.", "confidence": 2},
    )
    assert status == 200, reply
    fresh = as_user(argumentation, argumentation.scope_ids.user_id)
    state = call(fresh, "student_view_user_state", method="GET")[1]
    assert (state["hypothesis_verdict"], state["verdict_reason"], state["confidence_now"]) == (
        "unsure",
        "Two results disagree.",
        2,
    )
    document = html.fromstring(fresh.render("student_view", {}).content)
    assert document.cssselect("input[data-field='hypothesis_verdict'][value='unsure']")[0].get("checked") is not None


def test_criteria_are_worded_for_the_writer_and_for_the_peer(make_block):
    block = make_block("lamap_argumentation")
    assert block.own_criteria()[1] == "My evidence comes from my own observations or measurements."
    assert block.peer_wording()[1] == "The evidence comes from their own observations or measurements."
    assert len(block.own_criteria()) == len(DEFAULT_CRITERIA)
    authored = make_block(
        "lamap_argumentation",
        criteria=["My claim answers the question.", "I cite my own results."],
        peer_criteria=["The claim answers the question."],
    )
    assert authored.peer_wording() == ["The claim answers the question.", "I cite my own results."]
    document = html.fromstring(authored.render("student_view", {}).content)
    assert [node.text_content().strip() for node in document.cssselect(".lamap-criteria label")] == authored.criteria
    validation = authored.validate_values({"peer_criteria": ["a", "b", "c"]})
    assert not validation and "more criteria as peers read them" in validation.messages[0].text


def test_olx_keeps_the_peer_wording(make_block):
    block = make_block(
        "lamap_argumentation", criteria=["My claim answers it."], peer_criteria=["Their claim answers it."]
    )
    node = etree.Element("lamap_argumentation")
    block.add_xml_to_node(node)
    assert [child.text for child in node.find("peer_criteria")] == ["Their claim answers it."]


def test_the_html_download_draws_the_chart_for_print(make_block):
    floating(make_block)
    notebook = make_block("lamap_notebook", investigation="floating")
    page = notebook.handle("download", Request.blank("/?format=html")).body.decode("utf-8")
    document = html.fromstring(page)
    svg = document.cssselect("svg.lamap-chart-svg")[0]
    assert len(svg.cssselect(".lamap-mark")) == len(FLOATING_ROWS)
    assert ".lamap-chart-svg" in document.cssselect("style")[0].text, "sized for the page and print"


def test_yesterdays_experiment_records_read_in_the_notebook():
    """A record from before structured plans and roles: one measured text, no chart settings."""
    from lamap_xblocks.experiment import ExperimentBlock  # noqa: PLC0415

    work = {
        "changed_variable": "temperature and sugar",
        "measured_variable": "the time to dissolve",
        "controlled_variables": [],
        "materials": [],
        "protocol": [],
        "prediction": "Faster when hot.",
        "rows": [{"condition": "cold", "result": 95}, {"condition": "cold", "result": 90}],
        "observations": "",
        "columns": [
            {"key": "condition", "name": "Condition", "unit": "", "type": "text"},
            {"key": "result", "name": "Result", "unit": "s", "type": "number"},
        ],
    }
    parts = {part["label"]: part for part in ExperimentBlock.summary(work, lambda text: text)}
    assert parts["The one thing I change"]["text"] == "temperature and sugar"
    assert parts["What I measure or observe"]["list"] == ["the time to dissolve"]
    assert parts["Results table"]["table"]["rows"] == [["1", "cold", "95"], ["2", "cold", "90"]]
    assert "cold: median 92.5 s (2 trials)" in parts["Chart of the results"]["chart"]["desc"]


def test_peers_review_against_the_criteria_worded_for_them(make_block):
    block = make_block("lamap_argumentation", peer_reviews=1, example_arguments=["Heavy things sink."])
    status, reply = call(block, "submit_step", copy.deepcopy(VALID_WORK["lamap_argumentation"]))
    assert status == 200, reply
    card = html.fromstring(reply["feedback_html"]).cssselect("[data-review]")[0]
    labels = [node.text_content() for node in card.cssselect("label[for*='criterion']")]
    assert labels == [peer for _own, peer in DEFAULT_CRITERIA], "the reader's wording, not the writer's"
    own = html.fromstring(block.render("student_view", {}).content).cssselect(".lamap-criteria label")
    assert [node.text_content().strip() for node in own] == [own for own, _peer in DEFAULT_CRITERIA]


def test_the_markdown_download_keeps_line_breaks_and_numbers_the_protocol(make_block):
    floating(make_block)
    notebook = make_block("lamap_notebook", investigation="floating")
    markdown = notebook.handle("download", Request.blank("/?format=md")).body.decode("utf-8")
    assert "I think that… I think that light objects float.  \nbecause… because" in markdown
    assert "1. Heat the water\n2. Drop the cube\n3. Start the stopwatch" in markdown


def test_the_notebook_is_titled_with_the_investigations_name(make_block):
    hypothesis, experiment, _argumentation = floating(make_block)
    experiment.investigation_name = "Floating and sinking"
    call(experiment, "submit_step", dict(FLOATING_WORK, observations="A second look."))
    notebook = make_block("lamap_notebook", investigation="floating")
    document = html.fromstring(notebook.render("student_view", {}).content)
    assert document.cssselect(".lamap-notebook-investigation > .lamap-subtitle")[0].text_content() == (
        "Floating and sinking"
    )
    markdown = notebook.handle("download", Request.blank("/?format=md")).body.decode("utf-8")
    assert "## Floating and sinking" in markdown and "floating" not in markdown.split("\n")[2]


def test_the_notebook_writes_numbers_as_the_reader_does(make_block):
    from django.utils import translation  # noqa: PLC0415

    floating(make_block)
    notebook = make_block("lamap_notebook", investigation="floating")
    with translation.override("fr"):
        document = html.fromstring(notebook.render("student_view", {}).content)
    cells = [td.text_content() for td in document.cssselect(".lamap-notebook-entry table tbody tr")[2].cssselect("td")]
    assert cells[:4] == ["1", "paperclip", "0,5", "0,06"], "French decimal commas"
