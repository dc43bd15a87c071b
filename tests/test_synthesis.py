"""The notebook as a structuring activity: the course's synthesis comes after the learner's own."""

import lxml.html

from tests.conftest import call

SYNTHESIS = (
    "- An object floats when it is light **for its size**.\n- <script>alert(1)</script>Weight alone does not decide."
)


def text(fragment):
    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()


def test_the_synthesis_appears_only_once_the_learner_has_written_their_own(make_block):
    block = make_block("lamap_notebook", investigation="floating", synthesis=SYNTHESIS)
    page = block.render("student_view", {}).content
    assert "for its size" not in text(page), "not before the learner writes"
    assert "Once you have saved your notes, the course's synthesis appears here" in text(page)
    status, reply = call(block, "save_draft", {"notes": "   "})
    assert status == 200 and reply["synthesis_html"] == "", "blank notes are not a synthesis"
    status, reply = call(block, "save_draft", {"notes": "Heavy things can float: the log did."})
    assert status == 200
    panel = lxml.html.fragment_fromstring(reply["synthesis_html"], create_parent="div")
    assert panel.cssselect("h4")[0].text_content() == "Compare with the course's synthesis"
    assert [item.text_content() for item in panel.cssselect("li strong")] == ["for its size"]
    assert not panel.cssselect("script")
    assert "for its size" in text(block.render("student_view", {}).content)


def test_a_notebook_without_synthesis_is_unchanged(make_block):
    block = make_block("lamap_notebook")
    status, reply = call(block, "save_draft", {"notes": "My notes."})
    assert status == 200 and reply["synthesis_html"] == ""
    assert "course's synthesis" not in text(block.render("student_view", {}).content)
