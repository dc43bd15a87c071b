"""
The printable kit of a course, for partners who train face to face (``lamap-course kit``):
print-ready HTML pages, one per item, A4, and with ``--pdf`` their PDF (WeasyPrint).

- **The facilitator guide**: the Markdown files of the course's ``facilitator/`` folder
  (front matter with a ``title``, like the units), in the order of their names.
- **What ``facilitator/kit.yaml`` lists from the units**, never copied text: samples of
  pupils' work as cards (a list's items can be cut into one card each, to sort in groups),
  an observation grid built from a list or table of principles, a session-plan template
  (a list of questions gets writing space, a table gets blank rows), and whole units
  (lesson accounts). Each entry names a unit, a section of it (a heading's text) and what
  to take from it (``list``, ``table``, ``image``, ``quote`` or ``all``)::

      samples:
        - title: "Ms Diallo's class: twelve questions"
          unit: 03-questions-hypotheses/01-questions/02-pupils-questions.md
          section: Ms Diallo's class asks questions
          take: list
          cut: true
      observation_grid: {unit: ..., section: ..., take: list}
      session_plan:
        - {unit: ..., section: The brief, take: list}
        - {columns: [Moment, Duration, ...], rows: 10}
      accounts:
        - unit: 05-experiment-to-knowledge/02-classroom-account/01-session-account.md

- **A worksheet per inquiry block** (``lamap_*``): its title, prompt and situation, and the
  fields a learner fills in, as blank lines, boxes and tables, labelled with the blocks' own
  words in the course's language. The offline copy (``offline.py``) shows the same
  worksheets in place of the interactive blocks.

Text comes out of the course as the toolchain rendered it (``text.render_markdown``); the
few words the pages add are in ``LABELS``, in English and French.
"""

import dataclasses
import functools
import html as html_module
import re
import shutil
import time
from pathlib import Path, PurePosixPath

from django.template import Context, Engine
from django.utils.safestring import mark_safe
from lxml import html as lxml_html

from .. import charts, i18n
from .. import text as text_utils
from ..i18n import bundled_translations
from .model import Origin
from .sources import CONTENT_DIR, STATIC_DIR, SourceReader, closest, did_you_mean, slug

TEMPLATES = Path(__file__).resolve().parent / "kit_templates"
FACILITATOR_DIR = "facilitator"
KIT_FILE = "kit.yaml"
STYLESHEET = "kit.css"
# A file an output folder holds when ``kit`` or ``offline`` wrote it: only such a folder is emptied.
MARKER = ".lamap-course-output"
LINE_MM = 8  # the height of one writing line
TAKES = ("list", "table", "image", "quote", "all")
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
ELLIPSIS = re.compile(r"^\s*(…|\.\.\.)?\s*$")
NUMBER = re.compile(r"^\s*\d+\s*\.?\s*$")


def _(message):
    """Mark a word of the kit's pages for translation (the package's catalogs); labels_for translates it."""
    return message


# The words the kit's and the offline copy's pages add to the course's own, translated into the
# course's language by the package's catalogs (conf/locale), like the blocks' own words.
LABELS = {
    "skip": _("Skip to the content"),
    "kit": _("Printable kit"),
    "guide": _("Facilitator guide"),
    "samples": _("Pupils' work"),
    "cut_help": _("Cut along the dotted lines: one card per item, to sort in groups."),
    "grid": _("Observation grid for a classroom session"),
    "grid_intro": _(
        "Before the lesson, agree with the teacher on one or two things to watch. During it, note "
        "facts with times: what was said, by whom, what pupils wrote. Interpret later."
    ),
    "grid_fields": [_("Class and level"), _("Date"), _("Topic of the session"), _("Focus chosen by the teacher")],
    "grid_principle": _("Principle"),
    "grid_seen": _("Seen in this session?"),
    "grid_seen_choices": [_("yes"), _("partly"), _("no")],
    "grid_facts": _("What I saw and heard: facts, times, words, writing"),
    "grid_discuss": _("To talk about with the teacher"),
    "grid_speakers": _("Who spoke to the class (a tally per pupil or group)"),
    "plan": _("Session plan"),
    "accounts": _("Lesson accounts"),
    "worksheets": _("Worksheets"),
    "fill_in": [_("Name or group"), _("Date")],
    "watch_video": _("Watch the video of the situation"),
    "from": _("From the course"),
    "module": _("Module {number}"),
    "contents": _("Contents"),
    "html": _("Page to print"),
    "pdf": _("PDF"),
    "whole_pdf": _("The whole kit in one PDF"),
    "offline": _("Offline copy"),
    "start": _("Start with:"),
    "outline": _("Outline"),
    "course_index": _("Course index"),
    "breadcrumbs": _("Where you are"),
    "pager_top": _("Units, before the content"),
    "pager_bottom": _("Units, after the content"),
    "previous_unit": _("Previous unit:"),
    "next_unit": _("Next unit:"),
    "printable": _("Printable worksheet"),
    "interactive": _(
        "On the course site, this activity is interactive: you write, submit, and compare with the "
        "other participants. Here is its worksheet, to read or print."
    ),
    "discussion": _("Discussion: {name}. The discussion takes place on the course site."),
    "problem": _("{name}: this check of your understanding is on the course site."),
    "video": _("Video: {name}"),
    "other": _("{name}: on the course site."),
    "offline_intro": _(
        "A copy of the course to read without a connection: every unit, its images, and the "
        "worksheet of each activity in place of the interactive blocks. Discussions and checks "
        "happen on the course site."
    ),
}


@functools.lru_cache(maxsize=16)
def labels_for(language):
    """The pages' words in ``language`` (``fr-CA`` reads ``fr``), English when we have no catalog."""
    translate = bundled_translations(language).gettext
    return {
        key: [translate(item) for item in value] if isinstance(value, list) else translate(value)
        for key, value in LABELS.items()
    }


# ----- HTML ------------------------------------------------------------------------------------


@functools.cache
def engine():
    return Engine(dirs=[str(TEMPLATES)], autoescape=True)


def render(template, **context):
    return mark_safe(engine().get_template(template).render(Context(context)))


def page(*, title, content, language, root="", body_class="", nav=None):
    """A whole HTML document: ``root`` is the relative path from the page to the output's top folder."""
    return render(
        "page.html",
        title=title,
        content=mark_safe(content),
        language=language,
        direction=i18n.direction(language),
        root=root,
        body_class=body_class,
        nav=nav,
        labels=labels_for(language),
    )


def fragment(markup):
    """HTML text to a parent ``<div>`` holding its elements."""
    return lxml_html.fragment_fromstring(markup or "", create_parent="div")


def inner(element):
    """An element's content as HTML (its text and children, not its own tag)."""
    parts = [html_module.escape(element.text, quote=False)] if element.text else []
    parts += [lxml_html.tostring(child, encoding="unicode") for child in element]
    return "".join(parts)


def plain(markup):
    """The text of an HTML fragment."""
    return fragment(markup).text_content()


def outer(element):
    return lxml_html.tostring(element, encoding="unicode", with_tail=False)


def relink(markup, prefix, jump=None, shift=0):
    """
    Course HTML made to work from a page of the output: ``/static/x`` becomes ``prefix + x``;
    a ``/jump_to_id/name`` link goes where ``jump(name, fragment)`` says, or becomes its text
    when it says None (on paper a link leads nowhere); headings move by ``shift`` levels
    (``-1``: an ``<h3>`` of a unit becomes an ``<h2>`` under the page's ``<h1>``).
    """
    if not markup or not markup.strip():
        return ""
    root = fragment(markup)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        for attribute in ("src", "href"):
            value = element.get(attribute)
            if value and value.startswith("/static/"):
                element.set(attribute, prefix + value[len("/static/") :])
        href = element.get("href") or ""
        if element.tag == "a" and href.startswith("/jump_to_id/"):
            name, _hash, anchor = href[len("/jump_to_id/") :].partition("#")
            target = jump(name.strip("/"), anchor) if jump else None
            if target:
                element.set("href", target)
            else:
                element.drop_tag()
        if shift and element.tag in ("h1", *HEADINGS):
            element.tag = f"h{min(max(int(element.tag[1]) + shift, 2), 6)}"
    return inner(root)


def module_label(language, number):
    return labels_for(language)["module"].format(number=number)


# ----- sections of units --------------------------------------------------------------------------


def squeezed(text):
    return " ".join((text or "").replace("\u00a0", " ").replace("\u202f", " ").split()).casefold()


@dataclasses.dataclass
class Piece:
    """An element taken from a unit, with the sub-heading it comes under (within the section)."""

    element: object
    group: str = ""


def unit_elements(unit):
    """The top-level elements of a unit's prose, in order (blocks and other components left out)."""
    elements = []
    for component in unit.components:
        if component.category == "html" and component.html:
            elements.extend(child for child in fragment(component.html) if isinstance(child.tag, str))
    return elements


def headings_of(unit):
    return [" ".join(element.text_content().split()) for element in unit_elements(unit) if element.tag in HEADINGS]


def section_of(unit, heading):
    """The elements under the heading whose text is ``heading`` (up to the next heading as high), or None."""
    elements = unit_elements(unit)
    wanted = squeezed(heading)
    for index, element in enumerate(elements):
        if element.tag in HEADINGS and squeezed(element.text_content()) == wanted:
            level = int(element.tag[1])
            pieces, group = [], ""
            for following in elements[index + 1 :]:
                if following.tag in HEADINGS:
                    if int(following.tag[1]) <= level:
                        break
                    group = " ".join(following.text_content().split())
                pieces.append(Piece(following, group))
            return pieces
    return None


def kind_of(element):
    """What an element is, as ``take`` names it."""
    if element.tag in ("ol", "ul"):
        return "list"
    if element.tag == "table":
        return "table"
    if element.tag == "blockquote":
        return "quote"
    if element.tag == "p" and element.find("img") is not None and not element.text_content().strip():
        return "image"
    return "other"


def taken(pieces, take, index=None):
    """The pieces of a section that ``take`` selects (``index``: only the n-th of them, from 1)."""
    if take == "all":
        chosen = pieces
    else:
        chosen = [piece for piece in pieces if kind_of(piece.element) == take]
    if index is not None:
        chosen = chosen[index - 1 : index]
    return chosen


def list_items(pieces):
    """``(number, html, group)`` of every item of the lists among ``pieces``."""
    items = []
    for piece in pieces:
        if kind_of(piece.element) != "list":
            continue
        start = int(piece.element.get("start") or 1) if piece.element.tag == "ol" else None
        for offset, item in enumerate(piece.element.findall("li")):
            number = str(start + offset) if start is not None else ""
            items.append((number, inner(item), piece.group))
    return items


def table_rows(element):
    """A table's header cells and body rows, as HTML strings."""
    header = [inner(cell) for cell in element.xpath("./thead/tr/th|./thead/tr/td")]
    rows = [[inner(cell) for cell in row.xpath("./td|./th")] for row in element.xpath("./tbody/tr")]
    if not header and rows:
        header, rows = rows[0], rows[1:]
    return header, rows


def row_items(pieces):
    """``(number, html, group)`` of every table row among ``pieces``: its number cell and first other cell."""
    items = []
    for piece in pieces:
        if kind_of(piece.element) != "table":
            continue
        _header, rows = table_rows(piece.element)
        for row in rows:
            numbers = [cell for cell in row if NUMBER.match(plain(cell))]
            texts = [cell for cell in row if cell not in numbers]
            if texts:
                number = plain(numbers[0]).strip(" .") if numbers else ""
                items.append((number, texts[0], piece.group))
    return items


# ----- worksheets ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Part:
    """
    One thing a worksheet shows: ``heading``, ``note``, ``write`` (``lines`` blank lines),
    ``list`` (one numbered blank area per item), ``choices`` (boxes to tick), ``table``
    (``columns`` and ``rows`` of cells) or ``group`` (``items`` are parts, under ``label``).
    """

    kind: str
    label: str = ""
    help: str = ""
    lines: int = 1
    items: list = dataclasses.field(default_factory=list)
    columns: list = dataclasses.field(default_factory=list)
    rows: list = dataclasses.field(default_factory=list)

    @property
    def height(self):
        return f"{self.lines * LINE_MM}mm"

    @property
    def long(self):
        """Choices too long to sit side by side: one under the other."""
        return any(len(str(item)) > 40 for item in self.items)


@dataclasses.dataclass
class Worksheet:
    anchor: str
    title: str
    context: str
    prompt_html: str
    situation_label: str = ""
    situation_html: str = ""
    image: dict = None
    video: str = ""
    parts: list = dataclasses.field(default_factory=list)


# The instructions a block shows when its author wrote none (the same messages as its template).
DEFAULT_PROMPTS = {
    "lamap_question": "Read the situation. What questions does it make you ask? Write them down, then choose the "
    "one you want to investigate.",
    "lamap_hypothesis": "What do you think the answer to your question is? State your hypotheses: each one with "
    "your idea, why you think so, and what you expect to observe if it is right.",
    "lamap_experiment": "Design a fair test of your hypothesis: change one thing only, keep everything else the "
    "same, and predict what you will observe before you start. Then record your results.",
    "lamap_argumentation": "What can you conclude? State your claim, back it with the evidence you collected, "
    "explain how the evidence supports it, and say what limits your conclusion.",
}


def question_parts(block, gettext):
    from ..question import TESTABLE_LABELS

    return [
        Part("list", gettext("Your questions"), items=[""] * max(block.min_questions + 2, 4), lines=2),
        Part("write", gettext("The question you choose"), lines=2),
        Part("choices", gettext("Could an experiment answer the question you chose?"), items=labels(TESTABLE_LABELS)),
        Part("write", gettext("How could an experiment answer it, or why not?"), lines=3),
    ]


def labels(choices):
    """The labels of a block's choices (a mapping of value to message), to translate."""
    return list(choices.values())


def confidence_part(gettext, label="How sure are you?"):
    from ..hypothesis import CONFIDENCE_LABELS

    return Part("choices", gettext(label), items=[gettext(text) for text in labels(CONFIDENCE_LABELS)])


def hypothesis_parts(block, gettext):
    from ..hypothesis import VERDICT_LABELS

    count = min(block.max_hypotheses, max(block.min_hypotheses, 3))
    parts = [
        Part(
            "group",
            gettext("Hypothesis {number}").format(number=number),
            items=[
                Part("write", gettext("I think that…"), lines=2),
                Part("write", gettext("because…"), lines=2),
                Part("write", gettext("If…, then I will observe…"), lines=2),
                confidence_part(gettext),
            ],
        )
        for number in range(1, count + 1)
    ]
    if block.investigation:  # the results come later in the investigation: the hypotheses are revisited then
        parts.append(Part("heading", gettext("Revisit your hypotheses")))
        for number in range(1, count + 1):
            parts.append(
                Part(
                    "group",
                    gettext("Hypothesis {number}").format(number=number),
                    items=[
                        Part(
                            "choices",
                            gettext("What does the evidence say about this hypothesis?"),
                            items=[gettext(text) for text in labels(VERDICT_LABELS)],
                        ),
                        Part("write", gettext("Why? Cite what you observed or measured."), lines=2),
                    ],
                )
            )
    return parts


def experiment_parts(block, gettext):
    from ..experiment import CHECK_LABELS

    columns = [charts.column_title(column) for column in block.columns]
    rows = [[""] * len(columns) for _row in range(min(block.max_rows, 12))]
    parts = []
    if block.investigation:
        parts.append(Part("write", gettext("Which of your hypotheses does this experiment test?"), lines=1))
    parts += [
        Part("heading", gettext("Plan a fair test")),
        Part("write", gettext("The one thing I change"), lines=1),
        Part("list", gettext("The values I compare"), items=[""] * 3, lines=1),
        Part("list", gettext("What I measure or observe"), items=[""] * 2, lines=1),
        Part("list", gettext("What I keep the same"), items=[""] * 4, lines=1),
        Part("list", gettext("Materials"), items=[""] * 4, lines=1),
        Part("list", gettext("Protocol: the steps, in order"), items=[""] * 5, lines=1),
        Part(
            "write",
            gettext("My prediction: what I expect to observe, and why"),
            help=gettext("Write it before you record any result."),
            lines=3,
        ),
        Part("choices", gettext("Is your test fair?"), items=[gettext(text) for text in labels(CHECK_LABELS)]),
        Part("heading", gettext("Results")),
        Part("table", gettext("Results table"), columns=columns, rows=rows),
        Part("write", gettext("My observations: what I noticed, including anything unexpected"), lines=4),
    ]
    return parts


def argumentation_parts(block, gettext):
    from ..argumentation import DEFAULT_CRITERIA
    from ..hypothesis import VERDICT_LABELS

    criteria = list(block.criteria) or [gettext(own) for own, _peer in DEFAULT_CRITERIA]
    evidence = max(block.min_evidence, 3)
    parts = []
    if block.investigation:
        parts += [
            Part("heading", gettext("Back to your hypothesis")),
            Part(
                "choices",
                gettext("Is your hypothesis supported?"),
                items=[gettext(text) for text in labels(VERDICT_LABELS)],
            ),
            confidence_part(gettext, "How sure are you now?"),
            Part("write", gettext("Why has your confidence changed?"), lines=2),
        ]
    parts += [
        Part("write", gettext("My claim: what I conclude"), lines=3),
        Part(
            "list",
            gettext("My evidence: what I observed or measured that supports my claim"),
            items=[gettext("Evidence {number}").format(number=number) for number in range(1, evidence + 1)],
            lines=2,
        ),
        Part("write", gettext("My reasoning: how the evidence supports the claim"), lines=5),
        Part("write", gettext("Limitations or counter-argument"), lines=3),
    ]
    if block.rubric:  # the block grades with its rubric: the sheet prints it, to score with
        parts.append(
            Part(
                "table",
                gettext("Score your own argument with the rubric"),
                columns=[gettext("Criterion"), gettext("Level"), gettext("Points"), gettext("Description")],
                rows=[
                    [row.get("criterion", ""), row.get("level", ""), row.get("points", ""), row.get("description", "")]
                    for row in block.rubric
                ],
            )
        )
    else:
        parts.append(Part("choices", gettext("Check your argument: tick what it does"), items=criteria))
    return parts


def analysis_parts(block, gettext):
    from ..annotations import LEVELS

    criteria = list(block.criteria)
    marks = [
        [gettext("Mark {number}").format(number=number), "", "", ""] for number in range(1, max(block.min_marks, 3) + 2)
    ]
    levels = [gettext(text) for text in labels(LEVELS)]
    return [
        Part(
            "table",
            gettext("Your marks"),
            columns=[gettext("Your marks"), gettext("Part"), gettext("Criterion"), gettext("Comment")],
            rows=marks,
        ),
        Part("write", gettext("Your feedback"), help=block.feedback_prompt, lines=5),
        Part("heading", gettext("Your judgement, criterion by criterion")),
        *[Part("choices", criterion, items=levels) for criterion in criteria],
        Part("write", gettext("Your overall judgement"), lines=3),
    ]


def artefact_html(block, gettext, static_prefix, language="en"):
    """
    The piece of practice an analysis block shows (its image, or its transcript as numbered
    lines, and a video's address), as HTML; "" for another block.
    """
    from ..annotations import parse_transcript

    kind = getattr(block, "artefact_kind", None)
    if kind is None:
        return ""
    parts = []
    if getattr(block, "artefact_title", ""):
        parts.append(f"<p><strong>{html_module.escape(block.artefact_title)}</strong></p>")
    if kind == "image" and block.image_url and text_utils.is_safe_url(block.image_url):
        src = block.image_url
        src = static_prefix + src[len("/static/") :] if src.startswith("/static/") else src
        alt = html_module.escape(block.image_alt or "")
        parts.append(f'<p><img src="{html_module.escape(src)}" alt="{alt}"></p>')
    if kind == "video" and block.video_url and text_utils.is_safe_url(block.video_url):
        url = html_module.escape(block.video_url)
        watch = html_module.escape(gettext("Watch the video"))
        parts.append(f'<p><a href="{url}">{watch}</a> <span class="kit-url">{url}</span></p>')
    lines = parse_transcript(block.transcript) if kind in ("transcript", "video") else []
    if lines:
        items = []
        for line in lines:
            colon = "\u00a0:" if language.split("-")[0] == "fr" else ":"
            speaker = f"<strong>{html_module.escape(line['speaker'])}{colon}</strong> " if line["speaker"] else ""
            clock = f"[{line['clock']}] " if line["clock"] else ""
            items.append(f"<li>{clock}{speaker}{html_module.escape(line['text'])}</li>")
        parts.append('<ol class="kit-transcript">' + "".join(items) + "</ol>")
    return "".join(parts)


def notebook_parts(_block, gettext):
    return [Part("write", gettext("In my own words"), lines=14)]


def generic_parts(block, gettext):
    """A block type without its own worksheet: a writing area per field it asks of learners."""
    from .. import validation as spec

    parts = []
    for field in block.work_specs().values():
        if not field.label or getattr(field, "hidden", False):
            continue
        if isinstance(field, spec.ListOf):
            parts.append(Part("list", gettext(field.label), items=[""] * 3, lines=2))
        else:
            parts.append(Part("write", gettext(field.label), lines=3))
    return parts


WORKSHEET_PARTS = {
    "lamap_question": question_parts,
    "lamap_hypothesis": hypothesis_parts,
    "lamap_experiment": experiment_parts,
    "lamap_argumentation": argumentation_parts,
    "lamap_notebook": notebook_parts,
    "lamap_analysis": analysis_parts,
}


def is_block(component):
    return component.category.startswith("lamap_") and component.element is not None


def worksheet(component, language, context, static_prefix):
    """The worksheet of one of our blocks, read from its OLX element as Studio's import reads it."""
    from .runtime import BlockRuntime

    gettext = bundled_translations(language).gettext
    block = BlockRuntime().from_element(component.element)
    prompt = getattr(block, "prompt", "") or ""
    if not prompt and component.category in DEFAULT_PROMPTS:
        prompt = gettext(DEFAULT_PROMPTS[component.category])
    sheet = Worksheet(
        anchor=component.url_name,
        title=gettext(component.display_name) if component.display_name else component.url_name,
        context=context,
        prompt_html=mark_safe(relink(text_utils.render_markdown(prompt), static_prefix)) if prompt else "",
    )
    if component.category == "lamap_question":
        sheet.situation_label = gettext("The starting situation")
        sheet.situation_html = mark_safe(relink(text_utils.render_markdown(block.situation), static_prefix))
        if block.image_url and text_utils.is_safe_url(block.image_url):
            src = block.image_url
            if src.startswith("/static/"):
                src = static_prefix + src[len("/static/") :]
            sheet.image = {"src": src, "alt": block.image_alt}
        if block.video_url and text_utils.is_safe_url(block.video_url):
            sheet.video = block.video_url
    artefact = artefact_html(block, gettext, static_prefix, language)
    if artefact:
        sheet.situation_label = gettext("The piece of practice")
        sheet.situation_html = mark_safe(artefact)
    build = WORKSHEET_PARTS.get(component.category, generic_parts)
    sheet.parts = build(block, gettext)
    return sheet


def worksheet_html(sheet, language, level=1, fill_in=True):
    return render(
        "worksheet.html", sheet=sheet, level=level, sub=level + 1, fill_in=fill_in, labels=labels_for(language)
    )


def worksheet_context(language, chapter_number, unit):
    return f"{module_label(language, chapter_number)} · {unit.display_name}"


# ----- kit.yaml -------------------------------------------------------------------------------


@dataclasses.dataclass
class Extract:
    """An entry of kit.yaml that takes a part of a unit: where, what, and the pieces found."""

    origin: Origin
    unit: object = None
    chapter_number: int = 0
    section: str = ""
    take: str = "all"
    pieces: list = dataclasses.field(default_factory=list)
    title: str = ""
    cut: bool = False
    columns: list = dataclasses.field(default_factory=list)
    rows: int = 10


class KitReader:
    """Reads ``facilitator/``: the guide's Markdown files and kit.yaml, each problem at its file and line."""

    def __init__(self, root, course, problems):
        self.root = Path(root)
        self.course = course
        self.problems = problems
        self.reader = SourceReader(root, problems)
        self.units = {}
        for number, chapter in enumerate(course.chapters, start=1):
            for subsection in chapter.subsections:
                for unit in subsection.units:
                    self.units[unit.origin.path] = (unit, number)

    def guide(self):
        """``[(title, html)]``: the guide's files, in the order of their names."""
        folder = self.root / FACILITATOR_DIR
        chapters = []
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            origin = self.reader.origin(path)
            text = self.reader.read_text(path)
            if text is None:
                continue
            lines = text.replace("\r\n", "\n").split("\n")
            end = None
            if lines and lines[0].strip() == "---":
                end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
            if end is None:
                self.problems.add(origin, "a page of the guide starts with a front matter: ---, title: ..., ---")
                continue
            data, key_lines = self.reader.load_yaml("\n".join(lines[1:end]), origin.at(2))
            data = self.reader.mapping(data, key_lines, origin, ("title",), "the front matter")
            title = data.get("title")
            if not isinstance(title, str) or not title.strip():
                if not key_lines.broken:
                    self.problems.add(origin, "the front matter needs a 'title'")
                continue
            text = text_utils.render_markdown("\n".join(lines[end + 1 :]))
            # Wide tables scroll in their box on a phone, as the kit's own tables do.
            text = text.replace("<table>", '<div class="kit-table-box"><table>').replace("</table>", "</table></div>")
            chapters.append((title.strip(), text))
        if not chapters:
            self.problems.add(
                Origin(f"{FACILITATOR_DIR}/", 1), "no facilitator guide: write it as facilitator/*.md, with a title"
            )
        return chapters

    def kit(self):
        """kit.yaml as ``{"samples": [Extract], "observation_grid": Extract, "session_plan": [...], ...}``."""
        path = self.root / FACILITATOR_DIR / KIT_FILE
        origin = Origin(f"{FACILITATOR_DIR}/{KIT_FILE}", 1)
        result = {"samples": [], "observation_grid": None, "session_plan": [], "accounts": []}
        if not path.is_file():
            self.problems.add(origin, "missing: kit.yaml lists the parts of the units the kit prints")
            return result
        text = self.reader.read_text(path)
        if text is None:
            return result
        data, lines = self.reader.load_yaml(text, origin)
        if lines.broken:
            return result
        data = self.reader.mapping(data, lines, origin, tuple(result), KIT_FILE)
        for key in ("samples", "session_plan", "accounts"):
            entries = data.get(key) or []
            if not isinstance(entries, list):
                self.problems.add(origin.at(lines.get(key, 1)), f"'{key}' must be a list")
                continue
            for index, entry in enumerate(entries):
                extract = self.entry(entry, lines.within(key, index), origin.at(lines.find((key, index), 1)), key)
                if extract is not None:
                    result[key].append(extract)
        if data.get("observation_grid") is not None:
            grid = lines.within("observation_grid")
            where = origin.at(lines.get("observation_grid", 1))
            result["observation_grid"] = self.entry(data["observation_grid"], grid, where, "observation_grid")
        else:
            self.problems.add(origin, "'observation_grid' is required: the unit and section of the principles")
        return result

    def entry(self, entry, lines, origin, key):
        allowed = {
            "samples": ("title", "unit", "section", "block", "take", "index", "cut"),
            "observation_grid": ("unit", "section", "take", "index"),
            "session_plan": ("unit", "section", "take", "index", "columns", "rows"),
            "accounts": ("unit", "section", "take", "index", "title"),
        }[key]
        if not isinstance(entry, dict):
            self.problems.add(origin, f"each entry of '{key}' is a mapping (unit, section, take...)")
            return None
        self.reader.mapping(entry, lines, origin, allowed, f"'{key}'")

        def at(name):
            return origin.at(lines.get(name, origin.line))

        extract = Extract(origin, title=str(entry.get("title") or "").strip(), cut=entry.get("cut") is True)
        if key == "samples" and not extract.title:
            self.problems.add(origin, "a sample needs a 'title' (the card's heading)")
        if "columns" in entry:  # a blank table whose columns kit.yaml gives
            columns = entry["columns"]
            if not isinstance(columns, list) or not columns or not all(isinstance(c, str) for c in columns):
                self.problems.add(at("columns"), "'columns' must be a list of column headings")
                return None
            rows = entry.get("rows", 10)
            if isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= 40:
                self.problems.add(at("rows"), "'rows' must be a whole number from 1 to 40")
                rows = 10
            extract.columns, extract.rows, extract.take = columns, rows, "table"
            return extract
        unit_path = entry.get("unit")
        if not isinstance(unit_path, str) or not unit_path.strip():
            self.problems.add(origin, "'unit' is required: the unit's path under content/")
            return None
        unit_path = str(PurePosixPath(CONTENT_DIR) / unit_path.strip().removeprefix(f"{CONTENT_DIR}/"))
        found = self.units.get(unit_path)
        if found is None:
            self.problems.add(at("unit"), f"no unit {unit_path}{did_you_mean(unit_path, self.units)}")
            return None
        extract.unit, extract.chapter_number = found
        take = entry.get("take", "all")
        if take not in TAKES:
            self.problems.add(at("take"), f"'take' must be one of {', '.join(TAKES)}{did_you_mean(take, TAKES)}")
            return None
        extract.take = take
        index = entry.get("index")
        if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 1):
            self.problems.add(at("index"), "'index' must be a whole number from 1 (the first one taken)")
            index = None
        section = entry.get("section")
        if entry.get("block") is not None:  # the piece of practice an analysis block shows
            block_id = str(entry["block"])
            extract.section = block_id
            component = next(
                (item for item in extract.unit.components if item.url_name == f"{extract.unit.url_name}-{block_id}"),
                None,
            )
            markup = ""
            if component is not None and is_block(component):
                from .runtime import BlockRuntime

                block = BlockRuntime().from_element(component.element)
                language = self.course.language
                markup = artefact_html(block, bundled_translations(language).gettext, "/static/", language)
            if not markup:
                ids = [
                    item.url_name.removeprefix(f"{extract.unit.url_name}-")
                    for item in extract.unit.components
                    if is_block(item) and item.category == "lamap_analysis"
                ]
                self.problems.add(
                    at("block"),
                    f"{unit_path} has no analysis block with the id '{block_id}'{did_you_mean(block_id, ids)}",
                )
                return None
            pieces = [Piece(element) for element in fragment(markup) if isinstance(element.tag, str)]
        elif section is None:
            pieces = [Piece(element) for element in unit_elements(extract.unit)]
        else:
            extract.section = str(section)
            pieces = section_of(extract.unit, extract.section)
            if pieces is None:
                known = headings_of(extract.unit)
                meant = closest(extract.section, known)
                hint = f": did you mean '{meant}'?" if meant else f" (its headings: {'; '.join(known)})"
                self.problems.add(at("section"), f"{unit_path} has no heading '{extract.section}'{hint}")
                return None
        extract.pieces = taken(pieces, take, index)
        if not extract.pieces:
            where = "block" if entry.get("block") is not None else "section"
            self.problems.add(at("take"), f"nothing to take: the {where} '{extract.section}' has no {take}")
            return None
        return extract


# ----- the kit's pages ---------------------------------------------------------------------------


@dataclasses.dataclass
class Item:
    """A page of the kit: its file name, title, kind (for the contents) and HTML."""

    name: str
    title: str
    kind: str
    html: str
    group: str = ""
    body_class: str = ""

    @property
    def pdf(self):
        return pdf_name(self.name)


def from_course(language, extract):
    """ "From the course: Module 3 · Pupils' questions", in the course's language."""
    words = labels_for(language)
    colon = "\u00a0:" if language.split("-")[0] == "fr" else ":"
    where = f"{module_label(language, extract.chapter_number)} · {extract.unit.display_name}"
    return f"{words['from']}{colon} {where}"


def document(language, title, context, body, intro=""):
    return render("document.html", title=title, context=context, intro=intro, body=mark_safe(body))


def guide_item(language, course, chapters, number):
    words = labels_for(language)
    body = "".join(
        render("guide_chapter.html", title=title, body=mark_safe(relink(html, "static/"))) for title, html in chapters
    )
    html = document(language, words["guide"], course.display_name, body)
    return Item(f"{number:02d}-facilitator-guide.html", words["guide"], "guide", html)


def sample_item(language, extract, number):
    if extract.cut:
        items = list_items(extract.pieces)
        cards = [
            {"number": item_number, "html": mark_safe(relink(html, "static/")), "group": group}
            for item_number, html, group in items
        ]
        body = render("cards.html", cut=True, cards=cards, title=extract.title, help=labels_for(language)["cut_help"])
    else:
        markup = "".join(outer(piece.element) for piece in extract.pieces)
        body = render("cards.html", cut=False, html=mark_safe(relink(markup, "static/", shift=-1)))
    html = document(language, extract.title, from_course(language, extract), body)
    return Item(f"{number:02d}-pupils-work-{slug(extract.title)}.html", extract.title, "samples", html)


def grid_item(language, course, extract, number):
    words = labels_for(language)
    items = list_items(extract.pieces) + row_items(extract.pieces)
    principles = [
        {"number": item_number or str(index), "html": mark_safe(relink(html, "static/")), "group": group}
        for index, (item_number, html, group) in enumerate(items, start=1)
    ]
    body = render("grid.html", principles=principles, words=words)
    html = document(language, words["grid"], from_course(language, extract), body, intro=words["grid_intro"])
    return Item(f"{number:02d}-observation-grid.html", words["grid"], "grid", html, body_class="kit-grid-page")


def plan_item(language, course, extracts, number):
    words = labels_for(language)
    parts = []
    for extract in extracts:
        if extract.unit is None:  # a blank table from kit.yaml
            rows = [[""] * len(extract.columns) for _row in range(extract.rows)]
            parts.append({"kind": "table", "columns": extract.columns, "rows": rows})
            continue
        heading = extract.section
        for piece in extract.pieces:
            kind = kind_of(piece.element)
            if kind == "list":
                questions = [
                    {"number": item_number, "html": mark_safe(relink(html, "static/"))}
                    for item_number, html, _group in list_items([piece])
                ]
                parts.append({"kind": "questions", "heading": heading, "questions": questions})
            elif kind == "table":
                header, rows = table_rows(piece.element)
                # A row of "…" stands for the rows the planner adds: the blank rows go there.
                blank = [[""] * len(header) for _row in range(max(11 - len(rows), 3))]
                template_rows = []
                for row in rows:
                    cells = ["" if ELLIPSIS.match(plain(cell)) else cell for cell in row]
                    if any(cells) or not blank:
                        template_rows.append([mark_safe(relink(cell, "static/")) for cell in cells])
                    else:
                        template_rows += blank
                        blank = []
                template_rows += blank
                columns = [mark_safe(relink(cell, "static/")) for cell in header]
                parts.append({"kind": "table", "heading": heading, "columns": columns, "rows": template_rows})
            else:
                parts.append({"kind": "html", "html": mark_safe(relink(outer(piece.element), "static/", shift=-1))})
            heading = ""
    body = render("plan.html", parts=parts, fill_in=words["fill_in"])
    context = from_course(language, next(extract for extract in extracts if extract.unit is not None))
    html = document(language, words["plan"], context, body)
    return Item(f"{number:02d}-session-plan.html", words["plan"], "plan", html)


def account_item(language, extract, number):
    markup = "".join(outer(piece.element) for piece in extract.pieces)
    title = extract.title or extract.unit.display_name
    html = document(language, title, from_course(language, extract), relink(markup, "static/", shift=-1))
    return Item(f"{number:02d}-account-{slug(extract.unit.url_name)}.html", title, "accounts", html)


def worksheet_items(language, course, number):
    items = []
    for chapter_number, chapter in enumerate(course.chapters, start=1):
        for subsection in chapter.subsections:
            for unit in subsection.units:
                for component in unit.components:
                    if not is_block(component):
                        continue
                    context = worksheet_context(language, chapter_number, unit)
                    sheet = worksheet(component, language, context, "static/")
                    items.append(
                        Item(
                            f"{number:02d}-worksheet-{len(items) + 1:02d}-{component.url_name}.html",
                            sheet.title,
                            "worksheets",
                            worksheet_html(sheet, language),
                            group=module_label(language, chapter_number) + " · " + chapter.display_name,
                        )
                    )
    return items


# ----- writing ----------------------------------------------------------------------------------------


def prepare_output(output, problems):
    """
    Make ``output`` an empty folder for this run: a new one, an empty one, or one that
    ``kit`` or ``offline`` wrote before (its marker file says so). Anything else is kept
    and reported: the command never deletes a folder it did not write.
    """
    output = Path(output)
    if output.exists():
        if not output.is_dir():
            problems.add(Origin.of_file(output), "exists and is not a folder: choose another -o")
            return False
        if any(output.iterdir()) and not (output / MARKER).exists():
            problems.add(Origin.of_file(output), "this folder has other files: choose an empty or new folder with -o")
            return False
        shutil.rmtree(output)
    output.mkdir(parents=True)
    (output / MARKER).write_text("Written by lamap-course; deleted and written again by its next run.\n")
    return True


def copy_static(static, output):
    """The course's files (``course.static``) under ``output/static/``, and the stylesheet at the top."""
    for name, data in static.items():
        target = output / STATIC_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            shutil.copyfile(data, target)
    shutil.copyfile(TEMPLATES / STYLESHEET, output / STYLESHEET)


@dataclasses.dataclass
class Built:
    """What a run wrote: the HTML pages, the PDFs with their page counts, the time it took."""

    output: Path
    pages: list = dataclasses.field(default_factory=list)
    pdfs: dict = dataclasses.field(default_factory=dict)
    seconds: float = 0.0


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library it needs) is not installed."""


def weasyprint_module():
    try:
        import weasyprint
    except ImportError as err:
        raise PdfUnavailable(
            "--pdf needs WeasyPrint: pip install 'lamap-xblocks[kit]' (and Pango: apt-get install "
            "libpango-1.0-0 libpangoft2-1.0-0)"
        ) from err
    except OSError as err:  # its Python package is there, Pango is not
        raise PdfUnavailable(
            f"--pdf needs the Pango library (apt-get install libpango-1.0-0 libpangoft2-1.0-0): {err}"
        ) from err
    return weasyprint


def write_pdfs(output, names, combined="kit.pdf"):
    """
    Each page as a PDF in ``output/pdf/``, and all of them in one (``combined``), rendered
    once each. Returns ``{file name: page count}``.
    """
    weasyprint = weasyprint_module()
    folder = output / "pdf"
    folder.mkdir(exist_ok=True)
    counts, all_pages, first = {}, [], None
    for name in names:
        document = weasyprint.HTML(filename=str(output / name), base_url=str(output)).render()
        pdf_name = Path(name).with_suffix(".pdf").name
        document.write_pdf(folder / pdf_name)
        counts[pdf_name] = len(document.pages)
        all_pages.extend(document.pages)
        first = first or document
    if first is not None and combined:
        first.copy(all_pages).write_pdf(folder / combined)
        counts[combined] = len(all_pages)
    return counts


def build_kit(source, output, problems, pdf=False):
    """
    The kit of the course in ``source`` (sources, with ``facilitator/``), written to ``output``.
    Returns a ``Built``, or None (and nothing written) when there is any problem.
    """
    from .toolchain import build, is_sources

    started = time.perf_counter()
    if not is_sources(source):
        problems.add(Origin.of_file(source), "not course sources: the kit needs courses/<slug> and its facilitator/")
        return None
    course, files = build(source, problems)
    if files is None:
        return None
    language = course.language
    reader = KitReader(source, course, problems)
    chapters = reader.guide()
    listed = reader.kit()
    if problems:
        return None
    items = [guide_item(language, course, chapters, 1)]
    number = 2
    for extract in listed["samples"]:
        items.append(sample_item(language, extract, number))
        number += 1
    if listed["observation_grid"] is not None:
        items.append(grid_item(language, course, listed["observation_grid"], number))
        number += 1
    if listed["session_plan"]:
        items.append(plan_item(language, course, listed["session_plan"], number))
        number += 1
    for extract in listed["accounts"]:
        items.append(account_item(language, extract, number))
        number += 1
    items += worksheet_items(language, course, number)
    output = Path(output)
    if not prepare_output(output, problems):
        return None
    copy_static(course.static, output)
    result = Built(output)
    for item in items:
        markup = page(title=item.title, content=item.html, language=language, body_class=item.body_class)
        (output / item.name).write_text(markup, "utf-8")
        result.pages.append(item.name)
    if pdf:
        result.pdfs = write_pdfs(output, [item.name for item in items])
    words = labels_for(language)
    index = render(
        "kit_index.html",
        course=course,
        words=words,
        items=items,
        groups=[
            (words["guide"], [item for item in items if item.kind == "guide"]),
            (words["samples"], [item for item in items if item.kind == "samples"]),
            (words["grid"], [item for item in items if item.kind == "grid"]),
            (words["plan"], [item for item in items if item.kind == "plan"]),
            (words["accounts"], [item for item in items if item.kind == "accounts"]),
        ],
        worksheets=grouped(item for item in items if item.kind == "worksheets"),
        pdfs=result.pdfs,
    )
    title = f"{words['kit']} · {course.display_name}"
    (output / "index.html").write_text(page(title=title, content=index, language=language), "utf-8")
    result.pages.append("index.html")
    result.seconds = time.perf_counter() - started
    return result


def grouped(items):
    """``[(group, [items])]`` in order, one entry per run of the same group."""
    groups = []
    for item in items:
        if not groups or groups[-1][0] != item.group:
            groups.append((item.group, []))
        groups[-1][1].append(item)
    return groups


def pdf_name(name):
    return str(PurePosixPath("pdf") / PurePosixPath(name).with_suffix(".pdf"))
