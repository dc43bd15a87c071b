"""Rendering: the learner's view, the author's view, escaping of learner text and sanitising of author Markdown."""

import json
import re

import pytest
from django.utils import translation
from lxml import html

from .conftest import BLOCKS, VALID_WORK, call

ALL = sorted(BLOCKS)

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    '<p style="background:url(javascript:alert(1))">x</p>',
]


def tree(fragment):
    return html.fromstring(f"<div>{fragment.content}</div>")


def assert_no_active_content(markup):
    document = html.fromstring(f"<div>{markup}</div>")
    for script in document.xpath("//script[@class='xblock_json_init_args']"):
        # The runtime's own element: it must carry configuration only, no text from people.
        assert set(json.loads(script.text)) == {"view", "uid", "language"}
        script.getparent().remove(script)
    assert not document.xpath("//script | //iframe | //object | //embed")
    for svg in document.xpath("//svg"):  # only the results chart, drawn by the server from escaped text
        assert svg.get("class") == "lamap-chart-svg"
        assert not svg.xpath(".//*[local-name()='foreignobject' or local-name()='a' or local-name()='use']")
    for element in document.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "action", "formaction", "srcset", "poster"):
                assert "javascript:" not in value.lower(), (element.tag, name, value)
            assert name != "style"


@pytest.mark.parametrize("block_type", ALL)
def test_student_view_structure(make_block, block_type):
    block = make_block(block_type, display_name="My step")
    fragment = block.render("student_view", {})
    document = tree(fragment)
    section = document.xpath("//section")[0]
    assert section.get("aria-labelledby") == f"{block.html_id}-title"
    assert document.xpath(f"//h3[@id='{block.html_id}-title']/text()") == ["My step"]
    assert document.xpath("//*[@role='status' and @aria-live='polite']")
    assert document.xpath("//*[@role='alert']")
    assert document.xpath("//*[@data-init]/@data-init") == [block.JS_CLASS]
    urls = [resource.data for resource in fragment.resources]
    step = block.STEP
    assert urls[:2] == [
        f"/resource/{block_type}/public/css/lamap_common.css",
        f"/resource/{block_type}/public/css/{step}.css",
    ]
    assert urls[-2:] == [
        f"/resource/{block_type}/public/js/lamap_common.js",
        f"/resource/{block_type}/public/js/{step}.js",
    ]
    assert not any(url.startswith(("http:", "https:", "//")) for url in urls), "no external resources"


@pytest.mark.parametrize("block_type", ALL)
def test_every_control_is_labelled_and_ids_are_unique(make_block, block_type):
    block = make_block(block_type)
    call(block, "submit_step", VALID_WORK[block_type])
    document = tree(block.render("student_view", {}))
    for template in document.xpath("//template"):
        template.getparent().remove(template)  # cloned by JavaScript, with fresh ids
    ids = document.xpath("//@id")
    assert len(ids) == len(set(ids)), "duplicate ids"
    labels = set(document.xpath("//label/@for"))
    for control in document.xpath("//input[not(@type='hidden')] | //textarea | //select"):
        assert control.get("id") in labels or control.get("aria-label"), html.tostring(control)
    for button in document.xpath("//button"):
        assert button.text_content().strip(), html.tostring(button)
    for fieldset in document.xpath("//fieldset"):
        assert fieldset.xpath("./legend"), "every fieldset has a legend"


@pytest.mark.parametrize("block_type", ALL)
def test_two_blocks_of_a_type_have_distinct_ids(make_block, block_type):
    first, second = make_block(block_type), make_block(block_type)
    ids_first = set(tree(first.render("student_view", {})).xpath("//@id"))
    ids_second = set(tree(second.render("student_view", {})).xpath("//@id"))
    assert ids_first and not ids_first & ids_second


@pytest.mark.parametrize("block_type", ALL)
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_author_markdown_is_sanitised(make_block, block_type, payload):
    block = make_block(block_type, prompt=f"Intro {payload} end", display_name=payload)
    if block_type == "lamap_question":
        block.situation = payload
    fragment = block.render("student_view", {})
    assert_no_active_content(fragment.content)
    assert "Intro" in fragment.content


def learner_work_with(block_type, payload):
    work = dict(VALID_WORK[block_type])
    if block_type == "lamap_question":
        work["questions"] = [payload, payload]
        work["testable_reason"] = payload
    elif block_type == "lamap_hypothesis":
        work["hypotheses"] = [dict(work["hypotheses"][0], idea=payload, reason=payload, prediction=payload)]
    elif block_type == "lamap_experiment":
        work.update(
            changed_variable=payload,
            observations=payload,
            controlled_variables=[payload],
            rows=[{"condition": payload, "result": "1"}],
        )
    elif block_type == "lamap_analysis":
        work.update(marks=[dict(work["marks"][0], comment=payload)], written_feedback=payload, overall=payload)
    else:
        work.update(claim=payload, evidence=[{"text": payload}], reasoning=payload)
    return work


@pytest.mark.parametrize("block_type", ALL)
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_learner_text_is_escaped_everywhere(make_block, block_type, payload):
    block = make_block(block_type)
    status, reply = call(block, "submit_step", learner_work_with(block_type, payload))
    assert status == 200, reply
    assert_no_active_content(reply["feedback_html"])
    content = block.render("student_view", {}).content
    assert_no_active_content(content)
    if "<" in payload:
        assert "&lt;" in content, "learner markup is shown as text"


@pytest.mark.parametrize("block_type", ALL)
def test_saved_work_is_shown_again(make_block, block_type):
    block = make_block(block_type)
    work = learner_work_with(block_type, "Remembered text 42")
    assert call(block, "save_draft", work)[0] == 200
    content = block.render("student_view", {}).content
    assert "Remembered text 42" in content
    assert "Draft saved on" in content


@pytest.mark.parametrize("block_type", ALL)
def test_author_view_summarises_settings_above_the_preview(make_block, block_type):
    block = make_block(block_type, scored=False)
    document = tree(block.render("author_view", {}))
    summary = document.xpath("//aside[contains(@class, 'lamap-author-summary')]")[0]
    text = summary.text_content()
    assert "Grading" in text and "Not scored" in text
    assert document.xpath("//*[@data-step-action='submit']"), "the preview stays usable"


@pytest.mark.parametrize("block_type", ALL)
def test_untitled_block_shows_the_steps_name(make_block, block_type):
    block = make_block(block_type)
    assert not block.fields["display_name"].is_set_on(block)
    assert block.display_name_with_default == block.default_title() == block.display_name
    with translation.override("fr"):
        assert block.display_name_with_default != block.default_title(), "translated"
        title = tree(block.render("student_view", {})).xpath("//h3[@class='lamap-title']/text()")[0]
        assert title == block.display_name_with_default
    block.display_name = "Mine"
    assert block.display_name_with_default == "Mine"


@pytest.mark.parametrize("block_type", ALL)
def test_search_index_has_title_and_prompt_words(make_block, block_type):
    block = make_block(block_type, display_name="Floating", prompt="Think about **boats**.")
    index = block.index_dictionary()
    assert index["content"]["display_name"] == "Floating"
    assert index["content"]["prompt"] == "Think about boats."
    assert index["content_type"]


def test_question_reference_questions_only_after_submission(make_block):
    block = make_block("lamap_question", reference_questions=["Does salt help?"])
    assert "Does salt help?" not in block.render("student_view", {}).content
    assert call(block, "student_view_user_state", method="GET")[1]["feedback"] == {}
    status, reply = call(block, "submit_step", VALID_WORK["lamap_question"])
    assert status == 200
    assert "Does salt help?" in reply["feedback_html"]
    assert reply["state"]["feedback"] == {"reference_questions": ["Does salt help?"]}
    document = tree(block.render("student_view", {}))
    assert document.xpath("//*[@data-focus-after-submit]/text()") == ["Compare with questions others asked"]
    assert document.xpath("//ul[@class='lamap-reference-list']/li/text()") == ["Does salt help?"]


def test_question_situation_media(make_block):
    block = make_block(
        "lamap_question",
        situation="A *basin* of water.",
        image_url="/static/basin.svg",
        image_alt="A basin with a floating ruler",
        video_url="https://videos.example.org/basin.mp4",
    )
    document = tree(block.render("student_view", {}))
    image = document.xpath("//figure/img")[0]
    assert image.get("src") == "/static/basin.svg" and image.get("alt") == "A basin with a floating ruler"
    assert document.xpath("//video/@src") == ["https://videos.example.org/basin.mp4"]
    assert document.xpath("//div[@class='lamap-situation']//em/text()") == ["basin"]
    block.video_url = "https://www.youtube.com/watch?v=abc"
    document = tree(block.render("student_view", {}))
    assert not document.xpath("//video") and not document.xpath("//iframe")
    link = document.xpath("//a[contains(@href, 'youtube')]")[0]
    assert link.get("rel") == "noopener noreferrer"


def test_default_instructions_when_the_author_gave_none(make_block):
    block = make_block("lamap_experiment")
    text = tree(block.render("student_view", {})).xpath("//div[@class='lamap-prompt']")[0].text_content()
    assert re.search(r"fair test", text)


@pytest.mark.parametrize("block_type", ALL)
def test_templates_resolve_every_variable(make_block, block_type, caplog):
    """A failed lookup is a bug and, with Django's debug logging, a slow render."""
    block = (
        make_block(block_type, criteria=["Cites data"])
        if block_type == "lamap_argumentation"
        else make_block(block_type)
    )
    with caplog.at_level("DEBUG", logger="django.template"):
        block.render("student_view", {})
        block.render("studio_view", {})
        block.render("author_view", {})
        call(block, "submit_step", VALID_WORK[block_type])
        block.render("student_view", {})
        if block_type == "lamap_hypothesis":
            call(
                block, "revise_hypothesis", {"id": "h1", "verdict": "supported", "justification": "j", "confidence": 2}
            )
            block.render("student_view", {})
    failures = [record.getMessage() for record in caplog.records if "resolving variable" in record.getMessage()]
    assert failures == []


def test_unsafe_stored_urls_are_not_rendered(make_block):
    """Data saved before URLs were checked, or written to the store directly, stays inert."""
    block = make_block("lamap_question", image_url="javascript:alert(1)", image_alt="x", video_url="data:text/html,x")
    content = block.render("student_view", {}).content
    assert "javascript:" not in content and "data:text" not in content


@pytest.mark.parametrize("block_type", ALL)
def test_every_described_or_labelled_by_points_at_an_existing_id(make_block, block_type):
    block = make_block(block_type)
    call(block, "save_draft", learner_work_with(block_type, "Some text"))
    document = html.fromstring(f"<div>{block.render('student_view', {}).content}</div>")
    for template in document.xpath("//template"):
        template.getparent().remove(template)  # the items the page's script adds
    ids = set(document.xpath("//@id"))
    for node in document.xpath("//*[@aria-describedby or @aria-labelledby]"):
        for target in f"{node.get('aria-describedby', '')} {node.get('aria-labelledby', '')}".split():
            assert target in ids, (block_type, node.tag, target)


def test_dates_in_the_learners_language_and_time_zone(make_block, users):
    from django.utils import translation  # noqa: PLC0415

    block = make_block("lamap_question")
    block.saved_on = "2026-12-06T09:37:00+00:00"
    assert block.status_text() == "Draft saved on Dec 6, 2026, 9:37\u202fAM UTC. Not submitted yet."
    users.time_zones[block.scope_ids.user_id] = "Europe/Paris"
    paris = make_block("lamap_question")
    paris.saved_on = block.saved_on
    with translation.override("fr"):
        assert "6 déc. 2026, 10:37" in paris.status_text(), "Paris time, French date"
        assert "UTC" not in paris.status_text()


@pytest.mark.parametrize("block_type", ALL)
def test_learners_never_download_the_studio_editor(make_block, block_type):
    block = make_block(block_type)
    urls = [resource.data for resource in block.render("student_view", {}).resources if resource.kind == "url"]
    assert not any(url.endswith("/studio.js") for url in urls)
    urls = [resource.data for resource in block.render("studio_view", {}).resources if resource.kind == "url"]
    assert [url.rsplit("/", 1)[-1] for url in urls if url.endswith(".js")][-2:] == ["studio.js", f"{block.STEP}.js"]
