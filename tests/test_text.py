"""Author Markdown and learner text: rendering, sanitising, normalising, URL checks."""

import pytest

from lamap_xblocks.text import is_safe_url, is_video_file, normalise_text, plain_text, render_markdown


def test_headings_move_down_two_levels():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n##### Five")
    assert "<h3>One</h3>" in html and "<h4>Two</h4>" in html and "<h5>Three</h5>" in html
    assert "<h6>Five</h6>" in html


def test_tables_lists_and_code_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n1. first\n2. second\n\n```\nx = 1\n```")
    assert "<table>" in html and "<ol>" in html and "<pre><code>x = 1" in html
    assert "<th>a</th>" in html and "<td>2</td>" in html and "<li>first</li>" in html and "<li>second</li>" in html


def test_emphasis_and_paragraphs_render_as_written():
    assert render_markdown("Look **closely** at *the key*.\n\nThen write.") == (
        "<p>Look <strong>closely</strong> at <em>the key</em>.</p>\n<p>Then write.</p>"
    )


def test_no_footnotes_or_attribute_lists():
    html = render_markdown("Text[^1]\n\n[^1]: note\n\nPara {: #id .cls }")
    assert "footnote" not in html and 'id="' not in html and 'class="' not in html


@pytest.mark.parametrize(
    "source,kept",
    [
        ("<script>alert(1)</script>Kept text", "Kept text"),
        ("Before <img src=x onerror=alert(1)> after", '<p>Before <img src="x"> after</p>'),
        ("[the link text](javascript:alert(1))", "the link text"),
        ("<a href='JaVaScRiPt:alert(1)'>a link</a>", "a link"),
        ("<div style='color:red' onclick='x()'>the division</div>", "the division"),
        ("<form action='/x'>A form<input name=a></form>", "A form"),
    ],
)
def test_dangerous_markup_is_removed_and_the_text_kept(source, kept):
    rendered = render_markdown(source)
    html = rendered.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "style=", "<form", "<input"):
        assert bad not in html
    assert kept in rendered, "the text around the removed markup stays: an empty output is not safe, it is lost"


def test_links_get_rel_and_keep_relative_urls():
    html = render_markdown("[notes](/static/notes.pdf) and <https://example.org>")
    assert 'href="/static/notes.pdf"' in html and 'rel="noopener noreferrer"' in html


def test_normalise_text():
    assert normalise_text("  a\r\nb\x00c\x07  ") == "a\nbc"
    assert normalise_text(" one \n two\tthree ", single_line=True) == "one two three"


def test_plain_text_for_search():
    assert plain_text("**Float** &amp; *sink*", limit=10) == "Float & s…"


@pytest.mark.parametrize(
    "url,safe",
    [
        ("", True),
        ("/static/a.png", True),
        ("https://example.org/a.png", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("//evil.example/a.png", False),
        ("data:image/png;base64,xx", False),
        ("https:///nohost", False),
        ("/static/a b.png", False),
        ("static/a.png", False),
    ],
)
def test_safe_urls(url, safe):
    assert is_safe_url(url) is safe


@pytest.mark.parametrize(
    "url,file",
    [
        ("https://example.org/a.png", True),
        ("https://www.youtube.com/watch?v=abc", True),
        ("/static/images/pond.png", True),
        ("https://example.org", False),
        ("https://example.org/", False),
        ("/static/", False),
        ("/images/pond.png", False),
    ],
)
def test_file_urls_name_a_file(url, file):
    from lamap_xblocks.text import is_file_url  # noqa: PLC0415

    assert is_file_url(url) is file


def test_video_files():
    assert is_video_file("https://example.org/v.MP4?t=3") and is_video_file("/static/v.ogv")
    assert not is_video_file("https://www.youtube.com/watch?v=abc")


def test_single_line_text_keeps_non_breaking_spaces():
    """French typography's spaces before : ; ! ? and inside « » are meant: only other spacing collapses."""
    assert (
        normalise_text("Flotter\u00a0:  vos   questions\u202f!", single_line=True)
        == "Flotter\u00a0: vos questions\u202f!"
    )
    assert normalise_text("«\u00a0oui\u00a0»\n\tnon", single_line=True) == "«\u00a0oui\u00a0» non"
