"""
The course a preview serves, loaded once per process (``settings.LAMAP_PREVIEW_COURSE``):
the unit order, the static files, the HTML with its ``/static/`` links rewritten, what
each component of a unit shows; and its blocks registered with the workbench, one
scenario per block, so they render and answer handlers as on the workbench.

A scenario's description is the component's url_name, so the workbench gives the block
the usage id ``<url_name>.<block_type>.d0.u0``: the same after every restart, and the
learners' work (``user_state`` rows) stays theirs.
"""

import json
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.template.defaultfilters import slugify
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext
from lxml import etree

from ...text import is_safe_url
from ..model import Problems
from ..sources import BLOCK_TYPES
from . import SCENARIO_PREFIX

log = logging.getLogger(__name__)

STATIC_PREFIX = "/course-static/"
# "/static/..." in an attribute or a CSS url(): the LMS serves those from the course's files.
STATIC_LINK = re.compile(r"""(?P<lead>["']|url\(\s*)/static/""")
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
YOUTUBE_SPEED_1 = re.compile(r"(?:^|,)\s*1(?:\.0+)?:(?P<id>[A-Za-z0-9_-]{11})(?=\s*(?:,|$))")
PLACEHOLDER_KINDS = ("discussion", "video", "problem")
# Rows of XBlockState that hold what the OLX sets: Scope.content ("definition"),
# Scope.settings ("usage" rows without a user, which Scope.user_state_summary would share:
# our blocks keep no such field) and Scope.children.
AUTHORED_SCOPES = ("definition", "usage", "children")
DEFAULT_LEARNERS = ("learner_1", "learner_2", "learner_3", "staff")
# A link between units as the course text writes it (Open edX resolves it): the name, a fragment.
JUMP_LINK = re.compile(
    r"""(?P<lead>href=["'])/jump_to_id/(?P<name>[A-Za-z0-9_.:-]+)/?(?P<fragment>#[^"'?]*)?(?=["'])"""
)
TABLE = re.compile(r"<table\b.*?</table\s*>", re.DOTALL | re.IGNORECASE)
CAPTION = re.compile(r"<caption\b[^>]*>(?P<text>.*?)</caption\s*>", re.DOTALL | re.IGNORECASE)
HEADER_CELL = re.compile(r"<th\b[^>]*>(?P<text>.*?)</th\s*>", re.DOTALL | re.IGNORECASE)
# What a table's scroll box is named after when the table has no caption: its first headers.
LABEL_HEADERS = 3


def static_links(html):
    """Rewrite ``/static/x`` links to the preview's ``/course-static/x``, as the LMS rewrites them."""
    return STATIC_LINK.sub(lambda match: match.group("lead") + STATIC_PREFIX, html or "")


def static_url(url):
    return STATIC_PREFIX + url[len("/static/") :] if url.startswith("/static/") else url


def jump_links(html, query):
    """
    ``/jump_to_id/<name>`` links carrying ``query`` (``student=...``): the preview resolves
    them as Open edX does, for the learner the page acts as.
    """

    def with_query(match):
        fragment = match.group("fragment") or ""
        return f"{match.group('lead')}/jump_to_id/{match.group('name')}?{query}{fragment}"

    return JUMP_LINK.sub(with_query, html or "") if query else html or ""


def table_label(table):
    """A table's name for its scroll box: its caption, else its first column headers."""
    caption = CAPTION.search(table)
    if caption and strip_tags(caption.group("text")).strip():
        return " ".join(strip_tags(caption.group("text")).split())
    headers = [" ".join(strip_tags(cell.group("text")).split()) for cell in HEADER_CELL.finditer(table)]
    headers = [header for header in headers if header][:LABEL_HEADERS]
    if headers:
        return gettext("Table: {headers}").format(headers=", ".join(headers))
    return gettext("Table")


def scrolling_tables(html):
    """
    Each table of course text in a scroll box of its own (a labelled region reachable by
    keyboard), so a wide table scrolls inside the text column instead of the whole page.
    Call it with the course's language active: the label of a table without caption is translated.
    """

    def wrap(match):
        table = match.group(0)
        label = table_label(table).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        return f'<div class="lamap-preview-table" role="region" tabindex="0" aria-label="{label}">{table}</div>'

    return TABLE.sub(wrap, html or "")


def video_links(element):
    """``[(kind, url)]``: the YouTube page (kind ``youtube``) and the video files (``file``) of a <video>."""
    links = []
    youtube = element.get("youtube_id_1_0", "").strip()
    if not YOUTUBE_ID.fullmatch(youtube):
        match = YOUTUBE_SPEED_1.search(element.get("youtube", ""))
        youtube = match.group("id") if match else None
    if youtube:
        links.append(("youtube", f"https://www.youtube.com/watch?v={youtube}"))
    files = [source.get("src", "") for source in element.iter("source")]
    try:
        listed = json.loads(element.get("html5_sources") or "[]")
    except ValueError:
        listed = []
    files += [url for url in listed if isinstance(url, str)] if isinstance(listed, list) else []
    for url in dict.fromkeys(url.strip() for url in files):
        if url and is_safe_url(url):
            links.append(("file", static_url(url)))
    return links


@dataclass(frozen=True)
class Item:
    """
    One component as a unit page shows it. ``kind`` is ``html`` (``html`` holds it,
    links rewritten), ``block`` (one of ours, rendered live) or ``placeholder``, whose
    ``label`` is ``discussion``, ``video``, ``problem`` or ``other``.
    """

    kind: str
    component: object
    html: str = ""
    label: str = ""
    links: tuple = ()

    @property
    def url_name(self):
        return self.component.url_name

    @property
    def category(self):
        return self.component.category

    @property
    def display_name(self):
        return self.component.display_name or self.component.category


@dataclass
class Position:
    """A unit with its place in the course: its chapter, subsection, and the units around it."""

    chapter: object
    subsection: object
    unit: object
    previous: object = None
    next: object = None
    items: list = field(default_factory=list)


class PreviewCourse:
    """The course model and files as the preview's views need them, computed once."""

    def __init__(self, course, files):
        self.course = course
        self.static = {name[len("static/") :]: data for name, data in files.items() if name.startswith("static/")}
        self.positions = {}
        self.units = []
        self.blocks = []
        with translation.override(course.language):
            self.about = {name: scrolling_tables(static_links(html)) for name, html in course.about.items()}
            for chapter, subsection, unit in course.units():
                position = Position(chapter, subsection, unit, previous=self.units[-1] if self.units else None)
                if self.units:
                    self.positions[self.units[-1].url_name].next = unit
                position.items = [self.item(component) for component in unit.components]
                self.positions.setdefault(unit.url_name, position)
                self.units.append(unit)
        self.locations = self.jump_targets()
        # The scenario (the usage id's first part) of each block, and the unit holding it.
        self.unit_of_scenario = {}
        for unit in self.units:
            for component in unit.components:
                if component.category in BLOCK_TYPES:
                    self.unit_of_scenario[slugify(component.url_name)] = unit.url_name
        self.usage_ids = {}
        self._lock = threading.Lock()
        self._registered = False

    def item(self, component):
        if component.category == "html":
            return Item("html", component, html=scrolling_tables(static_links(component.html)))
        if component.category in BLOCK_TYPES:
            self.blocks.append(component)
            return Item("block", component)
        label = component.category if component.category in PLACEHOLDER_KINDS else "other"
        links = tuple(video_links(component.element)) if component.category == "video" else ()
        return Item("placeholder", component, label=label, links=links)

    @property
    def language(self):
        return self.course.language

    def jump_targets(self):
        """
        Where ``/jump_to_id/<url_name>`` leads, as Open edX resolves it: ``url_name`` ->
        ``(unit url_name, anchor)``. A unit is itself; a component is its unit, at the
        component; a subsection, a chapter or the course is its first unit. The first
        occurrence of a name wins.
        """
        targets = {}
        for chapter in self.course.chapters:
            for subsection in chapter.subsections:
                for unit in subsection.units:
                    targets.setdefault(unit.url_name, (unit.url_name, ""))
                    for component in unit.components:
                        targets.setdefault(component.url_name, (unit.url_name, component.url_name))
                if subsection.units:
                    targets.setdefault(subsection.url_name, (subsection.units[0].url_name, ""))
            first = next((subsection.units[0] for subsection in chapter.subsections if subsection.units), None)
            if first is not None:
                targets.setdefault(chapter.url_name, (first.url_name, ""))
        return targets

    def sequence(self, position):
        """The units of ``position``'s subsection, in order: the sequence bar's buttons."""
        return list(position.subsection.units)

    @property
    def first_unit(self):
        return self.units[0] if self.units else None

    @property
    def image(self):
        """The course image's path under static/, when the course has that file."""
        name = self.course.policy.get("course_image", "")
        name = name.removeprefix("/").removeprefix("static/")
        return name if name in self.static else None

    # ----- the workbench -------------------------------------------------------------

    def ensure_registered(self):
        """Register the blocks with the workbench, once per process (the first request does it)."""
        if self._registered:
            return
        with self._lock:
            if not self._registered:
                self.register()

    def register(self):
        """
        Each block of ours as a workbench scenario of its own. The workbench's scenarios
        load first (``get_scenarios`` only loads them when it finds none). The stored
        authored fields of the course's scenarios are deleted first: parsing sets the
        fields its OLX names, so a field the author removed would keep its old value.
        """
        from workbench.models import XBlockState
        from workbench.scenarios import SCENARIOS, add_xml_scenario, get_scenarios, remove_scenario

        get_scenarios()
        with transaction.atomic():
            XBlockState.objects.filter(
                scenario__in=list(self.unit_of_scenario), user_id__isnull=True, scope__in=AUTHORED_SCOPES
            ).delete()
            usage_ids = {}
            for component in self.blocks:
                name = f"{SCENARIO_PREFIX}.{component.url_name}"
                if name in SCENARIOS:
                    remove_scenario(name)
                add_xml_scenario(name, component.url_name, etree.tostring(component.element, encoding="unicode"))
                usage_ids[component.url_name] = SCENARIOS[name].usage_id
                expected = f"{slugify(component.url_name)}.{component.category}.d0.u0"
                if usage_ids[component.url_name] != expected:
                    log.warning("%s: usage id %s, not %s", component.url_name, usage_ids[component.url_name], expected)
        self.usage_ids = usage_ids
        self._registered = True

    def reregister(self):
        """After the workbench reset every state and scenario: the course's scenarios again."""
        with self._lock:
            self.register()

    # ----- learners ------------------------------------------------------------------

    def learners(self, current, limit=200):
        """Learner ids for the switcher: those the store has seen, a few to start with, and ``current``."""
        from workbench.models import XBlockState

        seen = (
            XBlockState.objects.exclude(user_id__isnull=True)
            .order_by("user_id")  # the model's default ordering would make DISTINCT see other columns
            .values_list("user_id", flat=True)
            .distinct()
        )
        return sorted({*seen[:limit], *DEFAULT_LEARNERS, current})

    def completable_usages(self, unit):
        """The usage ids of the steps of ours in ``unit``: they record their completion."""
        return [
            self.usage_ids.get(component.url_name, f"{slugify(component.url_name)}.{component.category}.d0.u0")
            for component in unit.components
            if component.category in BLOCK_TYPES
        ]

    def record_visit(self, student, unit):
        """``student`` has seen ``unit`` (what completes a unit without a step of ours)."""
        from .models import Visit

        Visit.objects.get_or_create(student=student, unit=unit.url_name)

    def completed_units(self, student):
        """
        The url_names of the units ``student`` has completed, as the Learning MFE ticks them:
        every step of ours in the unit done (submitted; the notebook: notes written, the
        moment it emits its completion), and a unit without steps of ours once seen.
        """
        from workbench.models import XBlockState

        from .models import Visit

        done = set()
        rows = XBlockState.objects.filter(
            user_id=student, scope="usage", scenario__in=list(self.unit_of_scenario)
        ).values_list("scope_id", "state")
        for usage_id, text in rows:
            try:
                state = json.loads(text)
            except ValueError:
                continue
            notebook = ".lamap_notebook." in usage_id
            if isinstance(state, dict) and (state.get("submitted_on") or (notebook and state.get("notes"))):
                done.add(usage_id)
        seen = set(Visit.objects.filter(student=student).values_list("unit", flat=True))
        completed = set()
        for unit in self.units:
            usages = self.completable_usages(unit)
            if (usages and all(usage in done for usage in usages)) or (not usages and unit.url_name in seen):
                completed.add(unit.url_name)
        return completed

    def forget_visits(self):
        """After a reset: no learner has seen anything."""
        from .models import Visit

        Visit.objects.all().delete()

    def resume_unit(self, student):
        """The unit where ``student`` last saved work, or None when they have saved none."""
        from workbench.models import XBlockState

        rows = XBlockState.objects.filter(
            user_id=student, scope="usage", scenario__in=list(self.unit_of_scenario)
        ).values_list("scenario", "state")
        latest = None
        for scenario, state in rows:
            try:
                saved_on = json.loads(state).get("saved_on") or ""
            except (ValueError, AttributeError):
                continue
            if saved_on and (latest is None or saved_on > latest[0]):
                latest = (saved_on, scenario)
        if latest is None:
            return None
        return self.positions[self.unit_of_scenario[latest[1]]].unit


class CourseProblems(ImproperlyConfigured):
    """The course cannot be previewed; ``problems`` says why, as ``file:line: message``."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems.sorted()))


_loaded = {}
_load_lock = threading.Lock()


def load(path):
    """The course at ``path`` (sources, an archive or an OLX directory); CourseProblems if it has any."""
    from ..toolchain import load as load_course

    problems = Problems()
    course, files = load_course(path, problems)
    if course is None or problems:
        raise CourseProblems(problems)
    return PreviewCourse(course, files)


def current():
    """The course of this process (``settings.LAMAP_PREVIEW_COURSE``), loaded on first use."""
    path = getattr(settings, "LAMAP_PREVIEW_COURSE", "")
    if not path:
        raise ImproperlyConfigured("LAMAP_PREVIEW_COURSE: no course to preview")
    preview = _loaded.get(path)
    if preview is None:
        with _load_lock:
            preview = _loaded.get(path)
            if preview is None:
                preview = _loaded[path] = load(Path(path))
    return preview
