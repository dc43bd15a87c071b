"""
Course sources (``courses/<slug>/``) to the course model. The layout::

    course.yaml                         title, org, number, run, dates, about page, grading
    static/                             images and other files the course links to
    content/<chapter>/chapter.yaml      title (and an optional start)
    content/<chapter>/<subsection>/subsection.yaml   title, graded (an assignment type), due
    content/<chapter>/<subsection>/<unit>.md         one unit: front matter, Markdown, components

Directory and file names sort the outline (``01-``, ``02-``...) and give the stable
``url_name``s: the number prefix is dropped, so reordering keeps every url_name. A unit's
prose becomes HTML components; fenced blocks whose language is a component type
(``lamap_question``..., ``discussion``, ``video``, ``olx``) become components, their
body YAML (or raw OLX for ``olx``). Every problem is collected with its file and line;
nothing stops at the first one.
"""

import difflib
import re
import unicodedata
from datetime import UTC, date, datetime, time
from pathlib import Path, PurePosixPath

import yaml
from django.utils import translation
from lxml import etree
from xblock.validation import ValidationMessage

from .. import registry
from .. import text as text_utils
from ..i18n import bundled_translations
from ..validation import InputError, ListOf, Record
from .model import Chapter, Component, Course, Origin, Subsection, Unit, Unreadable
from .runtime import BlockRuntime

COURSE_FILE = "course.yaml"
CHAPTER_FILE = "chapter.yaml"
SUBSECTION_FILE = "subsection.yaml"
CONTENT_DIR = "content"
STATIC_DIR = "static"

BLOCK_TYPES = registry.BLOCK_TYPES
OTHER_FENCES = ("discussion", "video", "olx")
# How a component's url_name ends when the author gives no ``id``: the unit's url_name, then this.
URL_SUFFIX = {block_type: block_type.removeprefix("lamap_") for block_type in BLOCK_TYPES}
URL_SUFFIX.update(html="text", discussion="discussion", video="video")

IDENTIFIER = re.compile(r"^[A-Za-z0-9_.-]+$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
COMPONENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NUMBER_PREFIX = re.compile(r"^\d+[-_. ]*")
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*$")
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_URL = re.compile(r"(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)([A-Za-z0-9_-]{11})")
HTML_HEADING = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.DOTALL)

COURSE_KEYS = {
    "title": "required",
    "org": "required",
    "number": "required",
    "run": "required",
    "language": "required",
    "start": "required",
    "end": "required",
    "image": "required",
    "enrollment_start": "optional",
    "enrollment_end": "optional",
    "self_paced": "optional",
    "about": "optional",
    "grading": "optional",
}
ABOUT_KEYS = (
    "short_description",
    "overview",
    "audience",
    "prerequisites",
    "effort",
    "duration",
    "learning_outcomes",
)
GRADING_KEYS = ("pass", "assignment_types")
ASSIGNMENT_KEYS = ("name", "short_label", "weight", "drop")
CHAPTER_KEYS = ("title", "start")
SUBSECTION_KEYS = ("title", "graded", "start", "due")
UNIT_KEYS = ("title",)
DISCUSSION_KEYS = ("id", "display_name", "category", "target")
VIDEO_KEYS = ("id", "display_name", "youtube", "url")

try:  # libyaml's loader when PyYAML was built with it: several times faster
    BaseYamlLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    BaseYamlLoader = yaml.SafeLoader


class YamlLoader(BaseYamlLoader):
    """The safe loader, with an impossible date (2026-02-30) a YAML error at its line instead of a crash."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as err:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a valid date: {err}", node.start_mark
            ) from None


YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", YamlLoader.construct_yaml_timestamp)

EXPLICIT_ID = re.compile(r"^id:\s*[\"']?(?P<id>[a-z0-9][a-z0-9_-]*)[\"']?\s*$", re.MULTILINE)


class Lines(dict):
    """
    Where each part of a YAML document was written. As a dict: each top-level key's line.
    ``find(path)`` gives the line of any nested part (``("columns", 2, "type")``: a key of a
    mapping, an index of a list), or of the nearest part holding it. ``broken``: the YAML
    could not be read at all (its error is reported), so nothing it holds is known.
    """

    def __init__(self, paths=None, prefix=(), broken=False):
        self.paths = paths if paths is not None else {}
        self.prefix = tuple(prefix)
        self.broken = broken
        depth = len(self.prefix) + 1
        super().__init__(
            {
                str(path[-1]): line
                for path, line in self.paths.items()
                if len(path) == depth and path[:-1] == self.prefix and not isinstance(path[-1], int)
            }
        )

    @classmethod
    def of_node(cls, node, first_line):
        """The lines of a composed YAML node whose text starts on line ``first_line``."""
        paths = {}
        seen = set()
        pending = [((), node)]
        while pending:
            path, current = pending.pop()
            if id(current) in seen:  # an alias: its lines are where the anchor was written
                continue
            seen.add(id(current))
            if isinstance(current, yaml.MappingNode):
                for key_node, value_node in current.value:
                    key = path + (str(key_node.value),)
                    paths.setdefault(key, first_line + key_node.start_mark.line)
                    pending.append((key, value_node))
            elif isinstance(current, yaml.SequenceNode):
                for index, item in enumerate(current.value):
                    key = path + (index,)
                    paths[key] = first_line + item.start_mark.line
                    pending.append((key, item))
        return cls(paths)

    def within(self, *keys):
        """The lines of a part of the document: ``within("grading")`` maps grading's keys."""
        return Lines(self.paths, self.prefix + keys, self.broken)

    def find(self, path, default):
        """The line of ``path`` (under this part), else of the nearest part that holds it, else ``default``."""
        path = self.prefix + tuple(key if isinstance(key, int) else str(key) for key in path)
        while len(path) > len(self.prefix):
            if path in self.paths:
                return self.paths[path]
            path = path[:-1]
        return self.paths.get(path, default) if path else default


def changes(word, other):
    """How many characters differ between two words (inserted, deleted or replaced)."""
    matcher = difflib.SequenceMatcher(None, word, other, autojunk=False)
    return sum(
        max(end - start, other_end - other_start)
        for tag, start, end, other_start, other_end in matcher.get_opcodes()
        if tag != "equal"
    )


def closest(word, known):
    """
    The known word ``word`` is most likely a misspelling of, or None: at most two changed
    characters, one more for every six of a long word (``colums``, ``...-experimentt``), so
    that names sharing a long prefix (``chapter-sub-notes``, ``chapter-sub-unit``) are not taken
    for one another.
    """
    word = str(word)
    limit = max(2, len(word) // 6)
    best = None
    for candidate in sorted({str(item) for item in known}):
        if abs(len(candidate) - len(word)) > limit:
            continue
        count = changes(word, candidate)
        if count <= limit and (best is None or count < best[0]):
            best = (count, candidate)
    return best[1] if best else None


def did_you_mean(word, known, quote="'{}'"):
    """``": did you mean 'columns'?"`` for a misspelt ``colums``, or nothing when no known word is close."""
    match = closest(word, known)
    return f": did you mean {quote.format(match)}?" if match else ""


def _(message):
    """Mark a heading of the generated about page for translation (in the course's language)."""
    return message


ABOUT_HEADINGS = {
    "overview": _("About this course"),
    "audience": _("Who this course is for"),
    "learning_outcomes": _("What you will learn"),
    "prerequisites": _("Prerequisites"),
}


def slug(name):
    """``"02-Why inquiry?"`` -> ``"why-inquiry"``: the url_name part a file or directory gives."""
    stem = NUMBER_PREFIX.sub("", name) or name
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-")


def iso_datetime(value):
    """A YAML date or datetime (or ISO text) as Open edX writes dates: ``2026-01-05T00:00:00Z``."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return datetime.combine(value, time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


class SourceReader:
    """Reads one course's sources; ``problems`` collects everything wrong with them."""

    def __init__(self, root, problems, progress=None):
        self.root = Path(root)
        self.problems = problems
        self.progress = progress
        self.runtime = None
        self.static = {}
        self.grading_origin = Origin(COURSE_FILE, 1)
        self.unreadable = []  # components that could not be read (Unreadable)
        self.grading_unknown = False  # a subsection.yaml could not be read: its 'graded' is unknown
        self.assignment_origins = {}  # assignment type -> where course.yaml defines it

    # ----- helpers -------------------------------------------------------------------

    def relative(self, path):
        return PurePosixPath(Path(path).relative_to(self.root)).as_posix()

    def origin(self, path, line=1):
        return Origin(self.relative(path), line)

    def problem(self, origin, message):
        self.problems.add(origin, message)

    def read_text(self, path):
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            self.problem(self.origin(path), f"not UTF-8 text: {err.reason} at byte {err.start}")
        except OSError as err:
            self.problem(self.origin(path), f"cannot read: {err.strerror}")
        return None

    def load_yaml(self, text, origin):
        """
        Parse YAML whose first line is ``origin.line``. Returns ``(data, lines)``; ``lines``
        maps each top-level key to its line (and finds nested ones: Lines). A syntax error is
        a problem, reported once at its line, and gives None with ``lines.broken``.
        """
        loader = YamlLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            # The parser often notices at the end of the input: point at the last written line.
            last = origin.line + len(text.rstrip("\n").split("\n")) - 1
            line = min(origin.line + (mark.line if mark else 0), last)
            self.problem(origin.at(line), f"YAML: {err.problem or err.context}")
            return None, Lines(broken=True)
        except (yaml.YAMLError, ValueError, TypeError) as err:  # a constructor's error (!!int x) has no mark
            self.problem(origin, f"YAML: {err}")
            return None, Lines(broken=True)
        finally:
            loader.dispose()
        return data, (Lines.of_node(node, origin.line) if node is not None else Lines())

    def mapping(self, data, lines, origin, allowed, what):
        """Check that ``data`` is a mapping with only ``allowed`` keys; returns it (or {})."""
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(origin, f"{what} must be a mapping of keys to values")
            return {}
        for key in data:
            if key not in allowed:
                known = ", ".join(allowed)
                self.problem(
                    origin.at(lines.get(str(key), origin.line)),
                    f"unknown key '{key}' in {what}{did_you_mean(key, allowed)} (known: {known})",
                )
        return data

    def text_value(self, data, key, lines, origin, *, required=False, pattern=None, what="text"):
        value = data.get(key)
        where = origin.at(lines.get(key, origin.line))
        if value is None:
            if required:
                self.problem(origin, f"'{key}' is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(where, f"'{key}' must be {what}")
            return None
        value = str(value).strip()
        if required and not value:
            self.problem(where, f"'{key}' must not be empty")
            return None
        if pattern is not None and not pattern.match(value):
            self.problem(where, f"'{key}' has an invalid value '{value}'")
            return None
        return value

    def date_value(self, data, key, lines, origin, required=False):
        value = data.get(key)
        if value is None:
            if required:
                self.problem(origin, f"'{key}' is required")
            return None
        converted = iso_datetime(value)
        if converted is None:
            self.problem(origin.at(lines.get(key, origin.line)), f"'{key}' must be a date such as 2026-01-05")
        return converted

    # ----- the course file -----------------------------------------------------------

    def read(self):
        if not self.root.is_dir():
            self.problem(Origin.of_file(self.root), "not a course directory")
            return None
        course_path = self.root / COURSE_FILE
        if not course_path.is_file():
            self.problem(Origin(COURSE_FILE, 1), "missing: every course has a course.yaml")
            return None
        self.static = self.read_static()
        course = self.read_course_file(course_path)
        if course is not None:
            course.static = self.static
        self.runtime = BlockRuntime()
        content = self.root / CONTENT_DIR
        if not content.is_dir():
            self.problem(Origin(CONTENT_DIR, 1), "missing: the units live in content/<chapter>/<subsection>/")
            return course
        # An unreadable course.yaml still leaves the units to read: their problems are reported
        # in the same run, but the course as a whole (grading, links...) is not checked.
        outline = course if course is not None else Course("", "", "", Origin(COURSE_FILE, 1))
        with translation.override("en"):  # messages of the blocks' own rules, for the author's terminal
            self.read_outline(outline, content)
        if course is None:
            return None
        course.unreadable = self.unreadable
        course.policy["advanced_modules"] = sorted(
            {component.category for _unit, component in course.components() if component.category in BLOCK_TYPES}
        )
        self.count_assignments(course)
        return course

    def read_static(self):
        static_dir = self.root / STATIC_DIR
        if not static_dir.is_dir():
            return {}
        files = {}
        for path in sorted(static_dir.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(static_dir).parts):
                files[PurePosixPath(path.relative_to(static_dir)).as_posix()] = path
        return files

    def read_course_file(self, path):
        origin = self.origin(path)
        source = self.read_text(path)
        if source is None:
            return None
        found = len(self.problems)
        data, lines = self.load_yaml(source, origin)
        if not isinstance(data, dict):
            # Nothing to check key by key: a YAML error says why, or one message does.
            if len(self.problems) == found:
                required = ", ".join(key for key, need in COURSE_KEYS.items() if need == "required")
                what = "is empty" if data is None else "must be a mapping of keys to values"
                self.problem(origin, f"course.yaml {what}: it gives {required} and about")
            return None
        data = self.mapping(data, lines, origin, tuple(COURSE_KEYS), "course.yaml")
        for key, need in COURSE_KEYS.items():
            if need == "required" and key not in data:
                self.problem(origin, f"'{key}' is required")
        values = {
            "title": self.text_value(data, "title", lines, origin),
            "org": self.text_value(data, "org", lines, origin, pattern=IDENTIFIER),
            "number": self.text_value(data, "number", lines, origin, pattern=IDENTIFIER),
            "run": self.text_value(data, "run", lines, origin, pattern=IDENTIFIER),
            "language": self.text_value(data, "language", lines, origin, pattern=LANGUAGE),
        }
        policy = {"display_name": values["title"] or "", "language": values["language"] or "en"}
        for key in ("start", "end", "enrollment_start", "enrollment_end"):
            value = self.date_value(data, key, lines, origin)
            if value:
                policy[key] = value
        if policy.get("start") and policy.get("end") and policy["start"] >= policy["end"]:
            self.problem(origin.at(lines.get("end", 1)), "'end' must come after 'start'")
        if "self_paced" in data:
            if isinstance(data["self_paced"], bool):
                policy["self_paced"] = data["self_paced"]
            else:
                self.problem(origin.at(lines.get("self_paced", 1)), "'self_paced' must be true or false")
        image = self.text_value(data, "image", lines, origin)
        if image:
            image = image.removeprefix("/").removeprefix("static/")
            if image not in self.static:
                self.problem(origin.at(lines["image"]), f"the course image static/{image} does not exist")
            else:  # (a missing one is reported here, at its line, not again by the course checks)
                policy["course_image"] = image
        policy["discussion_topics"] = {"General": {"id": "course"}}
        course = Course(
            org=values["org"] or "",
            number=values["number"] or "",
            run=values["run"] or "",
            origin=origin,
            policy=policy,
        )
        language = policy["language"]
        course.about, learning_info = self.read_about(data.get("about"), lines.within("about"), origin, language)
        course.about_origin = origin.at(lines.get("about", 1))
        if learning_info:
            policy["learning_info"] = learning_info
        self.grading_origin = origin.at(lines.get("grading", 1))
        course.grading = self.read_grading(data.get("grading"), lines.within("grading"), origin)
        return course

    def read_about(self, about, lines, origin, language):
        """``lines``: the lines of about's keys (Lines.within("about") of course.yaml)."""
        where = origin.at(lines.find((), origin.line))

        def at(*path):
            return origin.at(lines.find(path, where.line))

        if about is None:
            self.problem(origin, "'about' is required: the course's about page (overview, effort, ...)")
            return {}, []
        about = self.mapping(about, lines, where, ABOUT_KEYS, "about")
        for key in ("short_description", "overview", "effort"):
            if not isinstance(about.get(key), str) or not about[key].strip():
                self.problem(at(key), f"about: '{key}' is required text")
        outcomes = about.get("learning_outcomes") or []
        if not isinstance(outcomes, list):
            self.problem(at("learning_outcomes"), "about: 'learning_outcomes' must be a list of sentences")
            outcomes = []
        for index, item in enumerate(outcomes):
            if not isinstance(item, str) or not item.strip():
                self.problem(
                    at("learning_outcomes", index),
                    f"about: 'learning_outcomes' must be a list of sentences (item {index + 1} is not one)",
                )
        outcomes = [item for item in outcomes if isinstance(item, str) and item.strip()]
        outcomes = [item.strip() for item in outcomes]
        gettext = bundled_translations(language).gettext
        pages = {}
        sections = []
        for key in ("overview", "audience", "learning_outcomes", "prerequisites"):
            if key == "learning_outcomes":
                if not outcomes:
                    continue
                body = "<ul>" + "".join(f"<li>{text_utils.render_markdown(item)}</li>" for item in outcomes) + "</ul>"
                body = body.replace("<li><p>", "<li>").replace("</p></li>", "</li>")
            else:
                value = about.get(key)
                if value is None:
                    continue
                if not isinstance(value, str):
                    self.problem(at(key), f"about: '{key}' must be Markdown text")
                    continue
                body = about_markdown(value)
            sections.append(f'<section class="{key}">\n<h2>{gettext(ABOUT_HEADINGS[key])}</h2>\n{body}\n</section>')
        if sections:
            pages["overview"] = "\n".join(sections) + "\n"
        for key in ("short_description", "effort", "duration"):
            value = about.get(key)
            if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
                pages[key] = text_utils.normalise_text(str(value), single_line=True)
            elif value is not None and key == "duration":
                self.problem(at(key), f"about: '{key}' must be text")
        return pages, outcomes

    def read_grading(self, grading, lines, origin):
        """``lines``: the lines of grading's keys (Lines.within("grading") of course.yaml)."""
        where = origin.at(lines.find((), origin.line))

        def at(*path):
            return origin.at(lines.find(path, where.line))

        if grading is None:
            return {"GRADER": [], "GRADE_CUTOFFS": {"Pass": 0.5}}
        grading = self.mapping(grading, lines, where, GRADING_KEYS, "grading")
        cutoff = grading.get("pass", 0.5)
        if isinstance(cutoff, bool) or not isinstance(cutoff, int | float) or not 0 < cutoff <= 1:
            self.problem(
                at("pass"), "grading: 'pass' must be a number between 0 and 1 (the share of the grade to pass)"
            )
            cutoff = 0.5
        graders = []
        valid_weights = True  # a wrong weight or type is reported: the sum is not reported again
        types = grading.get("assignment_types") or []
        if not isinstance(types, list):
            self.problem(at("assignment_types"), "grading: 'assignment_types' must be a list")
            types = []
        for index, item in enumerate(types, start=1):
            label = f"grading: assignment type {index}"
            item_at = at("assignment_types", index - 1)
            if not isinstance(item, dict):
                self.problem(item_at, f"{label} must be a mapping with name, short_label and weight")
                valid_weights = False
                continue
            self.mapping(item, lines.within("assignment_types", index - 1), item_at, ASSIGNMENT_KEYS, label)
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                self.problem(at("assignment_types", index - 1, "name"), f"{label}: 'name' is required")
                valid_weights = False
                continue
            weight = item.get("weight")
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
                self.problem(
                    at("assignment_types", index - 1, "weight"),
                    f"{label} ({name}): 'weight' must be a number between 0 and 1",
                )
                weight = None
            drop = item.get("drop", 0)
            if isinstance(drop, bool) or not isinstance(drop, int) or drop < 0:
                self.problem(
                    at("assignment_types", index - 1, "drop"),
                    f"{label} ({name}): 'drop' must be a whole number, 0 or more",
                )
                drop = 0
            self.assignment_origins.setdefault(name.strip(), item_at)
            short_label = item.get("short_label") or name[:8]
            graders.append(
                {
                    "type": name.strip(),
                    "short_label": str(short_label).strip(),
                    "min_count": 0,
                    "drop_count": drop,
                    "weight": float(weight or 0),
                }
            )
            valid_weights = valid_weights and weight is not None
        names = [grader["type"] for grader in graders]
        for name in sorted({name for name in names if names.count(name) > 1}):
            self.problem(where, f"grading: assignment type '{name}' is defined twice")
        if graders and valid_weights and abs(sum(grader["weight"] for grader in graders) - 1) > 1e-6:
            total = sum(grader["weight"] for grader in graders)
            self.problem(where, f"grading: the weights of the assignment types add up to {total:g}, not 1")
        return {"GRADER": graders, "GRADE_CUTOFFS": {"Pass": float(cutoff)}}

    def count_assignments(self, course):
        """Each assignment type counts the graded subsections of its type; drops must leave one."""
        counts = {}
        for _chapter, subsection in course.subsections():
            if subsection.graded_as:
                counts[subsection.graded_as] = counts.get(subsection.graded_as, 0) + 1
        for grader in course.grading.get("GRADER", []):
            grader["min_count"] = counts.get(grader["type"], 0)
            if self.grading_unknown:
                # A subsection.yaml could not be read (its YAML error is reported): how many
                # subsections each type counts is not known, so nothing is said about it.
                continue
            where = self.assignment_origins.get(grader["type"], self.grading_origin)
            if not grader["min_count"]:
                # Open edX needs a count of 1 or more (olxcleaner's check rejects 0), and the type's
                # weight would be a share of the grade no learner can earn.
                self.problem(
                    where,
                    f"grading: no subsection is graded as '{grader['type']}': grade one or remove the type",
                )
            elif grader["drop_count"] >= grader["min_count"]:
                self.problem(
                    where,
                    f"grading: '{grader['type']}' drops {grader['drop_count']} of its "
                    f"{grader['min_count']} subsections: none would count",
                )

    # ----- the outline ---------------------------------------------------------------

    def entries(self, directory):
        """Visible entries of a directory, in outline order."""
        return sorted(path for path in directory.iterdir() if not path.name.startswith("."))

    def read_outline(self, course, content):
        total = sum(1 for _path in content.glob("*/*/*.md"))
        self.done = 0
        self.total = total
        for path in self.entries(content):
            if path.is_dir():
                course.chapters.append(self.read_chapter(path))
            elif path.suffix == ".md":
                self.problem(
                    self.origin(path), "a unit outside any chapter: move it into content/<chapter>/<subsection>/"
                )
        if not course.chapters:
            self.problem(Origin(CONTENT_DIR, 1), "the course has no chapter")

    def titled(self, directory, filename, keys, what):
        """
        Read a chapter.yaml or subsection.yaml: returns ``(data, lines, origin, title)``. When
        the file is missing or wrong, that is reported and the directory's name stands in for
        the title: what the directory holds is still read, its problems reported in the same run.
        """
        path = directory / filename
        origin = self.origin(path) if path.exists() else Origin(self.relative(directory) + "/" + filename, 1)
        unreadable = ({}, Lines(), origin, directory.name)
        if not path.is_file():
            self.problem(origin, f"missing: every {what} directory has a {filename} with its title")
            return unreadable
        source = self.read_text(path)
        if source is None:
            return unreadable
        data, lines = self.load_yaml(source, origin)
        if lines.broken:  # a YAML error, reported: no key to check
            if filename == SUBSECTION_FILE:
                self.grading_unknown = True
            return unreadable
        data = self.mapping(data, lines, origin, keys, filename)
        title = self.text_value(data, "title", lines, origin, required=True)
        return data, lines, origin, title or directory.name

    def url_name(self, path, prefix=""):
        part = slug(path.stem if path.is_file() else path.name)
        if not part:
            self.problem(
                self.origin(path), f"cannot derive a url_name from the name '{path.name}': use letters or digits"
            )
            part = "unnamed"
        return f"{prefix}-{part}" if prefix else part

    def read_chapter(self, directory):
        data, lines, origin, title = self.titled(directory, CHAPTER_FILE, CHAPTER_KEYS, "chapter")
        chapter = Chapter(self.url_name(directory), title, origin)
        chapter.start = self.date_value(data, "start", lines, origin)
        for path in self.entries(directory):
            if path.is_dir():
                chapter.subsections.append(self.read_subsection(path, chapter))
            elif path.suffix == ".md":
                self.problem(
                    self.origin(path),
                    "a unit outside any subsection: move it into a subsection directory (with a subsection.yaml)",
                )
            elif path.name != CHAPTER_FILE:
                self.problem(
                    self.origin(path), "unexpected file: a chapter holds chapter.yaml and subsection directories"
                )
        if not chapter.subsections:
            self.problem(origin, f"chapter '{chapter.display_name}' has no subsection")
        return chapter

    def read_subsection(self, directory, chapter):
        data, lines, origin, title = self.titled(directory, SUBSECTION_FILE, SUBSECTION_KEYS, "subsection")
        url_name = self.url_name(directory, chapter.url_name)
        subsection = Subsection(url_name, title, origin)
        subsection.graded_as = self.text_value(data, "graded", lines, origin)
        subsection.graded_origin = origin.at(lines.get("graded", origin.line))
        subsection.start = self.date_value(data, "start", lines, origin)
        subsection.due = self.date_value(data, "due", lines, origin)
        for path in self.entries(directory):
            if path.is_file() and path.suffix == ".md":
                unit = self.read_unit(path, url_name)
                if unit is not None:
                    subsection.units.append(unit)
                self.done += 1
                if self.progress:
                    self.progress(self.done, self.total)
            elif path.is_dir():
                self.problem(self.origin(path), "too deep: units are .md files directly in a subsection directory")
            elif path.name != SUBSECTION_FILE:
                self.problem(
                    self.origin(path), "unexpected file: a subsection holds subsection.yaml and unit .md files"
                )
        if not subsection.units:
            self.problem(origin, f"subsection '{subsection.display_name}' has no unit")
        return subsection

    # ----- units ---------------------------------------------------------------------

    def read_unit(self, path, prefix):
        source = self.read_text(path)
        if source is None:
            return None
        origin = self.origin(path)
        lines = source.replace("\r\n", "\n").split("\n")
        body_start = 0
        meta = {}
        if lines and lines[0].strip() == "---":
            end = next((index for index in range(1, len(lines)) if lines[index].strip() in ("---", "...")), None)
            if end is None:
                self.problem(origin, "the front matter opened on line 1 is never closed with ---")
                return None
            data, key_lines = self.load_yaml("\n".join(lines[1:end]), origin.at(2))
            meta = self.mapping(data, key_lines, origin, UNIT_KEYS, "the front matter")
            body_start = end + 1
            if key_lines.broken:  # its YAML error is reported; the title is not known to be missing
                meta = {"title": slug(path.stem)}
        else:
            self.problem(origin, "a unit starts with a front matter: ---, title: ..., ---")
        title = meta.get("title")
        if isinstance(title, int | float) and not isinstance(title, bool):
            title = str(title)  # title: 1984
        if not isinstance(title, str) or not title.strip():
            if body_start:
                self.problem(origin, "the front matter needs a 'title'")
            title = slug(path.stem)
        unit = Unit(self.url_name(path, prefix), title.strip(), origin)
        unreadable = len(self.unreadable)
        UnitParser(self, unit, path).parse(lines, body_start)
        if not unit.components and len(self.unreadable) == unreadable:
            self.problem(origin, f"unit '{unit.display_name}' is empty")
        return unit


def about_markdown(source):
    """About-page Markdown: headings start at h3 (the page's sections are h2)."""
    return text_utils.render_markdown(source)


def fenced_block(match, lines, index):
    """A fence opened at ``lines[index]`` (``match``: FENCE's): its kind (the info's first word) and closing line."""
    fence, info = match.group("fence"), match.group("info")
    kind = info.split()[0] if info else ""
    closing = next(
        (
            position
            for position in range(index + 1, len(lines))
            if re.match(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[position])
        ),
        None,
    )
    return kind, closing


class UnitParser:
    """Splits one unit's Markdown into prose (HTML components) and fenced components."""

    def __init__(self, reader, unit, path):
        self.reader = reader
        self.unit = unit
        self.origin = reader.origin(path)
        self.counts = {}

    def problem(self, line, message):
        self.reader.problem(self.origin.at(line), message)

    def parse(self, lines, start):
        prose, prose_start = [], start + 1
        index = start
        while index < len(lines):
            line = lines[index]
            match = FENCE.match(line)
            if match is None:
                prose.append(line)
                index += 1
                continue
            kind, closing = fenced_block(match, lines, index)
            if not self.is_component(kind):
                # A code block in the prose: kept whole, so a fence inside it is not a component.
                end = closing if closing is not None else len(lines) - 1
                prose.extend(lines[index : end + 1])
                index = end + 1
                continue
            if closing is None:
                self.problem(index + 1, f"the ```{kind} block opened here is never closed")
                return
            self.add_prose(prose, prose_start)
            self.add_component(kind, lines[index:closing], index + 2, index + 1)
            index = closing + 1
            prose, prose_start = [], index + 1
        self.add_prose(prose, prose_start)

    @staticmethod
    def is_component(kind):
        """Our types and a mistyped ``lamap_...`` are components; any other language is code."""
        return kind in BLOCK_TYPES or kind in OTHER_FENCES or kind.startswith("lamap_")

    def next_url_name(self, category, explicit=None, line=1):
        if explicit is not None:
            if not isinstance(explicit, str) or not COMPONENT_ID.match(explicit):
                self.problem(line, "'id' must be lowercase letters, digits, - and _ (it names the component)")
            else:
                return f"{self.unit.url_name}-{explicit}"
        suffix = URL_SUFFIX.get(category, category)
        count = self.counts[suffix] = self.counts.get(suffix, 0) + 1
        return f"{self.unit.url_name}-{suffix}" + (f"-{count}" if count > 1 else "")

    def add_prose(self, lines, first_line):
        # Leading and trailing blank lines carry nothing; the first written line is the origin.
        while lines and not lines[0].strip():
            lines = lines[1:]
            first_line += 1
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        if not lines:
            return
        source = "\n".join(lines)
        html = text_utils.render_markdown(source)
        # Studio's name for the component: its first heading, as Markdown understood it (not a
        # "#" comment in a code block), else the unit's title.
        heading = HTML_HEADING.search(html)
        display_name = text_utils.plain_text(heading.group(1)) if heading else ""
        display_name = display_name or self.unit.display_name
        url_name = self.next_url_name("html")
        element = etree.Element("html", url_name=url_name, display_name=display_name)
        self.unit.components.append(
            Component("html", url_name, display_name, self.origin.at(first_line), element, html=html, source=source)
        )

    def add_component(self, kind, fenced, first_line, fence_line):
        """``fenced``: the opening fence's line, then the body (from ``first_line``)."""
        text = "\n".join(fenced[1:])
        if kind == "olx":
            self.add_olx(text, first_line, fence_line)
            return
        if kind not in BLOCK_TYPES and kind not in OTHER_FENCES:
            types = (*BLOCK_TYPES, *OTHER_FENCES)
            self.problem(
                fence_line, f"unknown component type '{kind}'{did_you_mean(kind, types)} (known: {', '.join(types)})"
            )
            # Most likely the type meant: what follows from its absence is not reported.
            self.unreadable(closest(kind, types) or kind, text, fence_line)
            return
        data, lines = self.reader.load_yaml(text, self.origin.at(first_line))
        if lines.broken:
            self.unreadable(kind, text, fence_line)
            return
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.problem(fence_line, f"the ```{kind} block must hold YAML keys and values (field: value)")
            self.unreadable(kind, text, fence_line)
            return
        explicit = data.pop("id", None)
        url_name = self.next_url_name(kind, explicit, lines.get("id", fence_line))
        origin = self.origin.at(fence_line)
        if kind == "discussion":
            component = self.discussion(data, lines, url_name, origin)
        elif kind == "video":
            component = self.video(data, lines, url_name, origin)
        else:
            component = self.block(kind, data, lines, url_name, origin)
        if component is not None:
            component.source = "\n".join(fenced)  # from the fence, the component's origin: checks count lines
            self.unit.components.append(component)

    def unreadable(self, kind, text, fence_line):
        """
        A block that could not be read (its problem is reported): it is left out, but keeps
        its url_name (an ``id:`` line, or its place in the count) so the components after it
        keep theirs, and the checks do not report what only follows from its absence.
        """
        written = EXPLICIT_ID.search(text)
        if written is None:
            self.next_url_name(kind)
        self.reader.unreadable.append(Unreadable(kind, self.unit.url_name, self.origin.at(fence_line)))

    def block(self, block_type, data, lines, url_name, origin):
        block = self.reader.runtime.new_block(block_type)
        specs = block.author_specs()
        values = {}
        for name, value in data.items():
            line = origin.at(lines.get(str(name), origin.line))
            if name not in block.editable_fields:
                fields = ("id", *block.editable_fields)
                self.reader.problem(
                    line,
                    f"{block_type}: unknown field '{name}'{did_you_mean(name, fields)} (known: {', '.join(fields)})",
                )
                continue
            try:
                values[name] = specs[name].clean(with_blank_record_fields(specs[name], value))
            except InputError as err:
                # A bad item of a list (a column, a check...) at its own line: err.path is
                # where the value sits in the field, [2, "type"].
                where = origin.at(lines.find((name, *err.path), line.line))
                self.reader.problem(where, f"{block_type}: field '{name}': {err}")
        report_validation(self.reader.problems, block.validate_values(values), origin, block_type)
        for name, value in values.items():
            setattr(block, name, value)
        element = etree.Element(block_type, url_name=url_name)
        block.add_xml_to_node(element)
        display_name = values.get("display_name") or block.display_name_with_default
        return Component(block_type, url_name, display_name, origin, element, fields=values)

    def discussion(self, data, lines, url_name, origin):
        self.reader.mapping(data, lines, origin, DISCUSSION_KEYS, "a discussion")
        values = {}
        for key in ("display_name", "category", "target"):
            values[key] = self.reader.text_value(data, key, lines, origin)
        display_name = values["display_name"] or self.unit.display_name
        element = etree.Element(
            "discussion",
            url_name=url_name,
            display_name=display_name,
            discussion_category=values["category"] or self.unit.display_name,
            discussion_target=values["target"] or display_name,
            discussion_id=url_name,
        )
        return Component("discussion", url_name, display_name, origin, element)

    def video(self, data, lines, url_name, origin):
        self.reader.mapping(data, lines, origin, VIDEO_KEYS, "a video")
        display_name = self.reader.text_value(data, "display_name", lines, origin) or self.unit.display_name
        youtube = self.reader.text_value(data, "youtube", lines, origin)
        url = self.reader.text_value(data, "url", lines, origin)
        element = etree.Element("video", url_name=url_name, display_name=display_name)
        if youtube:
            match = YOUTUBE_URL.search(youtube)
            video_id = match.group(1) if match else youtube
            if not YOUTUBE_ID.match(video_id):
                self.reader.problem(origin.at(lines["youtube"]), "video: 'youtube' must be a YouTube id or URL")
            element.set("youtube", f"1.00:{video_id}")
            element.set("youtube_id_1_0", video_id)
        if url:
            if not text_utils.is_safe_url(url, allow_relative=True):
                self.reader.problem(origin.at(lines["url"]), "video: 'url' must be an http(s) or /static/ address")
            element.set("html5_sources", f'["{url}"]')
            etree.SubElement(element, "source", src=url)
        if not youtube and not url:
            self.reader.problem(origin, "video: give 'youtube' (an id or URL) or 'url' (a video file)")
            return None
        return Component("video", url_name, display_name, origin, element)

    def add_olx(self, text, first_line, fence_line):
        try:
            root = etree.fromstring(f"<olx>\n{text}\n</olx>".encode())
        except etree.XMLSyntaxError as err:
            line = first_line + max(err.lineno - 2, 0) if err.lineno else fence_line
            message = re.sub(r",? line \d+, column \d+$", "", err.msg)  # positions in our wrapper, not the file
            # libxml2 names other lines in the message too ("tag mismatch: p line 2 and problem"): the file's.
            message = re.sub(r"\bline (\d+)", lambda match: f"line {first_line + int(match.group(1)) - 2}", message)
            self.problem(line, f"olx: not well-formed XML: {message}")
            return
        elements = [child for child in root if isinstance(child.tag, str)]
        if not elements:
            self.problem(fence_line, "olx: the block holds no element")
        for element in elements:
            line = first_line + element.sourceline - 2
            tag = element.tag
            if tag.startswith("lamap_") and tag not in BLOCK_TYPES:
                self.problem(line, f"olx: unknown block type <{tag}>{did_you_mean(tag, BLOCK_TYPES, '<{}>')}")
                meant = closest(tag, BLOCK_TYPES) or tag
                self.reader.unreadable.append(Unreadable(meant, self.unit.url_name, self.origin.at(line)))
                continue
            if tag in ("course", "chapter", "sequential", "vertical"):
                self.problem(line, f"olx: <{tag}> is part of the outline; a unit holds components")
                continue
            element.tail = None
            url_name = element.get("url_name") or self.next_url_name(tag)
            element.set("url_name", url_name)
            display_name = element.get("display_name") or tag
            component = Component(tag, url_name, display_name, self.origin.at(line), element)
            component.source = etree.tostring(element, encoding="unicode")
            if tag == "html" and not element.get("filename"):
                # Written as Studio writes HTML (html/NAME.xml and .html), like the prose.
                component.html = (element.text or "") + "".join(
                    etree.tostring(child, encoding="unicode") for child in element
                )
            self.unit.components.append(component)


def with_blank_record_fields(field_spec, value):
    """
    A list of records written in YAML may leave out optional parts (a column's ``key`` and
    ``unit``): they are blank, as the Studio editor sends them (a blank key is made from the name).
    """
    if isinstance(field_spec, ListOf) and isinstance(field_spec.item, Record) and isinstance(value, list):
        blank = dict.fromkeys(field_spec.item.fields, "")
        return [dict(blank, **item) if isinstance(item, dict) else item for item in value]
    return value


def report_validation(problems, validation, origin, label):
    """A block's own rules: errors stop the build, warnings are reported as Studio shows them."""
    for message in validation.messages:
        if message.type == ValidationMessage.ERROR:
            problems.add(origin, f"{label}: {message.text}")
        else:
            problems.warn(origin, f"{label}: {message.text}")


def read_sources(root, problems, progress=None):
    """The course in ``root`` (a ``courses/<slug>`` directory), or None when it cannot be read at all."""
    return SourceReader(root, problems, progress).read()
