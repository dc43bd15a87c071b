"""
The course as the toolchain sees it, whether read from sources or from OLX: an outline
of chapters, subsections and units holding components, each remembering where it came
from so every problem is reported as ``file:line: message``.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Origin:
    """Where something was written: a path (relative to the course or archive) and a 1-based line."""

    path: str
    line: int = 1

    def at(self, line):
        return Origin(self.path, line)


@dataclass(frozen=True)
class Problem:
    origin: Origin
    message: str

    def __str__(self):
        return f"{self.origin.path}:{self.origin.line}: {self.message}"


class Problems:
    """Every problem found in one run, in the order found; reported together at the end."""

    def __init__(self):
        self.items = []
        self.warnings = []  # what Studio would show as a warning: reported, never fatal

    def add(self, origin, message):
        self.items.append(Problem(origin, message))

    def warn(self, origin, message):
        self.warnings.append(Problem(origin, f"warning: {message}"))

    def __bool__(self):
        return bool(self.items)

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def sorted(self):
        """By file, then line; problems of one line keep the order they were found in."""
        return sorted(self.items, key=lambda problem: (problem.origin.path, problem.origin.line))


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
