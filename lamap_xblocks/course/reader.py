"""
OLX to the course model: from a ``.tar.gz`` archive, a directory, or the files the writer
produced. Pointers (``<chapter url_name="x"/>`` naming ``chapter/x.xml``) and inline
elements are both read, as Studio's import reads them; a pointer to a missing file is a
problem at the pointer's line.
"""

import json
import tarfile
from pathlib import Path, PurePosixPath

from lxml import etree

from .. import olx
from .model import Chapter, Component, Course, Origin, Subsection, Unit

OUTLINE = ("chapter", "sequential", "vertical")
PARSER = olx.PARSER


def archive_files(path):
    """``{path: bytes}`` of an archive (or directory), relative to the folder holding course.xml."""
    path = Path(path)
    files = {}
    if path.is_dir():
        for item in sorted(path.rglob("*")):
            if item.is_file():
                files[PurePosixPath(item.relative_to(path)).as_posix()] = item.read_bytes()
    else:
        with tarfile.open(path, "r:*") as archive:
            for member in archive.getmembers():
                if member.isfile():
                    handle = archive.extractfile(member)
                    files[PurePosixPath(member.name).as_posix().lstrip("./")] = handle.read()
    roots = sorted((name for name in files if PurePosixPath(name).name == "course.xml"), key=lambda n: n.count("/"))
    if not roots:
        return files
    prefix = str(PurePosixPath(roots[0]).parent)
    if prefix == ".":
        return files
    return {name[len(prefix) + 1 :]: data for name, data in files.items() if name.startswith(prefix + "/")}


# One reading of the pointer form for the toolchain and the blocks' parse_xml.
is_pointer = olx.is_pointer


class OlxReader:
    def __init__(self, files, problems):
        self.files = files
        self.problems = problems

    def problem(self, path, line, message):
        self.problems.add(Origin(path, line or 1), message)

    def parse(self, path, origin_path=None, origin_line=1):
        data = self.files.get(path)
        if data is None:
            self.problem(origin_path or path, origin_line, f"{path} does not exist")
            return None
        try:
            return etree.fromstring(data, PARSER)
        except etree.XMLSyntaxError as err:
            self.problem(path, err.lineno, f"not well-formed XML: {err.msg}")
            return None

    def resolve(self, element, path):
        """A child element and the file it is defined in, following a pointer."""
        if not is_pointer(element):
            return element, path
        target = olx.definition_path(element.tag, element.get("url_name"))
        if target not in self.files:
            self.problem(
                path,
                element.sourceline,
                f'<{element.tag} url_name="{element.get("url_name")}"> points to {target}, which does not exist',
            )
            return None, None
        definition = self.parse(target)
        if definition is None:
            return None, None
        if definition.tag != element.tag:
            self.problem(target, definition.sourceline, f"expected <{element.tag}>, found <{definition.tag}>")
            return None, None
        definition.set("url_name", element.get("url_name"))
        return definition, target

    def children(self, element, tag, path):
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag != tag:
                self.problem(path, child.sourceline, f"<{element.tag}> holds <{tag}> elements, not <{child.tag}>")
                continue
            resolved, where = self.resolve(child, path)
            if resolved is not None:
                if not resolved.get("url_name"):
                    self.problem(where, resolved.sourceline, f"<{tag}> has no url_name")
                yield resolved, where

    def read(self):
        top = self.parse("course.xml")
        if top is None:
            return None
        if top.tag != "course" or not top.get("url_name"):
            self.problem("course.xml", top.sourceline, "course.xml must be <course url_name=... org=... course=.../>")
            return None
        run = top.get("url_name")
        course = Course(org=top.get("org", ""), number=top.get("course", ""), run=run, origin=Origin("course.xml", 1))
        root_path = f"course/{run}.xml"
        root = self.parse(root_path, "course.xml", top.sourceline)
        if root is None:
            return course
        policy_path = f"policies/{run}/policy.json"
        policy = self.load_json(policy_path).get(f"course/{run}", {})
        course.policy = dict(root.attrib)
        course.policy.update(policy)
        course.grading = self.load_json(f"policies/{run}/grading_policy.json")
        for name, data in self.files.items():
            if name.startswith("about/") and name.endswith(".html"):
                course.about[PurePosixPath(name).stem] = data.decode("utf-8", "replace")
            elif name.startswith("static/"):
                course.static[name[len("static/") :]] = data
        for element, path in self.children(root, "chapter", root_path):
            course.chapters.append(self.chapter(element, path))
        return course

    def load_json(self, path):
        data = self.files.get(path)
        if data is None:
            return {}
        try:
            value = json.loads(data)
        except ValueError as err:
            self.problem(path, getattr(err, "lineno", 1), f"not valid JSON: {err}")
            return {}
        if not isinstance(value, dict):
            self.problem(path, 1, "must hold a JSON object")
            return {}
        return value

    def chapter(self, element, path):
        chapter = Chapter(
            element.get("url_name", ""), element.get("display_name", ""), Origin(path, element.sourceline)
        )
        chapter.start = element.get("start")
        for child, where in self.children(element, "sequential", path):
            subsection = Subsection(
                child.get("url_name", ""), child.get("display_name", ""), Origin(where, child.sourceline)
            )
            if child.get("graded") == "true":
                subsection.graded_as = child.get("format")
            subsection.start, subsection.due = child.get("start"), child.get("due")
            for vertical, vertical_path in self.children(child, "vertical", where):
                subsection.units.append(self.unit(vertical, vertical_path))
            chapter.subsections.append(subsection)
        return chapter

    def unit(self, element, path):
        unit = Unit(element.get("url_name", ""), element.get("display_name", ""), Origin(path, element.sourceline))
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in OUTLINE or child.tag == "course":
                self.problem(path, child.sourceline, f"<{child.tag}> cannot sit inside a unit")
                continue
            component = self.html(child, path) if child.tag == "html" else self.component(child, path)
            if component is not None:
                unit.components.append(component)
        return unit

    def html(self, element, path):
        definition, where = self.resolve(element, path)
        if definition is None:
            return None
        url_name = definition.get("url_name", "")
        filename = definition.get("filename")
        if filename and not len(definition) and not (definition.text or "").strip():
            html_path = f"html/{filename}.html"
            data = self.files.get(html_path)
            if data is None:
                self.problem(where, definition.sourceline, f"the HTML component's file {html_path} does not exist")
                return None
            content, origin = data.decode("utf-8", "replace"), Origin(html_path, 1)
        else:
            inner = [definition.text or ""] + [etree.tostring(child, encoding="unicode") for child in definition]
            content, origin = "".join(inner), Origin(where, definition.sourceline)
        display_name = definition.get("display_name", "")
        component = Component("html", url_name, display_name, origin, definition, html=content, source=content)
        return component

    def component(self, element, path):
        definition, where = self.resolve(element, path)
        if definition is None:
            return None
        url_name = definition.get("url_name", "")
        if not url_name:
            self.problem(where, definition.sourceline, f"<{definition.tag}> has no url_name")
        source = etree.tostring(definition, encoding="unicode")
        display_name = definition.get("display_name", definition.tag)
        origin = Origin(where, definition.sourceline)
        return Component(definition.tag, url_name, display_name, origin, definition, source=source)


def read_olx(files, problems):
    """The course model of OLX ``files`` (``{path: bytes}``, paths relative to course.xml's folder)."""
    return OlxReader(files, problems).read()
