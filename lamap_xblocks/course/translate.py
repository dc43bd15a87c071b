"""
Translating and adapting a course: ``lamap-course translate`` and ``lamap-course upstream``.

A partner's **adapted course** is a folder beside its upstream course::

    adaptation.yaml      upstream: ../inquiry-trainers-en, language: es-419, course: {...}, drop: [...]
    upstream.lock        written by the commands: the upstream version and each file's digest
    locale/<catalog>.po  the translations: one catalog per chapter, ``course`` and ``static``
    content/...          the partner's own units: the same path as an upstream unit replaces
                         it, a new path adds one (with its subsection.yaml if the subsection is new)
    static/...           the partner's own files, the same way

Every text a learner reads in the upstream sources is a **message**: titles, each Markdown
block (paragraph, heading, list item, table cell) of the prose and of the blocks' Markdown
fields, image alt text, the blocks' authored texts, capa problems' text, the about page and
the SVG images' ``<title>``, ``<desc>`` and ``<text>``. A message's context is stable (the
unit's url_name, the component, the field, the position); its reference is the source
file and line. Inline Markdown becomes placeholders the translator moves but cannot break
silently: ``<b>..</b>``, ``<i>..</i>``, ``<a1>..</a1>`` (a link), ``{img1}``, ``{code1}``,
``{html1}``, ``{url1}``, ``{br}``. Code, keys, URLs and the YAML structure are never
messages.

Building an adapted course writes translated sources (an untranslated message stays as
in the upstream) in a temporary folder, then builds them like any course: the same
outline and url_names. A translation equal to its source leaves the file untouched, so
an identity translation builds the upstream's OLX byte for byte.
"""

import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path, PurePosixPath

import yaml
from lxml import etree

from .sources import (
    CHAPTER_FILE,
    CONTENT_DIR,
    COURSE_FILE,
    FENCE,
    STATIC_DIR,
    SUBSECTION_FILE,
    URL_SUFFIX,
    YamlLoader,
    fenced_block,
    slug,
)

ADAPTATION_FILE = "adaptation.yaml"
# What adaptation.yaml's ``course:`` may set (course.yaml's values of an edition), and their types.
COURSE_VALUES = {
    "org": (str, "text"),
    "number": (str, "text"),
    "run": (str, 'text (quote a number: "2027")'),
    "start": ((date, str), "a date (2027-02-01)"),
    "end": ((date, str), "a date (2027-12-17)"),
    "enrollment_start": ((date, str), "a date"),
    "enrollment_end": ((date, str), "a date"),
    "self_paced": (bool, "true or false"),
    "image": (str, "a path under static/"),
}
FACILITATOR_DIR = "facilitator"
KIT_FILE = "kit.yaml"
BUILD_DIR = ".build"  # an adapted course's translated sources, written by the commands that read them
SINGLE_CATALOG = "# One catalog for the whole course (or 'chapter': one per chapter).\ncatalogs: course\n"
LOCK_FILE = "upstream.lock"
LOCALE_DIR = "locale"
COURSE_CATALOG = "course"
STATIC_CATALOG = "static"
COMPONENT_FENCES = ("discussion", "video", "olx")

# What a learner reads in each block's authored fields: "text" (one message), "markdown"
# (a message per Markdown block), "lines" (a message per line), "list" (a message per
# item), or a dict for a list of records (the parts that are text). Every other field
# (keys, URLs, numbers, kinds, chart settings) is never a message; tests check that
# every field of every block is classified here or in NOT_TEXT.
TEXT_FIELDS = {
    "display_name": "text",
    "investigation_name": "text",
    "prompt": "markdown",
    "situation": "markdown",
    "image_alt": "text",
    "reference_questions": "list",
    "variable_choices": "list",
    "criteria": "list",
    "peer_criteria": "list",
    "example_arguments": "list",
    "artefact_title": "text",
    "transcript": "lines",
    "feedback_prompt": "text",
    "expert_commentary": "markdown",
    "synthesis": "markdown",
    "columns": {"name": "text", "unit": "text"},
    "expert_marks": {"comment": "text"},
    "rubric": {"criterion": "text", "level": "text", "description": "text"},
}
NOT_TEXT = {
    "investigation", "share_with_class", "image_url", "video_url", "min_questions", "min_hypotheses",
    "max_hypotheses", "max_rows", "show_chart", "chart_kind", "chart_x", "chart_y", "chart_group",
    "chart_statistic", "chart_summary_mark", "chart_log_x", "chart_log_y", "required_checks",
    "pool_after_submit", "pool_minimum", "scored", "weight", "min_evidence", "max_evidence",
    "require_limitations", "peer_reviews", "rubric_wait_days", "artefact_kind", "min_marks",
    "share_annotations", "stalled_days",
}  # fmt: skip
OTHER_TEXT_FIELDS = {"discussion": ("display_name", "category", "target"), "video": ("display_name",)}
ABOUT_TEXT = {
    "short_description": "text",
    "overview": "markdown",
    "audience": "markdown",
    "prerequisites": "markdown",
    "effort": "text",
    "duration": "text",
    "learning_outcomes": "list",
}
SVG = "{http://www.w3.org/2000/svg}"
SVG_TEXT_TAGS = {f"{SVG}title", f"{SVG}desc", f"{SVG}text", f"{SVG}tspan"}
OLX_TEXT_ATTRIBUTES = ("display_name",)
OLX_SKIP_TAGS = {"script", "style", "answer", "code", "pre"}


class TranslationError(Exception):
    """A problem with a catalog or a translation, said as ``file:line: message``."""


@dataclasses.dataclass
class Message:
    context: str
    source: str
    path: str  # the upstream file, relative to the course
    line: int
    catalog: str


# ----- Markdown: blocks as messages, inline markup as placeholders ------------------------------------------

PLACEHOLDER = re.compile(r"</?(?:b|i|a\d+)>|\{(?:img|code|html|url)\d+\}|\{br\}")
ESCAPED = re.compile(r"([\\`*_\[\]])")  # Python-Markdown's escapes (a "<" stays as written)


MARKUP = re.compile(r"[*_`\[\]<>!\\&]")  # what may open inline markup; a block without any is plain text


def markdown_parser():
    from markdown_it import MarkdownIt  # noqa: PLC0415

    parser = MarkdownIt("commonmark").enable("table")
    # Blocks first; a block's inline markup is parsed only when it has some (most have none).
    parser.core.ruler.disable(["inline", "text_join"])
    return parser


_PARSER = None


def parse_markdown(text, env=None):
    global _PARSER  # noqa: PLW0603  # one parser: building it costs more than parsing a paragraph
    if _PARSER is None:
        _PARSER = markdown_parser()
    return _PARSER.parse(text, env if env is not None else {})


@dataclasses.dataclass
class Inline:
    """One Markdown block's inline text: its message, where it sits in the text, and its placeholders."""

    message: str
    start: int  # offsets in the Markdown text
    end: int
    line: int  # 0-based, in the Markdown text
    slots: dict  # placeholder -> what it stands for
    images: list  # (placeholder, alt, src, title)


def inline_message(children):
    """markdown-it inline tokens as a message with placeholders, and what each placeholder stands for."""
    parts, slots, images = [], {}, []
    counters = Counter()
    links = []
    for token in children:
        kind = token.type
        if kind == "text":
            parts.append(token.content)
        elif kind in ("softbreak",):
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("{br}")
        elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
            tag = "b" if kind.startswith("strong") else "i"
            parts.append(f"<{tag}>" if kind.endswith("open") else f"</{tag}>")
        elif kind == "link_open":
            if token.markup == "autolink":
                counters["url"] += 1
                name = f"{{url{counters['url']}}}"
                slots[name] = f"<{token.attrs.get('href', '')}>"
                links.append(None)
                parts.append(name)
            else:
                counters["a"] += 1
                number = counters["a"]
                slots[f"a{number}"] = (token.attrs.get("href", ""), token.attrs.get("title"))
                links.append(number)
                parts.append(f"<a{number}>")
        elif kind == "link_close":
            number = links.pop() if links else None
            if number is not None:
                parts.append(f"</a{number}>")
        elif kind == "image":
            counters["img"] += 1
            name = f"{{img{counters['img']}}}"
            alt = "".join(child.content for child in token.children or [])
            slots[name] = (token.attrs.get("src", ""), token.attrs.get("title"))
            images.append((name, alt, token.attrs.get("src", ""), token.attrs.get("title")))
            parts.append(name)
        elif kind == "code_inline":
            counters["code"] += 1
            name = f"{{code{counters['code']}}}"
            slots[name] = f"{token.markup}{token.content}{token.markup}"
            parts.append(name)
        elif kind == "html_inline":
            counters["html"] += 1
            name = f"{{html{counters['html']}}}"
            slots[name] = token.content
            parts.append(name)
        else:  # anything else (s_open...) keeps its text
            parts.append(token.content)
    # Inside the autolink, markdown-it gives the URL again as text: it is the placeholder already.
    message = re.sub(r"(\{url\d+\})[^{<]*", r"\1", "".join(parts)) if counters["url"] else "".join(parts)
    return " ".join(message.split()), slots, images


def markdown_blocks(text):
    """The Markdown blocks of ``text`` that hold words: Inline records, in order."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    env = {}  # link references defined in the text, for its blocks' inline markup
    tokens = parse_markdown(text, env)
    cursor = {}  # row line -> position reached in that line (table cells)
    for token in tokens:
        if token.type != "inline" or not token.map or not token.content.strip():
            continue
        first, last = token.map[0], token.map[1] - 1
        content_lines = token.content.split("\n")
        row = lines[first]
        if "|" in row and len(content_lines) == 1 and first == last:  # a table cell (or a one-line block)
            position = row.find(content_lines[0], cursor.get(first, 0))
        else:
            position = row.find(content_lines[0])
        if position < 0:
            continue  # not where expected (an escape markdown-it rewrote): left as it is
        start = starts[first] + position
        if first == last or len(content_lines) == 1:
            end = start + len(content_lines[0])
        else:
            tail = lines[min(last, len(lines) - 1)]
            found_tail = tail.rfind(content_lines[-1])
            end = starts[last] + (found_tail + len(content_lines[-1]) if found_tail >= 0 else len(tail))
        cursor[first] = position + len(content_lines[0])
        if MARKUP.search(token.content):
            children = []
            _PARSER.inline.parse(token.content, _PARSER, env, children)
            message, slots, images = inline_message(children)
        else:
            message, slots, images = " ".join(token.content.split()), {}, []
        if message:
            found.append(Inline(message, start, end, first, slots, images))
    return found


def check_placeholders(source, translation):
    """Why ``translation`` cannot stand for ``source``'s placeholders (None when it can)."""
    wanted, given = Counter(PLACEHOLDER.findall(source)), Counter(PLACEHOLDER.findall(translation))
    if wanted != given:
        missing = sorted((wanted - given).elements())
        extra = sorted((given - wanted).elements())
        said = [f"lacks {', '.join(missing)}"] if missing else []
        said += [f"has {', '.join(extra)} that the source has not"] if extra else []
        return "the translation " + " and ".join(said)
    stack = []
    for tag in re.findall(r"</?(?:b|i|a\d+)>", translation):
        if not tag.startswith("</"):
            stack.append(tag[1:-1])
        elif not stack or stack.pop() != tag[2:-1]:
            return f"the translation closes {tag} where it is not open"
    if stack:
        return f"the translation leaves <{stack[-1]}> open"
    return None


def escape(text, first):
    """Plain text of a translation as Markdown; ``first``: it starts the block."""
    escaped = ESCAPED.sub(r"\\\1", text)
    if first:  # at the start of a block, a character that would open another block
        escaped = re.sub(r"^(\d+)([.)])", r"\1\\\2", re.sub(r"^([#>+-])", r"\\\1", escaped))
    return escaped


def rebuild_inline(inline, translation, alts):
    """A translated message back as Markdown (``alts``: each image's translated alt text)."""
    out = []
    position = 0
    for match in PLACEHOLDER.finditer(translation):
        out.append(escape(translation[position : match.start()], first=position == 0))
        token = match.group(0)
        position = match.end()
        if token in ("<b>", "</b>"):
            out.append("**")
        elif token in ("<i>", "</i>"):
            out.append("*")
        elif token.startswith("</a"):
            href, title = inline.slots[token[2:-1]]
            out.append(f"]({href}{' ' + quoted(title) if title else ''})")
        elif token.startswith("<a"):
            out.append("[")
        elif token == "{br}":
            out.append("<br>")
        elif token.startswith("{img"):
            src, title = inline.slots[token]
            alt = escape(alts.get(token, ""), first=False)
            out.append(f"![{alt}]({src}{' ' + quoted(title) if title else ''})")
        else:
            out.append(inline.slots[token])
    out.append(escape(translation[position:], first=position == 0))
    return "".join(out)


def quoted(title):
    return '"' + title.replace('"', '\\"') + '"'


def markdown_messages(text, context, emit):
    """``emit(context, source, line)`` for each message of a Markdown text (lines counted from 0)."""
    for number, inline in enumerate(markdown_blocks(text), start=1):
        emit(f"{context}:p{number}", inline.message, inline.line)
        for name, alt, _src, _title in inline.images:
            if alt.strip():
                emit(f"{context}:p{number}:{name.strip('{}')}", " ".join(alt.split()), inline.line)


def translate_markdown(text, context, lookup):
    """``text`` with each block translated (``lookup(context, source, line)`` -> translation or None)."""
    replacements = []
    for number, inline in enumerate(markdown_blocks(text), start=1):
        alts, changed = {}, False
        for name, alt, _src, _title in inline.images:
            source = " ".join(alt.split())
            found = lookup(f"{context}:p{number}:{name.strip('{}')}", source, inline.line) if source else None
            alts[name] = found if found is not None else alt
            changed = changed or (found is not None and found != source)
        translation = lookup(f"{context}:p{number}", inline.message, inline.line)
        if (translation is None or translation == inline.message) and not changed:
            continue
        replacements.append((inline.start, inline.end, rebuild_inline(inline, translation or inline.message, alts)))
    for start, end, new in reversed(replacements):
        text = text[:start] + new + text[end:]
    return text


# ----- YAML: the text values of a document, translated in place -------------------------------------------


def load_yaml(text):
    """``(data, lines)`` of a YAML text, ``lines`` finding where each part was written (sources.Lines)."""
    from .sources import Lines  # noqa: PLC0415

    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, (Lines.of_node(node, 0) if node is not None else Lines())


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter when PyYAML has it: faster
    pass


def _string(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def dump_yaml(data):
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)


def translate_value(value, kind, context, line, lookup):
    """One field's value translated by ``kind`` (see TEXT_FIELDS); the value itself when nothing changes."""
    if isinstance(kind, dict):
        if not isinstance(value, list):
            return value
        result = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                result.append(item)
                continue
            record = dict(item)
            for part, part_kind in kind.items():
                if isinstance(record.get(part), str) and record[part].strip():
                    record[part] = translate_value(record[part], part_kind, f"{context}:{index}:{part}", line, lookup)
            result.append(record)
        return result
    if kind == "list":
        if not isinstance(value, list):
            return value
        return [
            translate_value(item, "text", f"{context}:{index}", line, lookup) if isinstance(item, str) else item
            for index, item in enumerate(value, start=1)
        ]
    if not isinstance(value, str) or not value.strip():
        return value
    if kind == "markdown":
        return translate_markdown(value, context, lambda ctx, source, offset: lookup(ctx, source, line + offset))
    if kind == "lines":
        return "\n".join(
            translate_value(text, "text", f"{context}:{number}", line + number - 1, lookup) if text.strip() else text
            for number, text in enumerate(value.split("\n"), start=1)
        )
    source = " ".join(value.split()) if "\n" not in value.strip() else value.strip()
    found = lookup(context, source, line)
    return value if found is None or found == source else found


def translate_mapping(data, lines, fields, context, base_line, lookup):  # noqa: PLR0917
    """Translate ``fields`` ({name: kind}) of a YAML mapping; returns (new data, whether anything changed)."""
    if not isinstance(data, dict):
        return data, False
    result, changed = dict(data), False
    for name, kind in fields.items():
        if name not in data:
            continue
        line = base_line + lines.find((name,), 0)
        value = translate_value(data[name], kind, f"{context}:{name}", line, lookup)
        if value != data[name]:
            result[name], changed = value, True
    return result, changed


# ----- the course's files, walked once for extraction and once for a build -----------------------------------


class Walk:
    """
    Walks an upstream course: for each message, ``lookup(context, source, line)`` is called with
    ``self.path`` and ``self.catalog`` set; it returns the translation or None. ``files``
    collects the files whose text changed (relative path -> new text).
    """

    def __init__(self, root, lookup):
        self.root = Path(root)
        self.lookup = lookup
        self.path = ""
        self.catalog = COURSE_CATALOG
        self.files = {}
        self.missing, self.done = [], 0  # a build's messages without a translation, and how many had one
        self.grading_names = {}  # an assignment type's name -> its translation (subsection.yaml's "graded")

    def __call__(self, context, source, line):
        return self.lookup(self, context, source, line)

    def relative(self, path):
        return PurePosixPath(path.relative_to(self.root)).as_posix()

    def jobs(self):
        """Each file the walk reads, in order: ``(method, path, arguments, catalog)``."""
        yield self.course_file, self.root / COURSE_FILE, (), COURSE_CATALOG
        content = self.root / CONTENT_DIR
        for chapter in sorted(content.iterdir()) if content.is_dir() else []:
            if not chapter.is_dir() or chapter.name.startswith("."):
                continue
            catalog = slug(chapter.name)
            yield self.titled, chapter / CHAPTER_FILE, (catalog,), catalog
            for subsection in sorted(chapter.iterdir()):
                if not subsection.is_dir() or subsection.name.startswith("."):
                    continue
                prefix = f"{catalog}-{slug(subsection.name)}"
                yield self.titled, subsection / SUBSECTION_FILE, (prefix, True), catalog
                for unit in sorted(subsection.glob("*.md")):
                    yield self.unit, unit, (f"{prefix}-{slug(unit.stem)}",), catalog
        static = self.root / STATIC_DIR
        for image in sorted(static.rglob("*.svg")) if static.is_dir() else []:
            yield self.svg, image, (), STATIC_CATALOG

    def run(self):
        for method, path, arguments, catalog in self.jobs():
            self.catalog = catalog
            method(path, *arguments)
        return self

    # --- YAML files

    def course_file(self, path):
        self.path = COURSE_FILE
        text = path.read_text(encoding="utf-8")
        data, lines = load_yaml(text)
        if not isinstance(data, dict):
            return
        result, changed = translate_mapping(data, lines, {"title": "text"}, "course", 1, self)
        about = data.get("about")
        if isinstance(about, dict):
            new_about, about_changed = translate_mapping(
                about, lines.within("about"), ABOUT_TEXT, "course:about", 1, self
            )
            if about_changed:
                result["about"], changed = new_about, True
        grading = data.get("grading")
        types = grading.get("assignment_types") if isinstance(grading, dict) else None
        if isinstance(types, list):
            new_types = []
            for index, item in enumerate(types, start=1):
                if not isinstance(item, dict):
                    new_types.append(item)
                    continue
                where = lines.within("grading", "assignment_types", index - 1)
                new_item, item_changed = translate_mapping(
                    item, where, {"name": "text", "short_label": "text"}, f"course:grading:{index}", 1, self
                )
                if isinstance(item.get("name"), str):
                    self.grading_names[item["name"]] = new_item.get("name", item["name"])
                new_types.append(new_item)
                changed = changed or item_changed
            if changed and new_types != types:
                result["grading"] = dict(grading, assignment_types=new_types)
        if changed:
            self.files[COURSE_FILE] = dump_yaml(result)

    def titled(self, path, context, graded=False):
        if not path.is_file():
            return
        self.path = self.relative(path)
        data, lines = load_yaml(path.read_text(encoding="utf-8"))
        result, changed = translate_mapping(data, lines, {"title": "text"}, context, 1, self)
        if graded and isinstance(data, dict) and data.get("graded") in self.grading_names:
            translated = self.grading_names[data["graded"]]
            if translated != data["graded"]:
                result["graded"], changed = translated, True
        if changed:
            self.files[self.path] = dump_yaml(result)

    # --- units

    def unit(self, path, url_name):
        self.path = self.relative(path)
        lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        out = list(lines)
        body = 0
        if lines and lines[0].strip() == "---":
            end = next((index for index in range(1, len(lines)) if lines[index].strip() in ("---", "...")), None)
            if end is None:
                return
            data, key_lines = load_yaml("\n".join(lines[1:end]))
            result, changed = translate_mapping(data, key_lines, {"title": "text"}, url_name, 2, self)
            if changed:
                out[1:end] = dump_yaml(result).rstrip("\n").split("\n")
            body = end + 1
        shift = len(out) - len(lines)
        prose_number = 0
        counts = Counter()
        index = body
        chunk_start = body
        edits = []  # (first line, end line, new lines) in the original numbering

        def flush(start, end):
            nonlocal prose_number
            if start >= end:
                return
            text = "\n".join(lines[start:end])
            if not text.strip():
                return
            prose_number += 1
            context = f"{url_name}:text" + (f"{prose_number}" if prose_number > 1 else "")
            new = translate_markdown(text, context, lambda ctx, source, offset: self(ctx, source, start + offset + 1))
            if new != text:
                edits.append((start, end, new.split("\n")))

        while index < len(lines):
            match = FENCE.match(lines[index])
            if match is None:
                index += 1
                continue
            kind, closing = fenced_block(match, lines, index)
            if closing is None:
                break
            if not (kind.startswith("lamap_") or kind in COMPONENT_FENCES):
                index = closing + 1  # a code block of the prose: never a message
                continue
            flush(chunk_start, index)
            new = self.component(kind, lines[index + 1 : closing], index + 2, url_name, counts)
            if new is not None:
                edits.append((index + 1, closing, new))
            index = closing + 1
            chunk_start = index
        flush(chunk_start, len(lines))
        if edits or shift:
            for start, end, new in sorted(edits, reverse=True):
                out[start + shift : end + shift] = new
            self.files[self.path] = "\n".join(out)

    def component(self, kind, body, first_line, unit_url, counts):
        """The fence's new body lines when a translation changed it, else None."""
        text = "\n".join(body)
        if kind == "olx":
            return self.olx(text, first_line, unit_url)
        try:
            data, lines = load_yaml(text)
        except yaml.YAMLError:
            return None  # the build reports it at its line
        if not isinstance(data, dict):
            return None
        explicit = data.get("id")
        if isinstance(explicit, str) and explicit:
            name = explicit
        else:
            suffix = URL_SUFFIX.get(kind, kind)
            counts[suffix] += 1
            name = suffix + (f"-{counts[suffix]}" if counts[suffix] > 1 else "")
        fields = (
            dict.fromkeys(OTHER_TEXT_FIELDS[kind], "text") if kind in OTHER_TEXT_FIELDS else dict(TEXT_FIELDS.items())
        )
        result, changed = translate_mapping(data, lines, fields, f"{unit_url}:{name}", first_line, self)
        if not changed:
            return None
        if isinstance(result.get("columns"), list) and isinstance(data.get("columns"), list):
            # A column without a key takes it from its name: keep the upstream's, or the chart loses it.
            keys = upstream_keys(data["columns"])
            result["columns"] = [
                dict(column, key=key) if isinstance(column, dict) and key else column
                for column, key in zip(result["columns"], keys, strict=False)
            ]
        return dump_yaml(result).rstrip("\n").split("\n")

    def olx(self, text, first_line, unit_url):
        try:
            root = etree.fromstring(f"<olx>\n{text}\n</olx>".encode())
        except etree.XMLSyntaxError:
            return None
        changed = False
        for element in root.iter():
            if not isinstance(element.tag, str) or element is root or element.tag in OLX_SKIP_TAGS:
                continue
            owner = next((node.get("url_name") for node in element.iterancestors() if node.get("url_name")), None)
            owner = element.get("url_name") or owner or "olx"
            where = root.getroottree().getpath(element).removeprefix("/olx")
            context = f"{unit_url}:{owner}:{where}"
            line = first_line + element.sourceline - 2
            for attribute in OLX_TEXT_ATTRIBUTES:
                value = element.get(attribute)
                if value and value.strip():
                    found = self(f"{context}@{attribute}", value.strip(), line)
                    if found is not None and found != value.strip():
                        element.set(attribute, found)
                        changed = True
            for part in ("text", "tail"):
                if part == "tail" and element.getparent() is root:
                    continue
                value = getattr(element, part)
                if value and value.strip():
                    source = " ".join(value.split())
                    found = self(f"{context}:{part}", source, line)
                    if found is not None and found != source:
                        lead = value[: len(value) - len(value.lstrip())]
                        trail = value[len(value.rstrip()) :]
                        setattr(element, part, f"{lead}{found}{trail}")
                        changed = True
        if not changed:
            return None
        inner = (root.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in root)
        return inner.strip("\n").split("\n")

    # --- images

    def svg(self, path):
        self.path = self.relative(path)
        data = path.read_bytes()
        try:
            tree = etree.fromstring(data)
        except etree.XMLSyntaxError:
            return
        changed = False
        number = 0
        for element in tree.iter():
            if element.tag not in SVG_TEXT_TAGS or not (element.text or "").strip():
                continue
            number += 1
            source = " ".join(element.text.split())
            found = self(f"{self.path}:{number}", source, element.sourceline or 1)
            if found is not None and found != source:
                element.text = found
                changed = True
        if changed:
            self.files[self.path] = etree.tostring(tree, encoding="unicode", xml_declaration=False)


def upstream_keys(columns):
    """Each column's key as the experiment block gives it (experiment.Columns), None for an unreadable one."""
    from ..experiment import column_key  # noqa: PLC0415

    keys, taken = [], set()
    for column in columns:
        if not isinstance(column, dict):
            keys.append(None)
            continue
        key = str(column.get("key") or "")
        if not key or key in taken or not re.fullmatch(r"[a-z0-9_]+", key):
            key = column_key(str(column.get("name") or ""), taken)
        taken.add(key)
        keys.append(key)
    return keys


# ----- catalogs: extract, update, read -----------------------------------------------------------------------

PLACEHOLDER_LIKE = re.compile(r"</?(?:b|i|a\d+)>|\{[A-Za-z_][A-Za-z0-9_]*\}")


def extract_messages(root):
    """Every message of the course at ``root``, in the order of its files (contexts made unique)."""
    messages, seen = [], Counter()

    def record(walk, context, source, line):
        seen[context] += 1
        if seen[context] > 1:  # two parts the walk names alike (never expected): still two messages
            context = f"{context}#{seen[context]}"
        messages.append(Message(context, source, walk.path, line, walk.catalog))

    Walk(root, record).run()
    return messages


def unit_of(context):
    """The unit (or file) a message belongs to: the start of its context."""
    return context.split(":", 1)[0]


def po_language(language):
    """``es-419`` or ``es_419`` -> the PO code ``es_419``; ``pt-br`` -> ``pt_BR``."""
    parts = re.split(r"[-_]", language)
    if len(parts) > 1 and len(parts[1]) == 2:
        parts[1] = parts[1].upper()
    return "_".join(parts)


def course_language(language):
    """The course's ``language`` as Open edX writes it: ``es-419``, ``pt-br``."""
    return language.replace("_", "-").lower()


def new_catalog(language, name):
    import polib  # noqa: PLC0415

    catalog = polib.POFile(wrapwidth=0)
    catalog.header = (
        f"Catalog '{name}' of an adapted course, in {po_language(language)}: written by lamap-course translate.\n"
        "Translate msgstr; keep each placeholder (<b>..</b>, <i>..</i>, <a1>..</a1>, {img1}, {code1}, {br}...)."
    )
    catalog.metadata = {
        "Project-Id-Version": name,
        "Language": po_language(language),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return catalog


def entry_of(message, msgstr=""):
    import polib  # noqa: PLC0415

    return polib.POEntry(
        msgctxt=message.context, msgid=message.source, msgstr=msgstr, occurrences=[(message.path, str(message.line))]
    )


def merge(messages, old_entries):
    """
    New messages against the entries of the catalogs before: ``{catalog: [entries]}`` and
    the old entries left over (obsolete). A message keeps its translation when its text is
    unchanged (even moved); a changed text at the same place, or a close one in the same
    unit, becomes fuzzy with the previous source shown; a new one is untranslated.
    """
    by_key = {(entry.msgctxt, entry.msgid): entry for entry in old_entries}
    by_text = {}
    by_context = {}
    for entry in old_entries:
        if entry.msgstr:
            by_text.setdefault((unit_of(entry.msgctxt or ""), entry.msgid), []).append(entry)
        by_context[entry.msgctxt] = entry
    used = set()
    catalogs = {}
    pending = []
    for message in messages:
        entry = entry_of(message)
        old = by_key.get((message.context, message.source))
        if old is not None:
            used.add(id(old))
            entry.msgstr = old.msgstr
            entry.flags = list(old.flags)
            entry.previous_msgid = old.previous_msgid
        else:
            pending.append((message, entry))
        catalogs.setdefault(message.catalog, []).append(entry)
    for message, entry in pending:  # moved: the same words elsewhere in the unit
        for old in by_text.get((unit_of(message.context), message.source), []):
            if id(old) not in used:
                used.add(id(old))
                entry.msgstr, entry.flags = old.msgstr, list(old.flags)
                break
    # Changed: the closest unused old message of the same unit, best pairs first; else the
    # old message at the same place (a rewritten paragraph: its previous text is shown).
    waiting = [(message, entry) for message, entry in pending if not entry.msgstr]
    pairs = []
    for number, (message, _entry) in enumerate(waiting):
        for candidate in old_entries:
            if candidate.msgstr and unit_of(candidate.msgctxt or "") == unit_of(message.context):
                ratio = SequenceMatcher(None, candidate.msgid, message.source).ratio()
                if ratio >= 0.6:
                    pairs.append((ratio, number, candidate))
    matched = {}
    for _ratio, number, candidate in sorted(pairs, key=lambda pair: -pair[0]):
        if number not in matched and id(candidate) not in used:
            matched[number] = candidate
            used.add(id(candidate))
    for number, (message, entry) in enumerate(waiting):
        old = matched.get(number)
        if old is None:
            same_place = by_context.get(message.context)
            if same_place is not None and id(same_place) not in used and same_place.msgstr:
                old = same_place
                used.add(id(old))
        if old is not None:
            entry.msgstr = old.msgstr
            entry.flags = sorted({*old.flags, "fuzzy"})
            entry.previous_msgid = old.msgid
    leftover = [entry for entry in old_entries if id(entry) not in used and entry.msgstr and not entry.obsolete]
    return catalogs, leftover


def catalog_paths(adapted):
    folder = Path(adapted) / LOCALE_DIR
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def read_catalog(path):
    """A PO file; a malformed one is a TranslationError at its line."""
    import polib  # noqa: PLC0415

    try:
        return polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as err:
        text = str(err)
        found = re.search(r"line (\d+)", text)
        line = found.group(1) if found else "1"
        reason = re.sub(r"\s*\(line \d+\)|\s*in po file \S+", "", text).strip() or "cannot be read"
        raise TranslationError(f"{path}:{line}: not a readable PO catalog: {reason}") from None


def write_catalogs(adapted, language, catalogs, obsolete=(), catalog_of=None):
    folder = Path(adapted) / LOCALE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(catalogs)
    for name, entries in catalogs.items():
        catalog = new_catalog(language, name)
        catalog.extend(entries)
        for entry in obsolete:
            if entry.occurrences and (catalog_of or catalog_of_path)(entry.occurrences[0][0]) == name:
                entry.obsolete = True
                catalog.append(entry)
        catalog.save(str(folder / f"{name}.po"))
    for path in folder.glob("*.po"):
        if path.stem not in wanted:
            path.unlink()  # a chapter the upstream no longer has: its messages are obsolete elsewhere or gone


def catalog_of_path(path):
    parts = PurePosixPath(path).parts
    if parts and parts[0] == CONTENT_DIR and len(parts) > 1:
        return slug(parts[1])
    if parts and parts[0] == STATIC_DIR:
        return STATIC_CATALOG
    return COURSE_CATALOG


def translations(adapted):
    """
    ``{(context, source): translation}`` of the adapted course's catalogs (fuzzy and empty
    entries left out), after checking each one; every problem as a TranslationError line.
    """
    Adaptation.read(adapted)
    found, problems = {}, []
    for path in catalog_paths(adapted):
        try:
            catalog = read_catalog(path)
        except TranslationError as err:
            problems.append(str(err))
            continue
        for entry in catalog:
            if entry.obsolete or not entry.msgstr or "fuzzy" in entry.flags:
                continue
            reason = translation_problem(entry.msgid, entry.msgstr)
            if reason:
                problems.append(f"{path}:{entry.linenum}: {reason} (source: {entry.msgid[:60]!r})")
                continue
            found[(entry.msgctxt, entry.msgid)] = entry.msgstr
    if problems:
        raise TranslationError("\n".join(problems))
    return found


def translation_problem(source, translation):
    if not translation.strip():
        return "the translation is blank"
    if "\n" in translation.strip() and "\n" not in source:
        return "the translation must be one line, as its source is"
    wanted, given = Counter(PLACEHOLDER_LIKE.findall(source)), Counter(PLACEHOLDER_LIKE.findall(translation))
    if wanted != given:
        return check_placeholders_like(wanted, given)
    return check_placeholders(source, translation)


def check_placeholders_like(wanted, given):
    missing = sorted((wanted - given).elements())
    extra = sorted((given - wanted).elements())
    said = [f"lacks {', '.join(missing)}"] if missing else []
    said += [f"has {', '.join(extra)} that the source has not"] if extra else []
    return "the translation " + " and ".join(said)


# ----- an adapted course -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Adaptation:
    root: Path
    upstream: Path
    language: str
    course: dict
    drop: list
    catalogs: str = "chapter"  # "course": one catalog for the whole course

    def messages(self):
        """The upstream's messages, each in its catalog (one per chapter, or the course's only one)."""
        found = extract_messages(self.upstream)
        if self.catalogs == "course":
            found = [dataclasses.replace(message, catalog=COURSE_CATALOG) for message in found]
        return found

    def catalog_of_path(self, path):
        return COURSE_CATALOG if self.catalogs == "course" else catalog_of_path(path)

    @classmethod
    def read(cls, adapted):
        root = Path(adapted)
        path = root / ADAPTATION_FILE
        if not path.is_file():
            raise TranslationError(f"{path}:1: not an adapted course: no {ADAPTATION_FILE} (start one with extract)")
        try:
            data, lines = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            raise TranslationError(f"{path}:{mark.line + 1 if mark else 1}: YAML: {err}") from None
        data = data if isinstance(data, dict) else {}

        def bad(key, what):
            return TranslationError(f"{path}:{lines.get(key, 0) + 1}: '{key}' must be {what}")

        if not isinstance(data.get("upstream"), str) or not data["upstream"].strip():
            raise bad("upstream", "the path of the course this one adapts (relative to this folder)")
        if not isinstance(data.get("language"), str) or not re.fullmatch(
            r"[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*", data["language"]
        ):
            raise bad("language", "a language code such as es-419, pt-br or ar")
        course = data.get("course") or {}
        if not isinstance(course, dict):
            raise bad("course", "a mapping of course.yaml keys to their values here (number, run...)")
        where = lines.within("course")
        for key, value in course.items():
            expected = COURSE_VALUES.get(str(key))
            line = where.get(str(key), lines.get("course", 0)) + 1
            if expected is None:
                known = ", ".join(COURSE_VALUES)
                raise TranslationError(f"{path}:{line}: 'course.{key}' cannot be set here (these can: {known})")
            if not isinstance(value, expected[0]) or isinstance(value, bool) != (expected[0] is bool):
                raise TranslationError(f"{path}:{line}: 'course.{key}' must be {expected[1]}")
        catalogs = data.get("catalogs", "chapter")
        if catalogs not in ("chapter", "course"):
            raise bad("catalogs", "'chapter' (a catalog per chapter) or 'course' (one catalog)")
        drop = data.get("drop") or []
        if not isinstance(drop, list) or not all(isinstance(item, str) for item in drop):
            raise bad("drop", "a list of upstream paths (content/<chapter>/<subsection>/<unit>.md, or a folder)")
        upstream = (root / data["upstream"]).resolve()
        if not (upstream / COURSE_FILE).is_file():
            raise TranslationError(
                f"{path}:{lines.get('upstream', 0) + 1}: the upstream {upstream} has no {COURSE_FILE}"
            )
        return cls(root, upstream, data["language"], course, drop, catalogs)

    def own_files(self):
        """The adaptation's own files under content/ and static/ (relative paths)."""
        found = []
        for folder in (CONTENT_DIR, STATIC_DIR):
            base = self.root / folder
            if base.is_dir():
                found += [
                    PurePosixPath(path.relative_to(self.root)).as_posix()
                    for path in sorted(base.rglob("*"))
                    if path.is_file()
                ]
        return found

    def dropped(self, relative):
        return any(relative == item.rstrip("/") or relative.startswith(item.rstrip("/") + "/") for item in self.drop)


def upstream_files(upstream):
    """The upstream's source files whose changes matter: ``{relative path: digest}``."""
    files = {}
    root = Path(upstream)
    for path in [root / COURSE_FILE, *sorted((root / CONTENT_DIR).rglob("*")), *sorted((root / STATIC_DIR).rglob("*"))]:
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts):
            files[PurePosixPath(path.relative_to(root)).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return files


def git_version(upstream):
    """The last commit that changed the upstream folder, when it is in a git repository."""
    try:
        done = subprocess.run(
            ["git", "-C", str(upstream), "log", "-1", "--format=%H", "--", "."],
            capture_output=True, text=True, check=False, timeout=10,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def write_lock(adaptation, files, previous=None, keep=()):
    """Record the upstream version; the digests of ``keep`` (replaced files not yet reviewed) stay as they were."""
    previous = previous or {}
    recorded = dict(files)
    for path in keep:
        if path in previous.get("files", {}):
            recorded[path] = previous["files"][path]
    digest = hashlib.sha256("".join(f"{path}={value}\n" for path, value in sorted(files.items())).encode()).hexdigest()
    lock = {
        "upstream": PurePosixPath(Path(adaptation_relative(adaptation))).as_posix(),
        "version": digest[:16],
        "git": git_version(adaptation.upstream),
        "files": recorded,
    }
    (adaptation.root / LOCK_FILE).write_text(
        "# Written by lamap-course translate / upstream: the upstream as this adaptation last followed it.\n"
        + dump_yaml(lock),
        encoding="utf-8",
    )


def adaptation_relative(adaptation):
    try:
        return Path(adaptation.upstream).relative_to(adaptation.root.resolve())
    except ValueError:
        return Path(os.path.relpath(adaptation.upstream, adaptation.root.resolve()))


def read_lock(adaptation):
    path = adaptation.root / LOCK_FILE
    if not path.is_file():
        return {}
    data, _lines = load_yaml(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def start(upstream, adapted, language, single=False):
    """``translate extract``: a new adapted course with its adaptation.yaml and empty catalogs."""
    upstream, adapted = Path(upstream), Path(adapted)
    if not (upstream / COURSE_FILE).is_file():
        raise TranslationError(f"{upstream}:1: not a course: no {COURSE_FILE}")
    if catalog_paths(adapted):
        raise TranslationError(f"{adapted / LOCALE_DIR}:1: catalogs exist already: use 'translate update'")
    adapted.mkdir(parents=True, exist_ok=True)
    config = adapted / ADAPTATION_FILE
    if not config.exists():
        relative = os.path.relpath(upstream.resolve(), adapted.resolve())
        config.write_text(
            f"# This course adapts {PurePosixPath(Path(relative)).as_posix()}: its catalogs (locale/) translate it,\n"
            "# its own units (content/) and files (static/) replace or add to the upstream's.\n"
            f"upstream: {PurePosixPath(Path(relative)).as_posix()}\n"
            f"language: {course_language(language)}\n"
            "# course.yaml values of this edition (number, run, org, dates...): the title is translated.\n"
            "course: {}\n"
            "# Upstream units or folders this edition leaves out.\n"
            "drop: []\n" + (SINGLE_CATALOG if single else ""),
            encoding="utf-8",
        )
    adaptation = Adaptation.read(adapted)
    messages = adaptation.messages()
    catalogs, _left = merge(messages, [])
    write_catalogs(adapted, adaptation.language, catalogs)
    write_lock(adaptation, upstream_files(adaptation.upstream))
    return messages


def old_entries(adapted):
    entries = []
    for path in catalog_paths(adapted):
        entries.extend(read_catalog(path))
    return entries


def update(adapted):
    """``translate update``: the catalogs in step with the upstream; returns counts of what changed."""
    adaptation = Adaptation.read(adapted)
    before = old_entries(adapted)
    messages = adaptation.messages()
    catalogs, leftover = merge(messages, [entry for entry in before if not entry.obsolete])
    keys_before = {(entry.msgctxt, entry.msgid) for entry in before if not entry.obsolete}
    entries = [entry for group in catalogs.values() for entry in group]
    counts = {
        "messages": len(entries),
        "new": sum(1 for entry in entries if (entry.msgctxt, entry.msgid) not in keys_before and not entry.msgstr),
        "fuzzy": sum(1 for entry in entries if "fuzzy" in entry.flags),
        "obsolete": len(leftover),
    }
    write_catalogs(adapted, adaptation.language, catalogs, leftover, adaptation.catalog_of_path)
    lock = read_lock(adaptation)
    replaced = [path for path in adaptation.own_files() if path in upstream_files(adaptation.upstream)]
    write_lock(adaptation, upstream_files(adaptation.upstream), lock, keep=replaced)
    return counts


def status(adapted):
    """``translate status``: ``[(unit, translated, fuzzy, untranslated)]`` in the course's order."""
    Adaptation.read(adapted)  # an adapted course, or a TranslationError that says why not
    rows = {}
    for path in catalog_paths(adapted):
        for entry in read_catalog(path):
            if entry.obsolete:
                continue
            unit = unit_of(entry.msgctxt or "")
            counts = rows.setdefault(unit, [0, 0, 0])
            if "fuzzy" in entry.flags:
                counts[1] += 1
            elif entry.msgstr:
                counts[0] += 1
            else:
                counts[2] += 1
    return [(unit, *counts) for unit, counts in rows.items()]


def upstream_changes(adapted):
    """
    ``upstream status``: the upstream files changed since the version this adaptation
    followed: ``[(path, how, note)]``, how = changed / added / removed; note says when the
    adaptation replaces or drops the file.
    """
    adaptation = Adaptation.read(adapted)
    recorded = read_lock(adaptation).get("files") or {}
    current = upstream_files(adaptation.upstream)
    own = set(adaptation.own_files())
    found = []
    for path in sorted(set(recorded) | set(current)):
        before, now = recorded.get(path), current.get(path)
        if before == now:
            continue
        how = "added" if before is None else "removed" if now is None else "changed"
        note = (
            "replaced here: review your version" if path in own else "dropped here" if adaptation.dropped(path) else ""
        )
        found.append((path, how, note))
    return found


def accept(adapted, paths):
    """``upstream accept``: the partner has reviewed their replacements of ``paths`` against the upstream."""
    adaptation = Adaptation.read(adapted)
    lock = read_lock(adaptation)
    current = upstream_files(adaptation.upstream)
    files = dict(lock.get("files") or {})
    for path in paths:
        if path not in current:
            raise TranslationError(f"{path}:1: not a file of the upstream {adaptation.upstream}")
        files[path] = current[path]
    lock_files = {path: files.get(path, digest) for path, digest in current.items()}
    write_lock(adaptation, current, {"files": lock_files}, keep=list(lock_files))


# ----- building an adapted course ----------------------------------------------------------------------------


@dataclasses.dataclass
class Materialized:
    folder: Path
    upstream: Path
    untranslated: list  # Message
    translated: int


ALGORITHM = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]  # a new version of this file: a new cache


def digest(*parts):
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def translations_by_file(adapted, cache):
    """
    ``(found, per_file)``: the checked translations (see ``translations``) and, for each
    upstream file, a digest of the translations of its messages: what a translated file
    depends on besides its own text. Kept in ``cache`` while the catalogs do not change.
    """
    stamp = digest(
        ALGORITHM, *(f"{path.name}:{path.stat().st_size}:{path.stat().st_mtime_ns}" for path in catalog_paths(adapted))
    )
    saved = cache / f"catalogs-{stamp}.json"
    if saved.is_file():
        data = json.loads(saved.read_text(encoding="utf-8"))
        return {(context, source): text for context, source, text in data["found"]}, data["per_file"]
    found = translations(adapted)
    places = {}
    for path in catalog_paths(adapted):
        for entry in read_catalog(path):
            if (entry.msgctxt, entry.msgid) in found:
                for where, _line in entry.occurrences:
                    places.setdefault(where, []).append(
                        f"{entry.msgctxt}\x01{entry.msgid}\x01{found[(entry.msgctxt, entry.msgid)]}"
                    )
    per_file = {where: digest(*sorted(items)) for where, items in places.items()}
    write_atomically(saved, json.dumps({"found": [[*key, text] for key, text in found.items()], "per_file": per_file}))
    return found, per_file


def write_atomically(path, text):
    """Write through a new file renamed into place: never into a file another run reads, nor through a link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def link_or_copy(source, target):
    """Files the translation leaves as they are: hard links when the file system allows (fast), else copies."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def materialize(adapted, folder, strict=False):
    """
    Write the adapted course's sources into ``folder``: the upstream translated by the
    catalogs, its dropped parts left out, the adaptation's own files over it, course.yaml's
    language and values of this edition. Raises TranslationError for a broken catalog (or,
    with ``strict``, an untranslated message).

    Each translated file is kept in <adapted>/.build/cache under a digest of its upstream
    text, its translations and this code: a build after a change translates only what the
    change touches.
    """
    adaptation = Adaptation.read(adapted)
    cache = adaptation.root / BUILD_DIR / "cache"
    found, per_file = translations_by_file(adapted, cache)
    own = set(adaptation.own_files())
    untranslated, used = [], Counter()

    def lookup(walk, context, source, line):
        translation = found.get((context, source))
        if translation is None:
            walk.missing.append([context, source, line, walk.catalog])
            return None
        walk.done += 1
        return translation

    walk = Walk(adaptation.upstream, lookup)
    outputs = {}
    for method, path, arguments, catalog in walk.jobs():
        relative = walk.relative(path)
        if not path.is_file():
            continue
        depends = per_file.get(relative, "")
        if path.name == SUBSECTION_FILE:  # its assignment type is translated in course.yaml
            depends += per_file.get(COURSE_FILE, "")
        key = digest(ALGORITHM, relative, hashlib.sha256(path.read_bytes()).hexdigest(), depends)
        saved = cache / f"{key}.json"
        if saved.is_file():
            result = json.loads(saved.read_text(encoding="utf-8"))
        else:
            walk.catalog, walk.files, walk.missing, walk.done = catalog, {}, [], 0
            method(path, *arguments)
            result = {
                "text": walk.files.get(relative),
                "missing": walk.missing,
                "done": walk.done,
                "grading": walk.grading_names if relative == COURSE_FILE else {},
            }
            write_atomically(saved, json.dumps(result))
        if relative == COURSE_FILE:
            walk.grading_names = result["grading"]
        if result["text"] is not None:
            outputs[relative] = result["text"]
        used["translated"] += result["done"]
        if not (adaptation.dropped(relative) or relative in own):
            untranslated += [
                Message(context, source, relative, line, where) for context, source, line, where in result["missing"]
            ]
    if strict and untranslated:
        raise TranslationError(
            "\n".join(
                f"{message.path}:{message.line}: untranslated: {message.source[:70]!r}" for message in untranslated
            )
        )
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    for name in (CONTENT_DIR, STATIC_DIR, FACILITATOR_DIR):
        if (adaptation.upstream / name).is_dir():
            shutil.copytree(adaptation.upstream / name, folder / name, copy_function=link_or_copy)
    if (adaptation.root / FACILITATOR_DIR).is_dir():  # the edition's own guide for face-to-face training
        shutil.rmtree(folder / FACILITATOR_DIR, ignore_errors=True)
        shutil.copytree(adaptation.root / FACILITATOR_DIR, folder / FACILITATOR_DIR)
    elif (folder / FACILITATOR_DIR / KIT_FILE).is_file():
        kit_sections_translated(folder / FACILITATOR_DIR / KIT_FILE, found)
    for relative, text in outputs.items():
        write_atomically(folder / relative, text if text.endswith("\n") else text + "\n")
    for item in adaptation.drop:
        target = folder / item
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for relative in adaptation.own_files():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # perhaps a link to the upstream's file: never written through
        shutil.copy2(adaptation.root / relative, target)
    course = outputs.get(COURSE_FILE) or (adaptation.upstream / COURSE_FILE).read_text(encoding="utf-8")
    data, _lines = load_yaml(course)
    data = dict(data, **adaptation.course, language=course_language(adaptation.language))
    write_atomically(folder / COURSE_FILE, dump_yaml(data))
    return Materialized(folder, adaptation.upstream, untranslated, used["translated"])


def kit_sections_translated(path, found):
    """
    The upstream's kit (facilitator/kit.yaml) names units' sections by their headings: point it at
    the translated headings, so that the printable kit of the edition takes its samples in its
    language (the facilitator guide itself stays the upstream's unless the edition has its own).
    """
    data, _lines = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        return
    changed = False
    for entries in data.values():
        for entry in entries if isinstance(entries, list) else [entries]:
            if not (
                isinstance(entry, dict) and isinstance(entry.get("unit"), str) and isinstance(entry.get("section"), str)
            ):
                continue
            unit = "-".join(slug(part) for part in PurePosixPath(entry["unit"]).with_suffix("").parts)
            translated = next(
                (
                    text
                    for (context, source), text in found.items()
                    if source == entry["section"] and unit_of(context) == unit
                ),
                None,
            )
            if translated:
                entry["section"], changed = translated, True
    if changed:
        path.unlink()  # perhaps a link to the upstream's file: never written through
        write_atomically(path, dump_yaml(data))


def is_adapted(path):
    return (Path(path) / ADAPTATION_FILE).is_file()
