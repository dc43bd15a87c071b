"""
Checks on the course model, the same whether it came from sources or from OLX: unique
url_names, grading, static files and alt text, links between units, our blocks' own
rules (and their OLX round trip), investigations complete and in order; and olxcleaner,
Open edX's OLX validator, on the built files.
"""

import html
import os
import re
import tempfile
from pathlib import Path

from django.utils import translation

from .. import olx
from ..registry import STEP_ORDER
from .model import Origin
from .runtime import BlockRuntime
from .sources import BLOCK_TYPES, closest, report_validation

MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)")
HTML_IMAGE = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"([\w:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
STATIC_LINK = re.compile(r"/static/(?P<path>[^\"'\s)<>?#]+)")
# Fenced code blocks and inline code spans of Markdown.
CODE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\1[`~]*[ \t]*$|(`+)[^`\n].*?\2", re.MULTILINE | re.DOTALL)
JUMP_LINK = re.compile(r"/jump_to_id/(?P<url_name>[A-Za-z0-9_.:-]+)")
# Components Open edX ships; olxcleaner knows most of them, these it would call unknown.
PLATFORM_TYPES = ("drag-and-drop-v2", "openassessment", "library_content", "lti_consumer", "word_cloud", "poll")


def line_of(source, offset, origin):
    return origin.at(origin.line + source.count("\n", 0, offset))


def images(source):
    """``(offset, src, alt)`` for each Markdown or HTML image in ``source``; alt is None when absent."""
    for match in MARKDOWN_IMAGE.finditer(source):
        yield match.start(), match.group("src"), match.group("alt")
    for match in HTML_IMAGE.finditer(source):
        attrs = {}
        for attribute in ATTRIBUTE.finditer(match.group("attrs")):
            value = attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
            attrs[attribute.group(1).lower()] = html.unescape(value)
        yield match.start(), attrs.get("src", ""), attrs.get("alt")


def check_course(course, problems):
    """Every model-level check; problems name the file and line the course came from."""
    check_outline(course, problems)
    check_links(course, problems)
    with translation.override("en"):
        check_blocks(course, problems)
    check_investigations(course, problems)


def check_outline(course, problems):
    seen = {}

    def claim(category, url_name, origin):
        if not url_name:
            return
        earlier = seen.get(url_name)
        if earlier is not None:
            problems.add(
                origin,
                f"duplicate url_name '{url_name}' (<{category}>): also used by <{earlier[0]}> at "
                f"{problems.locate(earlier[1])}",
            )
        else:
            seen[url_name] = (category, origin)

    types = {grader.get("type") for grader in course.grading.get("GRADER", [])}
    for chapter in course.chapters:
        claim("chapter", chapter.url_name, chapter.origin)
        for subsection in chapter.subsections:
            claim("sequential", subsection.url_name, subsection.origin)
            if subsection.graded_as and subsection.graded_as not in types:
                known = ", ".join(sorted(types)) or "none: add grading.assignment_types to course.yaml"
                problems.add(
                    subsection.graded_origin or subsection.origin,
                    f"graded as '{subsection.graded_as}', which is not an assignment type (known: {known})",
                )
            for unit in subsection.units:
                claim("vertical", unit.url_name, unit.origin)
                for component in unit.components:
                    claim(component.category, component.url_name, component.origin)
    if not course.display_name:
        problems.add(course.origin, "the course has no title")
    image = course.policy.get("course_image")
    if image and image not in course.static:
        problems.add(course.origin, f"the course image static/{image} does not exist")


def scanned_text(component):
    """
    What the link checks read: the author's text, with code blanked out in Markdown prose
    (an image shown as an example in a code block is not an image of the course). Newlines
    stay, so lines still count right.
    """
    source = component.source or ""
    if component.category != "html" or not component.origin.path.endswith(".md"):
        return source
    return CODE.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), source)


def url_names_of(course):
    """Every url_name a /jump_to_id/ link can name: sections, subsections, units and components."""
    names = set()
    for chapter in course.chapters:
        names.add(chapter.url_name)
        for subsection in chapter.subsections:
            names.add(subsection.url_name)
            for unit in subsection.units:
                names.add(unit.url_name)
                names.update(component.url_name for component in unit.components)
    names.discard("")
    return names


def dangling_link(url_name, url_names):
    """The problem of a /jump_to_id/ link to ``url_name``, which no part of the course has."""
    close = closest(url_name, url_names)
    meant = f" (did you mean '{close}'?)" if close else ""
    return f"link to /jump_to_id/{url_name}: no unit, component, subsection or section has this url_name{meant}"


def check_links(course, problems):
    """Images need alt text; /static/ files must exist; /jump_to_id/ links must name a part of the course."""
    url_names = url_names_of(course)
    # A component that could not be read (its problem is reported) may be the one a link names.
    unread = tuple(f"{item.unit}-" for item in course.unreadable)
    texts = [(scanned_text(component), component.origin, True) for _unit, component in course.components()]
    for name, page in sorted(course.about.items()):
        if course.about_origin is not None:  # written in course.yaml: its lines are not the page's
            texts.append((page, course.about_origin, False))
        else:
            texts.append((page, Origin(f"about/{name}.html", 1), True))
    for source, origin, counted in texts:

        def at(offset, source=source, origin=origin, counted=counted):
            return line_of(source, offset, origin) if counted else origin

        for offset, src, alt in images(source):
            if alt is None or not alt.strip():
                problems.add(at(offset), f"the image {src} has no alt text: describe it for learners who cannot see it")
        for match in STATIC_LINK.finditer(source):
            path = match.group("path")
            if path not in course.static:
                problems.add(at(match.start()), f"the file static/{path} does not exist")
        for match in JUMP_LINK.finditer(source):
            url_name = match.group("url_name")
            if url_name not in url_names and not (unread and url_name.startswith(unread)):
                problems.add(at(match.start()), dangling_link(url_name, url_names))


def authored_values(block):
    """The authored fields a parsed block has set."""
    return {name: getattr(block, name) for name in block.editable_fields if block.fields[name].is_set_on(block)}


def check_blocks(course, problems):
    """
    Parse each of our blocks from its OLX element, as an import would, then run its own
    rules. Blocks read from sources were checked field by field already: here they must
    read back to the very values the author wrote.
    """
    runtime = BlockRuntime()
    for _unit, component in course.components():
        if component.category not in BLOCK_TYPES:
            continue
        try:
            block = runtime.from_element(component.element)
        except olx.OlxError as err:
            problems.add(component.origin, str(err))
            continue
        label = f"{component.category} '{component.url_name}'"
        for part in olx.unknown_parts(component.element, block.author_specs(), block.fields):
            problems.warn(component.origin, f"{label}: {part} is not known to this version of lamap-xblocks: left out")
        values = authored_values(block)
        if component.fields is None:
            component.fields = values
            report_validation(problems, block.validate_values(values), component.origin, label)
        else:
            for name, value in component.fields.items():
                if values.get(name) != value:
                    problems.add(
                        component.origin,
                        f"{component.category}: field '{name}' does not read back from OLX as written",
                    )


def check_investigations(course, problems):
    """Each investigation key has its four steps, in the course's order: question first, argumentation last."""
    steps = {}  # key -> [(step index, component)]
    notebooks = []
    # Steps that could not be read (their problems are reported): whichever investigation they
    # belong to, their absence is not reported again as a missing step.
    unread = {item.category.removeprefix("lamap_") for item in course.unreadable if item.category in BLOCK_TYPES}
    unread.difference_update({"notebook", "analysis"})
    for _unit, component in course.components():
        key = (component.fields or {}).get("investigation")
        if component.category == "lamap_notebook":
            if key:
                notebooks.append((key, component))
            continue
        if component.category == "lamap_analysis":
            continue  # an analysis of practice may join an investigation's notebook anywhere, in any order
        step = component.category.removeprefix("lamap_")
        if component.category in BLOCK_TYPES and key:
            steps.setdefault(key, []).append((STEP_ORDER.index(step), component))
    for key, found in steps.items():
        present = {index for index, _component in found}
        missing = [
            STEP_ORDER[index]
            for index in range(len(STEP_ORDER))
            if index not in present and STEP_ORDER[index] not in unread
        ]
        first = found[0][1]
        if missing:
            problems.add(
                first.origin,
                f"investigation '{key}' has no {' or '.join(missing)} step (a step with another "
                f"spelling of the key is not linked)",
            )
        latest = -1
        latest_component = None
        for index, component in found:
            if index < latest:
                problems.add(
                    component.origin,
                    f"investigation '{key}': the {STEP_ORDER[index]} step comes after its "
                    f"{STEP_ORDER[latest]} step ({problems.locate(latest_component.origin)})",
                )
            elif index > latest:
                latest, latest_component = index, component
    for key, component in notebooks:
        if key not in steps and not unread:
            problems.add(component.origin, f"the notebook shows investigation '{key}', which no step uses")


def olxcleaner_problems(files, problems, allowed=()):
    """
    Run olxcleaner (all eight steps) on the files in a scratch directory; each of its
    errors becomes a problem. Returns its warnings, which do not fail the check.
    """
    try:
        from olxcleaner import validate
        from olxcleaner.exceptions import ErrorLevel
    except ImportError:
        problems.add(Origin("course.xml", 1), "olxcleaner is not installed: pip install 'lamap-xblocks[course]'")
        return []
    warnings = []
    # olxcleaner reads a directory: a scratch copy in memory where the system offers one
    # (creating thousands of small files on disk costs more than all the checks together).
    memory = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="lamap-olx-", dir=memory) as scratch:
        root = Path(scratch)
        for path, data in files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        allowed_types = sorted({*BLOCK_TYPES, *PLATFORM_TYPES, *allowed})
        _course, errorstore, _url_names = validate(str(root), steps=8, allowed_xblocks=allowed_types)
        for error in errorstore.errors:
            if type(error).__name__ == "BadJumpToLink":
                # check_links reports dangling /jump_to_id/ links at their line; olxcleaner does not
                # know the url_names of the blocks it only allows (ours), so it would flag links to them.
                continue
            filename = str(error.filename or "course.xml").removeprefix(str(root)).lstrip("/")
            origin = Origin(filename, 1)
            if error.level_val >= ErrorLevel.ERROR.value:
                problems.add(origin, f"olxcleaner: {error.description}")
            elif error.level_val >= ErrorLevel.WARNING.value:
                warnings.append(f"{problems.locate(origin)}: olxcleaner warning: {error.description}")
    return warnings
