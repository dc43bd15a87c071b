"""
The blocks in a v2 content library (a ``lib:`` key): nothing assumes a course key; the
store, the class board and the notebook are off there, and say so; authoring is the
library's to allow.
"""

import copy

from lxml import html

from lamap_xblocks import compat, models

from .conftest import VALID_WORK, call

LIBRARY = "lib:LaMap:inquiry"


class LibraryUsage(str):
    """A v2 library usage key, as opaque-keys gives it (only what the blocks read)."""

    def __new__(cls, block_type, name):
        key = super().__new__(cls, f"lb:LaMap:inquiry:{block_type}:{name}")
        key.context_key = LIBRARY
        return key


def in_library(block):
    block.scope_ids = block.scope_ids._replace(usage_id=LibraryUsage(block.scope_ids.block_type, "b1"))
    return block


def test_a_step_in_a_library_works_without_the_store_and_says_sharing_is_off(make_block):
    block = in_library(make_block("lamap_question", share_with_class=True, investigation="floating"))
    assert compat.in_library(block) and compat.course_id(block) == LIBRARY
    status, reply = call(block, "submit_step", copy.deepcopy(VALID_WORK["lamap_question"]))
    assert status == 200, reply
    notice = html.fromstring(reply["feedback_html"]).text_content()
    assert "Sharing with the class and peer feedback are off in a content library" in notice
    assert not models.StepRecord.objects.exists() and not models.Contribution.objects.exists()
    assert not models.LearnerProgress.objects.exists()


def test_the_notebook_in_a_library_says_it_has_nothing_to_show(make_block):
    notebook = in_library(make_block("lamap_notebook", investigation="floating"))
    page = html.fromstring(notebook.render("student_view", {}).content).text_content()
    assert "in a content library there is none to show" in page


def test_in_a_library_the_library_decides_who_edits(make_block):
    """The v2 runtime has no Studio permissions service; the library's API checks editors."""
    block = in_library(make_block("lamap_question", display_name="Ours"))
    assert call(block, "submit_studio_edits", {"values": {"display_name": "In the library"}})[0] == 200
    assert block.display_name == "In the library"
