"""
Text handling shared by every block: normalising learner text, rendering author
Markdown to sanitised HTML, and checking author URLs. Plain functions.
"""

import functools
import html
import re
from urllib.parse import urlsplit

import markdown
import nh3

# Control characters other than tab and newline never belong in learner text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Runs of white space, but not the non-breaking spaces French typography puts before : ; ! ?
# and inside « »: they are meant, and a line break there would strand the punctuation.
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")

# What author Markdown may produce: the tags Markdown's "extra" set emits, no scripts,
# no styles, no event handlers; URLs limited to web and mail schemes.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Markdown's "extra" set without footnotes and attribute lists, whose ids and classes the
# sanitiser would strip (footnote links would point nowhere).
MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "def_list", "abbr", "sane_lists"]
VIDEO_FILE = re.compile(r"\.(mp4|webm|ogg|ogv)$", re.IGNORECASE)


def normalise_text(value, single_line=False):
    """Unify newlines, drop control characters, trim; one line collapses all spacing."""
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if single_line:
        text = _SPACES.sub(" ", text)
    return text.strip()


def sanitise_html(fragment):
    """Keep only the allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
    )


@functools.lru_cache(maxsize=512)
def render_markdown(source):
    """
    Author Markdown to sanitised HTML. Headings move down two levels (# becomes h3)
    because the block's own title is an h3 in a unit. Cached: the same prompt renders
    for every learner.
    """
    if not source or not source.strip():
        return ""
    rendered = markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    rendered = re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}", rendered)
    return sanitise_html(rendered)


def plain_text(source, limit=None):
    """Markdown or HTML reduced to its words, for search indexing and summaries."""
    text = html.unescape(nh3.clean(render_markdown(source) if source else "", tags=set()))
    text = _SPACES.sub(" ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text


def is_safe_url(url, allow_relative=True):
    """An http(s) URL, or a site-relative path such as Studio's /static/ asset links."""
    if not url:
        return True
    if any(ch.isspace() for ch in url) or _CONTROL.search(url):
        return False
    parts = urlsplit(url)
    if parts.scheme:
        return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)
    return allow_relative and url.startswith("/") and not url.startswith("//")


def is_file_url(url):
    """A web address with a path to something (not a bare host), or a course file under /static/."""
    parts = urlsplit(url)
    if parts.scheme:
        return bool(parts.path.strip("/"))
    return url.startswith("/static/") and bool(url[len("/static/") :].strip("/"))


def is_video_file(url):
    """Whether a URL points at a video file the browser can play in a <video> element."""
    return bool(url) and bool(VIDEO_FILE.search(urlsplit(url).path))
