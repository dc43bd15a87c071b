"""
The course as the toolchain sees it, whether read from sources or from OLX: an outline
of chapters, subsections and units holding components, each remembering where it came
from so every problem is reported as ``file:line: message``.
"""

import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Origin:
    """
    Where something was written: a path and a 1-based line. The path is relative to the
    course (or to the archive's course.xml), except for a ``file`` origin, a path on disk
    as the person gave it (an archive, an output), and a ``built`` one, a file of the OLX
    built in memory from sources (olxcleaner's), which is nowhere on disk.
    """

    path: str
    line: int = 1
    file: bool = False
    built: bool = False

    def at(self, line):
        return Origin(self.path, line, self.file, self.built)

    @classmethod
    def of_file(cls, path, line=1):
        """A file on disk named by the person (an archive, an output), not a file of the course."""
        return cls(os.fspath(path), line, file=True)


def shown_path(path):
    """
    ``path`` as compilers print it: relative to the current directory when the file is in
    it, else absolute (a file elsewhere, on another drive, or no current directory at all).
    """
    try:
        absolute = os.path.abspath(path)
        relative = os.path.relpath(absolute)
    except (ValueError, OSError):
        return os.fspath(path)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return absolute
    return relative


def course_paths(root):
    """
    How a run prints paths when the course's files are in the directory ``root`` (sources
    or an unpacked archive): each relative to the current directory. ``root`` None (an
    archive): the course's paths are the archive's own, printed as they are.
    """

    def printed(origin):
        if origin.file:
            return shown_path(origin.path)
        if origin.built or root is None:
            return origin.path
        return shown_path(os.path.join(root, origin.path))

    return printed


def as_written(origin):
    """The default: the path as the origin holds it (relative to the course)."""
    return origin.path


@dataclass(frozen=True)
class Problem:
    origin: Origin
    message: str
    shown: str = None  # the path as printed (see Problems.paths); the origin's when None

    @property
    def where(self):
        return f"{self.shown if self.shown is not None else self.origin.path}:{self.origin.line}"

    def __str__(self):
        return f"{self.where}: {self.message}"


class Problems:
    """
    Every problem found in one run, in the order found; reported together at the end.
    ``paths`` maps an origin to the path printed (``course_paths``: relative to the current
    directory); by default paths stay relative to the course.
    """

    def __init__(self, paths=None):
        self.items = []
        self.warnings = []  # what Studio would show as a warning: reported, never fatal
        self.paths = paths or as_written

    def locate(self, origin):
        """``path:line`` of an origin as this run prints it (for a message naming another place)."""
        return f"{self.paths(origin)}:{origin.line}"

    def add(self, origin, message):
        self.items.append(Problem(origin, message, self.paths(origin)))

    def warn(self, origin, message):
        self.warnings.append(Problem(origin, f"warning: {message}", self.paths(origin)))

    def __bool__(self):
        return bool(self.items)

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def sorted(self):
        """By file, then line; problems of one line keep the order they were found in."""
        return sorted(self.items, key=lambda problem: (problem.shown or problem.origin.path, problem.origin.line))

    def sorted_warnings(self):
        return sorted(self.warnings, key=lambda problem: (problem.shown or problem.origin.path, problem.origin.line))


@dataclass
class Component:
    """
    One component of a unit. ``element`` is its OLX element, inline form (for ``html``, the
    ``<html>`` element whose content is ``html``). ``fields`` holds our blocks' authored
    values. ``source`` is the text as written (Markdown, YAML or OLX), starting at
    ``origin``: the checks look for images and links in it.
    """

    category: str
    url_name: str
    display_name: str
    origin: Origin
    element: object = None
    html: str = None
    fields: dict = None
    source: str = ""


@dataclass(frozen=True)
class Unreadable:
    """
    A component the sources hold but that could not be read (a YAML syntax error): its
    ``category`` (``lamap_question``...) and its ``unit``'s url_name. The checks do not
    report what only follows from its absence (a missing step, a link to it).
    """

    category: str
    unit: str
    origin: Origin


@dataclass
class Unit:
    url_name: str
    display_name: str
    origin: Origin
    components: list = field(default_factory=list)


@dataclass
class Subsection:
    url_name: str
    display_name: str
    origin: Origin
    units: list = field(default_factory=list)
    graded_as: str = None  # the assignment type, when graded
    graded_origin: Origin = None  # where graded_as was written
    start: str = None
    due: str = None


@dataclass
class Chapter:
    url_name: str
    display_name: str
    origin: Origin
    subsections: list = field(default_factory=list)
    start: str = None


@dataclass
class Course:
    """
    ``policy`` holds the course's settings as policy.json spells them (display_name, start,
    language, course_image, ...); ``grading`` is grading_policy.json; ``about`` maps an about
    page name (``overview``...) to its HTML; ``static`` maps a path under ``static/`` to a
    file path or bytes.
    """

    org: str
    number: str
    run: str
    origin: Origin
    policy: dict = field(default_factory=dict)
    grading: dict = field(default_factory=dict)
    about: dict = field(default_factory=dict)
    chapters: list = field(default_factory=list)
    static: dict = field(default_factory=dict)
    unreadable: list = field(default_factory=list)  # Unreadable components, reported where they are
    about_origin: Origin = None  # where the about page was written, when not in about/*.html (sources)

    @property
    def display_name(self):
        return self.policy.get("display_name", "")

    @property
    def language(self):
        return self.policy.get("language") or "en"

    @property
    def course_id(self):
        return f"course-v1:{self.org}+{self.number}+{self.run}"

    def subsections(self):
        for chapter in self.chapters:
            for subsection in chapter.subsections:
                yield chapter, subsection

    def units(self):
        """Every unit in course order, with its chapter and subsection."""
        for chapter, subsection in self.subsections():
            for unit in subsection.units:
                yield chapter, subsection, unit

    def components(self):
        for _chapter, _subsection, unit in self.units():
            for component in unit.components:
                yield unit, component

    def unit_count(self):
        return sum(len(subsection.units) for _chapter, subsection in self.subsections())
