"""
A learner completes each step in headless Chromium with the keyboard only: Tab to reach
controls, typing, Space and arrows for choices, Enter for buttons. Playwright drives
Debian's chromium binary (never a downloaded browser).
"""

import os
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def open_scenario(page, scenario):
    page.goto(f"{page.base}/scenario/{scenario}/?student={page.student}")
    page.wait_for_load_state("networkidle")


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching ``selector`` has the focus: proof it is reachable."""
    target = page.locator(selector).first
    target.wait_for()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return target
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def type_at(page, selector, text):
    """Reach ``selector`` with Tab, then type into it."""
    tab_to(page, selector)
    page.keyboard.type(text)


def press_at(page, selector, key="Enter"):
    """Reach ``selector`` with Tab, then press a key on it (Enter on a button, Space on a box)."""
    tab_to(page, selector)
    page.keyboard.press(key)


def submit_by_keyboard(page):
    press_at(page, "[data-step-action='submit']")
    wait_status(page, "Submitted on")


def focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def wait_status(page, text):
    page.locator(".lamap-status", has_text=text).first.wait_for(timeout=10000)


def test_question_by_keyboard(page):
    open_scenario(page, "lamap_question.0")
    type_at(page, "textarea[data-item-field='text']", "Why does the big ruler float?")
    press_at(page, "[data-list='questions'] [data-list-action='add']")
    assert page.evaluate("document.activeElement.getAttribute('data-item-field')") == "text"
    page.keyboard.type("Do heavy things always sink?")
    press_at(page, "[data-item-field='chosen']", "Space")
    page.keyboard.press("ArrowDown")  # the second question's radio, in the same group
    press_at(page, "input[data-field='testable']", "Space")
    type_at(page, "textarea[data-field='testable_reason']", "We can put heavy and light objects in water.")
    submit_by_keyboard(page)
    assert focused_text(page) == "Compare with questions others asked"
    assert page.locator(".lamap-reference-list li").count() == 3
    radios = page.locator("[data-item-field='chosen']")
    assert radios.nth(1).is_checked()
    page.reload()
    assert page.locator("textarea[data-item-field='text']").nth(1).input_value() == "Do heavy things always sink?"
    assert page.locator(".lamap-status").inner_text().startswith("Submitted on")


def test_hypothesis_by_keyboard(page):
    open_scenario(page, "lamap_hypothesis.0")
    type_at(page, "textarea[data-item-field='idea']", "I think that light objects float.")
    page.keyboard.press("Tab")
    page.keyboard.type("because water pushes them up.")
    page.keyboard.press("Tab")
    page.keyboard.type("If I put a heavy log in water, then I will observe that it sinks.")
    page.keyboard.press("Tab")  # into the confidence radio group
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.locator("[data-item-field='confidence'][value='3']").is_checked()
    submit_by_keyboard(page)
    assert focused_text(page) == "Revisit your hypotheses"
    assert page.locator("[data-list-action='remove']").count() == 0, "a submitted hypothesis cannot be removed"
    press_at(page, "[data-revise-field='verdict']", "Space")
    page.keyboard.press("ArrowDown")  # refuted
    type_at(page, "[data-revise-field='justification']", "The heavy log floated in the river.")
    press_at(page, "[data-revise]")
    wait_status(page, "Your revisit is saved.")
    assert focused_text(page).startswith("Hypothesis 1")
    assert "Refuted by the evidence" in page.locator(".lamap-card").inner_text()
    assert page.locator(".lamap-versions summary").inner_text() == "1 earlier version"


def test_experiment_by_keyboard_with_repeated_trials_and_chart(page):
    open_scenario(page, "lamap_experiment.0")
    type_at(page, "[data-field='changed_variable']", "the temperature of the water (cold, warm and hot)")
    for value in ("20", "60"):
        press_at(page, "[data-list='changed_values'] [data-list-action='add']")
        page.keyboard.type(value)
    type_at(page, "[data-list='measured_variables'] input", "the time for a sugar cube to dissolve")
    press_at(page, "[data-list='controlled_variables'] [data-list-action='add']")
    page.keyboard.type("the amount of water")
    type_at(page, "[data-field='prediction']", "Sugar dissolves faster in warm water.")
    type_at(page, "[data-list='rows'] input[data-item-field='temperature']", "20")
    page.keyboard.press("Tab")
    page.keyboard.type("95")
    press_at(page, "[data-row-action='repeat']")
    assert page.evaluate("document.activeElement.getAttribute('data-item-field')") == "time"
    page.keyboard.type("101,5")
    press_at(page, "[data-list='rows'] > [data-list-action='add']")
    page.keyboard.type("60")
    page.keyboard.press("Tab")
    page.keyboard.type("31")
    trials = page.locator("[data-trial-label]").all_inner_texts()
    assert trials == ["Trial 1", "Trial 2", "Trial 1"]
    page.wait_for_function("document.querySelectorAll('[data-chart] svg .lamap-mark').length === 3")
    chart = page.locator("[data-chart] svg")
    description = chart.locator("desc").text_content()
    assert "20: median 98.25 s (2 trials)" in description
    assert chart.locator("polyline, path.lamap-line").count() == 0, "no line joins the temperatures"
    live = svg_elements(page)
    submit_by_keyboard(page)
    assert focused_text(page) == "Is your test fair?"
    assert page.locator(".lamap-check-pass").count() == 4
    assert page.locator(".lamap-check-pass .lamap-badge").count() == 0, "a passed check carries no badge"
    page.reload()
    assert page.locator("[data-list='rows'] input[data-item-field='time']").nth(1).input_value() == "101.5"
    assert svg_elements(page) == live, "the server draws the same chart as the page did live"


def svg_elements(page):
    """Every element of the results chart: its tag, attributes and own text."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-chart] svg, [data-chart] svg *'), node => [
            node.tagName,
            // xmlns: written by the server's markup, implied by the script's createElementNS
            Array.from(node.attributes, a => [a.name, a.value]).filter(a => a[0] !== 'xmlns').sort(),
            Array.from(node.childNodes).filter(c => c.nodeType === 3).map(c => c.textContent).join('')
        ])"""
    )


def test_argumentation_by_keyboard(page):
    open_scenario(page, "lamap_argumentation.0")
    type_at(page, "[data-field='claim']", "Weight alone does not decide whether an object floats.")
    type_at(page, "[data-list='evidence'] textarea", "The heavy wooden log floated.")
    press_at(page, "[data-list='evidence'] [data-list-action='add']")
    page.keyboard.type("The light steel key sank.")
    type_at(
        page,
        "[data-field='reasoning']",
        "A heavy object floated and a light one sank, so weight alone cannot explain it.",
    )
    type_at(page, "[data-field='limitations']", "We tried only a few objects.")
    press_at(page, "[data-criterion]", "Space")
    submit_by_keyboard(page)
    assert focused_text(page) == "Your argument against the criteria"
    assert page.locator(".lamap-feedback li").count() == 2


def test_refused_submission_is_announced_and_work_kept(page):
    open_scenario(page, "lamap_question.0")
    type_at(page, "textarea[data-item-field='text']", "Only one question")
    press_at(page, "[data-step-action='submit']")
    alert = page.locator(".lamap-error")
    alert.wait_for()
    page.wait_for_function("document.querySelector('.lamap-error').textContent.length > 0")
    assert alert.inner_text().startswith("Not submitted yet: Write at least 2 questions.")
    assert page.evaluate("document.activeElement.classList.contains('lamap-error')")
    assert page.locator("textarea[data-item-field='text']").first.input_value() == "Only one question"


def test_two_blocks_in_a_page_work_apart(page):
    open_scenario(page, "lamap_question.1")
    areas = page.locator("textarea[data-item-field='text']")
    areas.nth(1).fill("Only in the second block")
    page.locator("[data-step-action='save']").nth(1).click()
    page.locator(".lamap-status", has_text="Draft saved on").nth(0).wait_for()
    statuses = page.locator(".lamap-status").all_inner_texts()
    assert statuses[0] == "Not submitted yet." and statuses[1].startswith("Draft saved on")
    page.reload()
    assert areas.nth(0).input_value() == "" and areas.nth(1).input_value() == "Only in the second block"


def test_studio_editor_in_the_demo(page):
    open_scenario(page, "lamap_experiment.0")
    page.goto(f"{page.base}/scenario/lamap_experiment.0/studio_view/?student=staff-{page.student}")
    editor = page.locator(".lamap-editor")
    editor.wait_for()
    press_at(page, "[data-editor-field='columns'] [data-list-action='add']")
    page.keyboard.type("Stirring")
    press_at(page, "[data-editor-action='save']")
    page.locator(".lamap-editor-status", has_text="Saved.").wait_for()
    page.goto(f"{page.base}/scenario/lamap_experiment.0/?student={page.student}")
    assert "Stirring" in page.locator("thead").inner_text()
    # Put the scenario back for other tests.
    page.goto(f"{page.base}/scenario/lamap_experiment.0/studio_view/?student=staff-{page.student}")
    page.locator("[data-editor-field='columns'] [data-list-action='remove']").last.click()
    page.locator("[data-editor-action='save']").click()
    page.locator(".lamap-editor-status", has_text="Saved.").wait_for()


def test_scripts_speak_french(browser, demo_server):
    context = browser.new_context(locale="fr-FR")
    tab = context.new_page()
    tab.goto(f"{demo_server}/scenario/lamap_experiment.0/?student=fr-{uuid.uuid4().hex[:8]}")
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("window.LamapI18N.gettext('Trial {number}')") == "Essai {number}"
    tab.locator("[data-list='rows'] input[data-item-field='temperature']").fill("20")
    tab.locator("[data-list='rows'] input[data-item-field='time']").fill("12,5")
    tab.locator("[data-row-action='repeat']").click()
    assert tab.locator("[data-trial-label]").all_inner_texts() == ["Essai 1", "Essai 2"]
    tab.wait_for_function("document.querySelectorAll('[data-chart] svg .lamap-mark').length === 1")
    assert "Le graphique" not in tab.locator("[data-chart]").inner_text()
    title = tab.locator("[data-chart] svg > title").text_content()
    assert title == "Time to dissolve (s) pour chaque water temperature\u00a0: chaque essai et la médiane", (
        "authored names, French frame"
    )
    assert "12,5" in tab.locator("[data-chart] svg").text_content(), "French numbers"
    tab.locator("[data-step-action='submit']").click()
    tab.locator(".lamap-error").wait_for()
    tab.wait_for_function("document.querySelector('.lamap-error').textContent.length > 0")
    assert tab.locator(".lamap-error").inner_text().startswith("Pas encore soumis")
    context.close()


def test_errors_sit_next_to_their_fields_and_a_refused_submission_keeps_the_draft(page):
    open_scenario(page, "lamap_experiment.0")
    type_at(page, "[data-field='prediction']", "Sugar dissolves faster in warm water.")
    type_at(page, "[data-list='rows'] input[data-item-field='temperature']", "20")
    page.keyboard.press("Tab")
    page.keyboard.type("fast")  # not a number
    press_at(page, "[data-step-action='save']")
    cell = page.locator("[data-list='rows'] input[data-item-field='time']").first
    page.wait_for_function("document.querySelectorAll('.lamap-field-error').length === 1")
    note = page.locator(".lamap-field-error").first
    assert note.inner_text() == "Results table, row 1: Time to dissolve (s) must be a number, for example 12.5."
    assert cell.get_attribute("aria-invalid") == "true"
    assert note.get_attribute("id") in cell.get_attribute("aria-describedby").split()
    assert page.evaluate("document.activeElement.getAttribute('data-item-field')") == "time", "focus on the field"
    assert page.locator(".lamap-error").inner_text() == note.inner_text(), "and in the summary"

    cell.fill("95")
    press_at(page, "[data-list='rows'] > [data-list-action='add']")
    wait_status(page, "Row 2 added")
    press_at(page, "[data-step-action='submit']")
    page.wait_for_function("document.querySelectorAll('.lamap-field-error').length >= 2")
    assert not page.locator(".lamap-field-error", has_text="must be a number").count(), "old errors are gone"
    changed = page.locator("[data-field='changed_variable']")
    assert changed.get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.getAttribute('data-field')") == "changed_variable"
    wait_status(page, "Draft saved on")  # the refused work is kept as a draft, and the status says so
    assert "Row 2 added" not in page.locator(".lamap-status").first.inner_text()
    page.reload()
    assert page.locator("[data-field='prediction']").input_value() == "Sugar dissolves faster in warm water."
    assert page.locator("[data-list='rows'] input[data-item-field='time']").first.input_value() == "95"


def test_the_editor_marks_every_invalid_field_and_focuses_the_first(page):
    page.goto(f"{page.base}/scenario/lamap_experiment.0/studio_view/?student=staff-{page.student}")
    page.locator(".lamap-editor").wait_for()
    page.locator("[data-editor-field='max_rows'] input").fill("0")
    page.locator("[data-editor-field='weight'] input").fill("500")
    press_at(page, "[data-editor-action='save']")
    page.wait_for_function("document.querySelectorAll('.lamap-editor .lamap-field-error').length === 2")
    for name in ("max_rows", "weight"):
        control = page.locator(f"[data-editor-field='{name}'] input")
        assert control.get_attribute("aria-invalid") == "true"
        note = page.locator(f"[data-editor-field='{name}'] .lamap-field-error")
        assert note.get_attribute("id") in control.get_attribute("aria-describedby").split()
    assert page.evaluate("document.activeElement.closest('[data-editor-field]').dataset.editorField") == "max_rows"
    assert page.locator(".lamap-editor-error").inner_text().startswith("2 problems to fix:")


def test_the_notebooks_results_table_scrolls_inside_its_box_at_320_px(page):
    open_scenario(page, "lamap_notebook.2")  # the investigation's experiment: five columns
    page.fill("[data-field='changed_variable']", "the object")
    page.fill("[data-list='measured_variables'] input", "its mass and volume")
    page.fill("[data-field='prediction']", "Light things float.")
    inputs = page.locator("[data-list='rows'] .lamap-list-item").first.locator("input")
    for index, value in enumerate(("a modelling clay ball", "41", "25", "floats", "sinks")):
        inputs.nth(index).fill(value)
    press_at(page, "[data-step-action='submit']")
    wait_status(page, "Submitted on")
    page.set_viewport_size({"width": 320, "height": 700})
    open_scenario(page, "lamap_notebook.4")
    wrap = page.locator(".lamap-notebook-entry .lamap-table-wrap").first
    wrap.wait_for()
    assert wrap.evaluate("box => box.scrollWidth > box.clientWidth"), "the table scrolls in its box"
    assert page.evaluate("document.querySelector('.lamap-notebook').getBoundingClientRect().right") <= 320
    assert wrap.get_attribute("role") == "region" and wrap.get_attribute("tabindex") == "0"


@pytest.mark.parametrize(
    "scenario",
    [
        "lamap_question.0",
        "lamap_hypothesis.0",
        "lamap_experiment.0",
        "lamap_argumentation.0",
        "lamap_analysis.0",
        "lamap_analysis.1",
        "lamap_analysis.2",
    ],
)
def test_axe_finds_nothing_in_the_blocks_or_their_editor(page, scenario):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    rules = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    open_scenario(page, scenario)
    results = Axe().run(page, context={"include": [[".lamap-step"]]}, options=rules)
    assert [violation["id"] for violation in results.response["violations"]] == [], scenario
    page.goto(f"{page.base}/scenario/{scenario}/studio_view/?student=staff-{page.student}")
    page.locator(".lamap-editor").wait_for()
    results = Axe().run(page, context={"include": [[".lamap-editor"]]}, options=rules)
    assert [violation["id"] for violation in results.response["violations"]] == [], f"{scenario} editor"


# ----- the analysis block --------------------------------------------------------------------------

AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    results = Axe().run(page, context={"include": [[".lamap-step"]]}, options=AXE_RULES)
    return [violation["id"] for violation in results.response["violations"]]


def judge_all_by_keyboard(page, count):
    """Each criterion's radio group: Tab into it, Space on "Not seen", then the arrow to "Partly"."""
    for number in range(1, count + 1):
        press_at(page, f"[data-judgement='{number}'][value='not_seen']", "Space")
        page.keyboard.press("ArrowRight")


def test_analysing_a_dialogue_by_keyboard(page):
    open_scenario(page, "lamap_analysis.0")
    press_at(page, "[data-mark-line='3']")
    assert page.evaluate("document.activeElement.getAttribute('data-item-field')") == "criterion", "ready to say why"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # "Evidence of a misconception"
    page.keyboard.press("Tab")
    page.keyboard.type("Sam thinks the dissolved sugar is gone.")
    press_at(page, "[data-mark-line='7']")
    page.keyboard.press("ArrowDown")  # "A productive question"
    page.keyboard.press("Tab")
    page.keyboard.type("Lina proposes a test.")
    tab_to(page, "[data-list='marks'] li:nth-of-type(2) [data-item-field='end']")
    page.keyboard.press("Control+A")
    page.keyboard.type("8")
    assert page.locator(".lamap-line.lamap-marked").count() == 3, "lines 3, 7 and 8 are highlighted"
    type_at(page, "[data-field='written_feedback']", "You let Sam explain his idea: keep doing that.")
    judge_all_by_keyboard(page, 3)
    type_at(page, "[data-field='overall']", "A rich moment.")
    submit_by_keyboard(page)
    assert focused_text(page) == "Compare with the expert's analysis"
    statuses = page.locator(".lamap-expert-mark").evaluate_all("items => items.map(item => item.className)")
    assert statuses == [
        "lamap-expert-mark lamap-same",
        "lamap-expert-mark lamap-missed",
        "lamap-expert-mark lamap-same",
    ]
    assert page.locator(".lamap-heat-strip tbody tr").count() == 8
    assert axe_violations(page) == []
    page.reload()
    assert page.locator("[data-list='marks'] [data-item-field='end']").nth(1).input_value() == "8"
    assert page.locator("[data-judgement='3'][value='partly']").is_checked()


def test_analysing_an_image_by_keyboard(page):
    open_scenario(page, "lamap_analysis.1")
    press_at(page, "[data-list='marks'] [data-list-action='add']")
    region = tab_to(page, "[data-region='0']")
    assert "Arrow keys move it" in region.get_attribute("aria-label")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('data-region')") == "0", "focus stays on the region"
    first = page.locator("[data-list='marks'] li").first
    assert [first.locator(f"[data-item-field='{key}']").input_value() for key in "xywh"] == ["35", "41", "32", "30"]
    assert "from 35% to 67% across, 41% to 71% down" in page.locator("[data-region='0']").get_attribute("aria-label")
    press_at(page, "[data-list='marks'] [data-item-field='criterion']", "ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("The glasses are drawn side by side.")
    type_at(page, "[data-field='written_feedback']", "Noah, where did the sugar go?")
    judge_all_by_keyboard(page, 3)
    type_at(page, "[data-field='overall']", "A clear question, a misconception at the end.")
    submit_by_keyboard(page)
    assert page.locator(".lamap-expert svg rect").count() == 2
    assert page.locator(".lamap-class-marks svg rect").count() > 0
    assert axe_violations(page) == []
    width = page.evaluate("document.querySelector('.lamap-analysis').getBoundingClientRect().width")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate(
        "document.querySelector('.lamap-analysis').scrollWidth <= document.querySelector('.lamap-analysis').clientWidth"
    ), f"nothing sideways at 375 px (was {width} px wide)"


def submit_graded_analysis(page, feedback):
    """A learner's analysis of the graded dialogue (lamap_analysis.2), scored by themselves with the keyboard."""
    open_scenario(page, "lamap_analysis.2")
    page.locator("[data-mark-line='3']").click()
    page.locator("[data-item-field='criterion']").first.select_option("1")
    page.locator("[data-item-field='comment']").first.fill("Sam thinks the sugar is gone.")
    page.locator("[data-mark-line='6']").click()
    page.locator("[data-item-field='criterion']").nth(1).select_option("2")
    page.locator("[data-item-field='comment']").nth(1).fill("The teacher asks for reasons.")
    page.locator("[data-field='written_feedback']").fill(feedback)
    for number in (1, 2, 3):
        page.locator(f"[data-judgement='{number}'][value='partly']").check()
    page.locator("[data-field='overall']").fill("A rich moment.")
    press_at(page, "[data-rubric-self] input[data-rubric-criterion='1']", "Space")
    page.keyboard.press("ArrowRight")  # "Partly"
    press_at(page, "[data-rubric-self] input[data-rubric-criterion='2']", "Space")
    page.keyboard.press("ArrowRight")  # "Yes"
    submit_by_keyboard(page)


def test_peers_score_an_analysis_with_the_rubric_by_keyboard(tabs):
    author, page = tabs(), tabs()
    submit_graded_analysis(author, "Keep letting Sam explain: ask Ava for her evidence.")
    assert "Waiting for peer scores: 0 of 2 received." in author.locator(".lamap-assessment").text_content()
    submit_graded_analysis(page, "Ask them how they could find the sugar again.")
    card = page.locator("[data-review]", has_text="ask Ava for her evidence")
    assert "Sam thinks the sugar is gone." in card.locator("blockquote").text_content(), "the marks, in words"
    press_at(page, "[data-review] input[data-rubric-criterion='1']", "Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # "Clearly"
    press_at(page, "[data-review] input[data-rubric-criterion='2']", "Space")
    page.keyboard.press("ArrowRight")  # "Yes"
    type_at(page, "[data-review] [data-review-comment]", "Each mark quotes the pupils.")
    press_at(page, "[data-review] [data-review-action='send']")
    page.locator(".lamap-peer-status", has_text="Your feedback is sent").wait_for()
    assert "feedback sent" in page.locator("[data-review] h5").first.text_content()
    assert page.locator("[data-review] input[data-rubric-criterion='1'][value='2']").is_checked(), "kept as sent"
    assert axe_violations(page) == []
    author.reload()
    author.wait_for_load_state("networkidle")
    assert "Waiting for peer scores: 1 of 2 received." in author.locator(".lamap-assessment").text_content()
    assert "Levels: Marks name what the moment shows: Clearly" in author.locator(".lamap-received").text_content()


def test_the_analysis_block_in_french_is_accessible(browser, demo_server):
    context = browser.new_context(locale="fr-FR")
    tab = context.new_page()
    tab.goto(f"{demo_server}/scenario/lamap_analysis.0/?student=fr-{uuid.uuid4().hex[:8]}")
    tab.wait_for_load_state("networkidle")
    tab.locator("[data-mark-line='3']").click()
    tab.wait_for_function("document.querySelector('.lamap-status').textContent === 'Élément ajouté\u00a0: Repère 1.'")
    tab.locator("[data-mark-line='7']").click()
    for index, (criterion, comment) in enumerate([("1", "Sam pense que le sucre a disparu."), ("0", "Une question.")]):
        tab.locator("[data-item-field='criterion']").nth(index).select_option(criterion)
        tab.locator("[data-item-field='comment']").nth(index).fill(comment)
    tab.locator("[data-field='written_feedback']").fill("Vous avez laissé Sam s'expliquer.")
    for number in (1, 2, 3):
        tab.locator(f"[data-judgement='{number}'][value='clearly']").check()
    tab.locator("[data-field='overall']").fill("Un moment riche.")
    tab.locator("[data-step-action='submit']").click()
    tab.wait_for_function(
        "document.querySelector('.lamap-expert') || document.querySelector('.lamap-error').textContent"
    )
    assert tab.locator(".lamap-error").inner_text() == ""
    assert "Comparez avec l'analyse de l'expert" in tab.locator(".lamap-expert h4").inner_text()
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    results = Axe().run(tab, context={"include": [[".lamap-step"]]}, options=AXE_RULES)
    assert [violation["id"] for violation in results.response["violations"]] == []
    context.close()


# ----- right to left: Arabic ---------------------------------------------------------------------------------

SCREENSHOTS = Path(os.environ.get("LAMAP_SCREENSHOTS", "")) if os.environ.get("LAMAP_SCREENSHOTS") else None


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scenario", ["lamap_experiment.0", "lamap_analysis.0", "lamap_question.0"])
def test_arabic_lays_every_block_out_right_to_left(browser, demo_server, scenario, width):
    context = browser.new_context(locale="ar", viewport={"width": width, "height": 900})
    tab = context.new_page()
    student = f"ar-{uuid.uuid4().hex[:8]}"
    tab.goto(f"{demo_server}/scenario/{scenario}/?student={student}")
    tab.wait_for_load_state("networkidle")
    step = tab.locator(".lamap-step").first
    assert (step.get_attribute("lang"), step.get_attribute("dir")) == ("ar", "rtl")
    assert step.evaluate("node => getComputedStyle(node).direction") == "rtl"
    assert tab.locator("[data-step-action='submit']").inner_text() == "إرسال"
    start = tab.locator(".lamap-prompt").evaluate("node => node.getBoundingClientRect().right")
    box = step.evaluate("node => node.getBoundingClientRect().right")
    assert abs(box - start) < 40, "text starts on the right"
    assert step.evaluate("node => node.scrollWidth <= node.clientWidth + 1"), "nothing sideways"
    if scenario == "lamap_experiment.0":
        charts = tab.locator(".lamap-chart-svg")
        if charts.count():
            assert charts.first.evaluate("node => getComputedStyle(node).direction") == "ltr", "axes run left to right"
    assert axe_violations(tab) == []
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"ar-{scenario}-{width}.png"), full_page=True)
    tab.goto(f"{demo_server}/scenario/{scenario}/studio_view/?student=staff-{student}")
    editor = tab.locator(".lamap-editor")
    editor.wait_for()
    assert editor.get_attribute("dir") == "rtl"
    assert editor.evaluate("node => node.scrollWidth <= node.clientWidth + 1"), "the editor too"
    context.close()


def test_arabic_board_notebook_and_chart_right_to_left(browser, demo_server):
    """The class board after a submission, the notebook, and a chart drawn from results, at 375 and 1280 px."""
    student = f"ar-{uuid.uuid4().hex[:8]}"
    for width in (375, 1280):
        context = browser.new_context(locale="ar", viewport={"width": width, "height": 900})
        tab = context.new_page()
        tab.goto(f"{demo_server}/scenario/lamap_notebook.0/?student={student}")
        tab.wait_for_load_state("networkidle")
        if width == 375:
            questions = tab.locator("textarea[data-item-field='text']")
            questions.first.fill("لماذا تطفو المسطرة الخشبية الكبيرة؟")
            tab.locator("[data-list='questions'] [data-list-action='add']").click()
            questions.nth(1).fill("هل تغرق الأشياء الثقيلة دائمًا؟")
            tab.locator("[data-item-field='chosen']").nth(1).check()
            tab.locator("input[data-field='testable']").first.check()
            tab.locator("textarea[data-field='testable_reason']").fill("نضع أشياء ثقيلة وخفيفة في الماء.")
            tab.locator("[data-step-action='submit']").click()
        board = tab.locator(".lamap-board")
        board.wait_for(timeout=15000)
        assert board.evaluate("node => getComputedStyle(node).direction") == "rtl"
        assert "هل تغرق الأشياء الثقيلة دائمًا؟" in board.inner_text()
        assert axe_violations(tab) == []
        tab.goto(f"{demo_server}/scenario/lamap_notebook.2/?student={student}")
        tab.wait_for_load_state("networkidle")
        cells = tab.locator("[data-list='rows'] .lamap-list-item").first.locator("input")
        if width == 375:
            for index, value in enumerate(["مفتاح", "40", "5"]):
                cells.nth(index).fill(value)
        chart = tab.locator(".lamap-chart-svg").first
        chart.wait_for(timeout=15000)
        if width == 375:  # kept for the wide screen
            with tab.expect_response(lambda response: "save_draft" in response.url):
                tab.locator("[data-step-action='save']").click()
        assert chart.evaluate("node => getComputedStyle(node).direction") == "ltr", "axes left to right"
        step = tab.locator(".lamap-step").first
        assert step.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
        tab.goto(f"{demo_server}/scenario/lamap_notebook.4/?student={student}")
        tab.wait_for_load_state("networkidle")
        notebook = tab.locator(".lamap-notebook")
        assert (notebook.get_attribute("lang"), notebook.get_attribute("dir")) == ("ar", "rtl")
        assert "هل تغرق الأشياء الثقيلة دائمًا؟" in notebook.inner_text()
        assert notebook.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
        assert axe_violations(tab) == []
        if SCREENSHOTS:
            notebook.screenshot(path=str(SCREENSHOTS / f"ar-notebook-{width}.png"))
        context.close()
