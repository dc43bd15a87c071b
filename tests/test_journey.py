"""
One investigation from start to finish, in headless Chromium on a phone-sized page.
Learner A asks a question, states a hypothesis, runs an experiment and argues from it,
each step on its own page of the demo's "floating" investigation: every step shows the
one before, the argument cites a row of the results, and the notebook gathers it all.
Then learner B, in a browser of their own, submits a question, finds A's on the class
board without anything that says who wrote it, and marks it as helpful.

The demo server is shared by the whole session: learners have unique ids, and the test
asserts on its own learners' texts, never on how many contributions the board holds.
"""

import re
import uuid

import pytest

from lamap_xblocks.demo.services import anonymous_id

from .test_browser import (
    open_scenario,
    press_at,
    submit_by_keyboard,
    type_at,
    wait_status,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The investigation "floating", one step per page (lamap_xblocks.scenarios.INVESTIGATION).
QUESTION, HYPOTHESIS, EXPERIMENT, ARGUMENTATION, NOTEBOOK = (f"lamap_notebook.{number}" for number in range(5))
EXAMPLE_ARGUMENT = "Heavy objects sink. The key sank, so weight decides."


def submit(tab):
    """Submit with the keyboard; the status line says when, and no error is shown."""
    submit_by_keyboard(tab)
    assert tab.locator(".lamap-error").first.inner_text() == ""


def earlier_text(tab):
    """What the step shows of the learner's previous step."""
    panel = tab.locator(".lamap-earlier")
    panel.wait_for()
    return panel.inner_text()


def table_rows(table):
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => Array.from(row.cells, cell => cell.textContent.trim()))"
    )


def test_investigation_from_question_to_notebook_and_class_board(tabs):
    tag = uuid.uuid4().hex[:8]
    learner_a = f"journey-a-{tag}"
    page = tabs(learner_a)
    question = f"Does the weight of an object decide whether it floats? ({tag})"
    idea = f"Heavy objects sink and light objects float ({tag})."
    prediction = "If I put a heavy wooden ruler in water, then I will observe that it sinks."
    experiment_prediction = "The ruler is heavier than the key, so it will sink."
    claim = "Weight alone does not decide whether an object floats."

    # 1. The question, shared with the class.
    open_scenario(page, QUESTION)
    type_at(page, "textarea[data-item-field='text']", question)
    press_at(page, "[data-list='questions'] [data-list-action='add']")
    page.keyboard.type("Do apples float because they are round?")
    press_at(page, "[data-item-field='chosen']", "Space")  # the first question
    press_at(page, "input[data-field='testable']", "Space")  # "Yes, an experiment could answer it"
    type_at(page, "textarea[data-field='testable_reason']", "We can weigh objects and put them in water.")
    submit(page)
    assert page.locator("[data-item-field='chosen']").first.is_checked()
    mine = page.locator(".lamap-board-item", has_text=question)
    assert "Yours" in mine.inner_text(), "A finds their own question on the class board"

    # 2. The hypotheses: the question chosen just before is shown first.
    open_scenario(page, HYPOTHESIS)
    assert question in earlier_text(page)
    type_at(page, "textarea[data-item-field='idea']", idea)
    page.keyboard.press("Tab")
    page.keyboard.type("because the heavy key sank.")
    page.keyboard.press("Tab")
    page.keyboard.type(prediction)
    page.keyboard.press("Tab")  # into the confidence radio group
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # "A little sure"
    submit(page)

    # 3. The experiment: the hypothesis is shown; a plan, a prediction and two rows of results.
    open_scenario(page, EXPERIMENT)
    shown = earlier_text(page)
    assert idea in shown and prediction in shown
    assert page.locator("thead").inner_text().split("\t")[1:6] == [
        "Object",
        "Mass (g)",
        "Volume (cm³)",
        "Predicted",
        "Observed",
    ]
    type_at(page, "[data-field='changed_variable']", "the object")
    press_at(page, "[data-list='changed_values'] [data-list-action='add']")
    page.keyboard.type("wooden ruler")
    press_at(page, "[data-list='changed_values'] [data-list-action='add']")
    page.keyboard.type("steel key")
    type_at(page, "[data-list='measured_variables'] input", "whether it floats or sinks")
    type_at(page, "[data-field='prediction']", experiment_prediction)
    type_at(page, "[data-list='rows'] input[data-item-field='object']", "wooden ruler")
    for value in ("32,5", "45", "floats", "floats"):  # a decimal comma is a number too
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    press_at(page, "[data-list='rows'] > [data-list-action='add']")
    page.keyboard.type("steel key")
    for value in ("12", "1.5", "floats", "sinks"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    # The author's scatter: mass against volume, coloured and shaped by what was observed.
    page.wait_for_function("document.querySelectorAll('[data-chart] svg .lamap-mark').length === 2")
    legend = page.locator("[data-chart] svg text.lamap-legend").evaluate_all("nodes => nodes.map(n => n.textContent)")
    assert legend == ["floats", "sinks"]
    submit(page)
    page.reload()
    saved = page.locator("[data-list='rows'] .lamap-list-item").evaluate_all(
        "rows => rows.map(row => Array.from(row.querySelectorAll('input'), input => input.value))"
    )
    assert saved == [
        ["wooden ruler", "32.5", "45", "floats", "floats"],
        ["steel key", "12", "1.5", "floats", "sinks"],
    ], "the table is kept"

    # 4. The argument: the experiment is shown, a row of the results is cited as evidence.
    open_scenario(page, ARGUMENTATION)
    assert experiment_prediction in earlier_text(page)
    offer = page.locator(".lamap-citations li", has=page.locator("[data-cite='row-0']"))
    row_text = offer.locator("[data-cite-text]").inner_text()
    assert row_text == "wooden ruler, trial 1: mass 32.5 g, volume 45 cm³; observed: floats"
    assert offer.locator("[data-cite]").inner_text() == "Cite as evidence"
    versus = page.locator(".lamap-citations li", has=page.locator("[data-cite='prediction-1']"))
    versus_text = versus.locator("[data-cite-text]").inner_text()
    assert versus_text == "steel key, trial 1: I predicted “floats”; I observed “sinks”."
    evidence = page.locator("[data-list='evidence'] textarea[data-item-field='text']")
    assert evidence.count() == 1 and evidence.first.input_value() == ""
    type_at(page, "[data-field='claim']", claim)
    press_at(page, "[data-cite='row-0']")
    assert evidence.count() == 1, "the empty first item is filled, not left behind"
    assert evidence.first.input_value() == row_text
    assert page.evaluate("document.activeElement.getAttribute('data-item-field')") == "text", "focus on the item"
    wait_status(page, "Added to your evidence.")
    press_at(page, "[data-cite='prediction-1']")
    assert evidence.count() == 2 and evidence.last.input_value() == versus_text
    type_at(page, "[data-field='reasoning']", "The heavy ruler floated while the light key sank.")
    type_at(page, "[data-field='limitations']", "We tried only two objects.")
    verdict = page.locator(".lamap-verdict")
    assert idea in verdict.locator(".lamap-quote").first.inner_text(), "the hypothesis is revisited"
    press_at(page, "input[data-field='hypothesis_verdict']", "Space")  # "Supported by the evidence"
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Refuted by the evidence").is_checked()
    press_at(page, "[data-criterion]", "Space")
    submit(page)
    peer = page.locator(".lamap-peer")
    peer.wait_for()
    assert peer.locator("[data-review]").count() == 2, "peer_reviews=2: two arguments to comment on"
    assert EXAMPLE_ARGUMENT in peer.inner_text(), "the author's example arguments fill in for missing peers"

    # 5. The notebook gathers every step; private notes are saved and kept.
    open_scenario(page, NOTEBOOK)
    entries = page.locator(".lamap-notebook-entry")

    def entry(step):
        found = entries.filter(has=page.locator(".lamap-card-title", has_text=re.compile(f"^{step} — ")))
        assert found.count() == 1, step
        return found

    assert question in entry("Question").inner_text()
    hypotheses = entry("Hypotheses").inner_text()
    assert idea in hypotheses and prediction in hypotheses and "A little sure" in hypotheses
    experiment = entry("Experiment")
    assert experiment_prediction in experiment.inner_text()
    assert table_rows(experiment.locator("table")) == [
        ["1", "wooden ruler", "32.5", "45", "floats", "floats"],
        ["1", "steel key", "12", "1.5", "floats", "sinks"],
    ], "trial numbers travel with the rows"
    assert experiment.locator("svg.lamap-chart-svg .lamap-mark").count() == 2, "the notebook shows the chart"
    argument = entry("Argumentation").inner_text()
    assert claim in argument and row_text in argument and "Refuted by the evidence" in argument
    notes = f"Before, I thought heavy things sink. Now I think size matters too ({tag})."
    type_at(page, "[data-field='notes']", notes)
    press_at(page, "[data-step-action='save']")
    wait_status(page, "Notes saved on")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-field='notes']").input_value() == notes
    assert page.locator(".lamap-status").inner_text().startswith("Notes saved on")

    # 6. Learner B submits a question, then finds A's on the board, anonymously, and says it helps.
    # Learner B: a browser context of their own.
    other = tabs(f"journey-b-{tag}")
    open_scenario(other, QUESTION)
    type_at(other, "textarea[data-item-field='text']", f"Does salt help things float? ({tag})")
    press_at(other, "[data-item-field='chosen']", "Space")
    press_at(other, "input[data-field='testable']", "Space")
    type_at(other, "textarea[data-field='testable_reason']", "We can add salt to the water.")
    submit(other)
    contribution = other.locator(".lamap-board .lamap-board-item", has_text=question)
    assert contribution.count() == 1, "A's question is on B's board (newest first, page 1)"
    assert "Yours" not in contribution.inner_text()
    html = other.content()
    assert learner_a not in html, "nothing on B's page says who wrote it"
    assert anonymous_id(learner_a) not in html
    assert not re.search(r"\banon\b", html, re.IGNORECASE)
    helps = contribution.locator("[data-board-action='endorse']")
    assert helps.inner_text() == "This helps me"
    assert helps.get_attribute("aria-pressed") == "false"
    helps.focus()
    other.keyboard.press("Enter")
    other.locator(".lamap-board-status", has_text="Marked as helpful.").wait_for()
    # The board is redrawn: find A's contribution again.
    contribution = other.locator(".lamap-board .lamap-board-item", has_text=question)
    assert contribution.locator("[data-board-action='endorse']").get_attribute("aria-pressed") == "true"
    assert "Helped 1 learner" in contribution.inner_text()
    assert other.evaluate("document.activeElement.getAttribute('data-board-action')") == "endorse"
