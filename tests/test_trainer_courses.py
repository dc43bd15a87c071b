"""
The trainer course, in English, in French and in Spanish for Latin America
(courses/inquiry-trainers-en, -fr, and -es, an adapted course built from the English one
and its catalogs): all build and pass every check, have the same outline and url_names,
their investigations have their four steps in order, every module has its overview, an
inquiry block, a discussion and a journal prompt, every image is an original SVG described
by alt text, and the French and Spanish courses have no English paragraph.
"""

import functools
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests
from lxml import etree, html

from lamap_xblocks import rubric
from lamap_xblocks.course import toolchain, translate
from lamap_xblocks.course.checks import images
from lamap_xblocks.course.model import Problems
from lamap_xblocks.course.reader import read_olx
from lamap_xblocks.course.sources import BLOCK_TYPES
from lamap_xblocks.registry import STEP_ORDER
from lamap_xblocks.text import render_markdown
from tests.test_course_preview import clean_environment, command, running_preview

COURSES = Path(__file__).resolve().parent.parent / "courses"
SLUGS = ("inquiry-trainers-en", "inquiry-trainers-fr", "inquiry-trainers-es")
STEPS = tuple(f"lamap_{step}" for step in STEP_ORDER)
INVESTIGATIONS = ("floating", "dissolving", "germination")

# Words frequent in one language and rare in the other: a paragraph's language by majority.
ENGLISH = set(
    "the and of to is are that with for this these they what how you your their be can does do was were which "
    "when will would it from have has or not but by we our if why who there into than them then its".split()
)
FRENCH = set(
    "le la les des du de et est sont que qui une un pour dans pas ce cette ces leur leurs avec sur au aux nous "
    "vous il elle ils elles se en par plus ne mais ou comme sont été être avoir fait quand pourquoi".split()
)
SPANISH = set(
    "el los las del y es son que una un para en por con su sus se lo al como pero más este esta estos estas "
    "cuando porque qué cómo usted ustedes hay ha han fue ser está están también".split()
)
WORDS = {"en": ENGLISH, "fr": FRENCH, "es": SPANISH}
TEXT_ELEMENTS = ("p", "li", "td", "th", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "figcaption")


def language_of(text, candidates=("en", "fr")):
    """``"en"``, ``"fr"`` (or another of ``candidates``), or None for a text too short (or too mixed) to tell."""
    words = re.findall(r"[a-zà-öø-ÿœ]+", text.lower())
    if len(words) < 5:
        return None
    counts = sorted(
        ((sum(word in WORDS[language] for word in words), language) for language in candidates), reverse=True
    )
    if counts[0][0] < 2 or counts[0][0] == counts[1][0]:
        return None
    return counts[0][1]


@functools.cache
def source_path(slug):
    """A course's sources: its folder, or, for an adapted course, its translated sources (written once)."""
    if not translate.is_adapted(COURSES / slug):
        return COURSES / slug
    return translate.materialize(COURSES / slug, Path(tempfile.mkdtemp(prefix=f"{slug}-")) / "sources").folder


def paragraphs(fragment):
    """The text of each paragraph-like element of an HTML fragment."""
    if not fragment or not fragment.strip():
        return []
    root = html.fragment_fromstring(fragment, create_parent="div")
    return [squeeze(element.text_content()) for element in root.iter(*TEXT_ELEMENTS)]


def squeeze(text):
    """Spacing collapsed, non-breaking spaces kept (French typography is checked on them)."""
    return re.sub(r"[^\S\u00a0\u202f]+", " ", text).strip()


@pytest.fixture(scope="module")
def built():
    """Each course built from its sources, then read back from its OLX as Studio would read it."""
    result = {}
    for slug in SLUGS:
        problems = Problems()
        source, files = toolchain.build(source_path(slug), problems)
        assert [str(problem) for problem in problems] == [], slug
        assert [str(warning) for warning in problems.warnings] == [], slug
        read_back = Problems()
        course = read_olx(files, read_back)
        assert [str(problem) for problem in read_back] == [], slug
        result[slug] = (source, course, files)
    return result


def sources(built, slug):
    return built[slug][0]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_course_passes_every_check_with_olxcleaner(slug):
    problems = Problems()
    warnings = toolchain.check(source_path(slug), problems)
    assert [str(problem) for problem in problems] == []
    assert [str(warning) for warning in problems.warnings] == []
    assert warnings == [], "olxcleaner has nothing to say either"


def outline(course):
    return [
        (
            chapter.url_name,
            subsection.url_name,
            subsection.graded_as is not None,
            unit.url_name,
            [(component.category, component.url_name) for component in unit.components],
        )
        for chapter, subsection, unit in course.units()
    ]


def test_every_edition_has_the_same_outline_and_url_names(built):
    english, french, spanish = (outline(built[slug][1]) for slug in SLUGS)
    assert english == french == spanish
    assert len({chapter for chapter, *_rest in english}) == 7
    assert len(english) >= 30


def test_the_courses_can_run_side_by_side(built):
    english, french, spanish = (built[slug][1] for slug in SLUGS)
    assert len({english.course_id, french.course_id, spanish.course_id}) == 3
    assert (english.language, french.language, spanish.language) == ("en", "fr", "es-419")
    assert spanish.display_name.startswith("Enseñar ciencias") or "indagación" in spanish.display_name.lower()
    assert english.display_name == "Teaching science through inquiry: a course for trainers"
    title = french.display_name.replace("\u00a0", " ").replace("\u2019", "'")
    assert title == "Enseigner les sciences par l'investigation : parcours pour formateurs"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_investigation_has_its_four_steps_in_order(built, slug):
    course = sources(built, slug)
    steps = {}
    for _unit, component in course.components():
        key = (component.fields or {}).get("investigation")
        if component.category in STEPS and key:
            steps.setdefault(key, []).append(component.category)
    assert set(steps) == set(INVESTIGATIONS)
    for key, found in steps.items():
        assert found == list(STEPS), key


@pytest.mark.parametrize("slug", SLUGS)
def test_every_module_has_an_overview_an_inquiry_block_a_discussion_and_a_journal(built, slug):
    course = sources(built, slug)
    for chapter in course.chapters:
        first = chapter.subsections[0].units[0]
        assert first.url_name.endswith(("-overview", "-welcome")), first.url_name
        assert first.components[0].category == "html"
        components = [
            component
            for subsection in chapter.subsections
            for unit in subsection.units
            for component in unit.components
        ]
        categories = [component.category for component in components]
        assert set(categories) & set(STEPS), chapter.url_name
        assert "discussion" in categories, chapter.url_name
        journals = [component for component in components if component.category == "lamap_notebook"]
        assert journals and all(len(journal.fields.get("prompt", "").split()) >= 12 for journal in journals)


@pytest.mark.parametrize("slug", SLUGS)
def test_grading_and_about_page(built, slug):
    course = sources(built, slug)
    graders = course.grading["GRADER"]
    assert len(graders) == 3 and abs(sum(grader["weight"] for grader in graders) - 1) < 1e-9
    assert all(grader["min_count"] >= 1 for grader in graders)
    assert course.grading["GRADE_CUTOFFS"] == {"Pass": 0.6}
    assert {"overview", "short_description", "effort", "duration"} <= set(course.about)
    overview = course.about["overview"]
    for section in ("overview", "audience", "learning_outcomes", "prerequisites"):
        assert f'<section class="{section}">' in overview
    assert re.search(r"\b7\b", overview) and re.search(r"2\D{1,3}3", overview), "7 weeks at 2–3 hours a week"
    assert len(course.policy["learning_info"]) >= 4
    assert course.policy["course_image"] == "images/course-card.svg"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_image_is_an_original_svg_with_alt_text(built, slug):
    course = sources(built, slug)
    used = set()
    for _unit, component in course.components():
        for _offset, src, alt in images(component.source or ""):
            assert alt and len(alt.split()) >= 3, (component.url_name, src)
            used.add(src.removeprefix("/static/"))
        fields = component.fields or {}
        if fields.get("image_url"):
            assert len(fields.get("image_alt", "").split()) >= 3, component.url_name
            used.add(fields["image_url"].removeprefix("/static/"))
    static = set(course.static)
    assert static == used | {"images/course-card.svg"}, "every file is shown, and nothing but SVG"
    for name in static:
        assert name.endswith(".svg")
        root = etree.parse(str(source_path(slug) / "static" / name)).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert not root.xpath("//*[local-name()='script' or local-name()='foreignObject']")
        hrefs = root.xpath("//@href | //@*[local-name()='href']")
        assert not [href for href in hrefs if not href.startswith("#")], f"{name}: no external reference"


def texts_of(course):
    """``(url_name, paragraph)`` for every paragraph a learner reads: HTML components, block texts, problems."""
    for _unit, component in course.components():
        if component.category == "html":
            for text in paragraphs(component.html):
                yield component.url_name, text
        elif component.category in BLOCK_TYPES:
            fields = component.fields or {}
            for name in ("prompt", "situation"):
                for text in paragraphs(render_markdown(fields.get(name, ""))):
                    yield component.url_name, text
            for name in ("criteria", "example_arguments", "reference_questions"):
                for text in fields.get(name, []):
                    yield component.url_name, text
        elif component.category == "problem":
            for element in component.element.iter("p", "label", "choice", "solution"):
                yield component.url_name, squeeze(element.xpath("string()"))


def test_the_language_check_tells_english_from_french():
    assert language_of("The pupils compare their results and argue about what they observed.") == "en"
    assert language_of("Les élèves comparent leurs résultats et discutent de ce qu'ils ont observé.") == "fr"
    assert language_of("Mise en commun") is None


def test_the_french_course_has_no_english_paragraph(built):
    french = list(texts_of(built["inquiry-trainers-fr"][0]))
    assert len(french) > 300
    english = [(where, text) for where, text in french if language_of(text) == "en"]
    assert english == []


def test_the_english_course_reads_as_english(built):
    """The check can fail: it finds the English course's paragraphs English."""
    told = [language_of(text) for _where, text in texts_of(built["inquiry-trainers-en"][0])]
    told = [language for language in told if language]
    assert told.count("en") / len(told) > 0.97


def test_the_french_about_page_headings_are_french(built):
    overview = built["inquiry-trainers-fr"][0].about["overview"]
    assert "<h2>À propos de ce cours</h2>" in overview
    assert "<h2>Ce que vous allez apprendre</h2>" in overview


@pytest.mark.slow
@pytest.mark.parametrize("slug", SLUGS)
def test_the_archive_previews_end_to_end(built, slug, tmp_path):
    """The built archive served by lamap-course preview: every unit in order through "next", blocks live."""
    archive = tmp_path / f"{slug}.tar.gz"
    subprocess.run(
        command("build", str(COURSES / slug), "-o", str(archive), "-q", "--strict"), check=True, env=clean_environment()
    )
    course = built[slug][1]
    units = {unit.url_name: unit for _chapter, _subsection, unit in course.units()}
    expected = list(units)
    with running_preview(archive, tmp_path / "preview") as base:
        session = requests.Session()
        home = html.fromstring(session.get(base + "/", timeout=30).text)
        assert home.get("lang") == course.language
        path = home.xpath("//a[contains(@href, '/unit/')]/@href")[0]
        walked = []
        while path:
            response = session.get(base + path, timeout=30)
            assert response.status_code == 200, path
            page = html.fromstring(response.text)
            unit = expected[len(walked)]
            walked.append(unit)
            for component in units[unit].components:
                if component.category in BLOCK_TYPES:
                    usage = f"{component.url_name}.{component.category}.d0.u0"
                    assert page.xpath(f"//div[@data-usage='{usage}']"), usage
            following = page.xpath("//a[@rel='next']/@href")
            if following:
                label = {"en": "Next unit:", "fr": "Unité suivante\u00a0:", "es-419": "Unidad siguiente:"}[
                    course.language
                ]
                assert label in page.xpath("string(//a[@rel='next'])"), "the page speaks the course's language"
            path = following[0] if following else None
        assert walked == expected


def test_french_typography_survives_the_build(built):
    """Non-breaking spaces before ':' and '?' reach the OLX, in one-line fields (display names) too."""
    course = built["inquiry-trainers-fr"][1]
    names = [component.display_name for _unit, component in course.components()]
    names += [unit.display_name for _chapter, _subsection, unit in course.units()]
    assert not [name for name in names if re.search(r" [:;!?»]|« ", name)]
    assert any("\u00a0:" in name or "\u00a0?" in name for name in names)


def test_french_typography_in_every_paragraph(built):
    """A non-breaking space (never an ordinary one) before : ; ! ? and inside « », everywhere a learner reads."""
    wrong = [
        (where, text)
        for where, text in texts_of(built["inquiry-trainers-fr"][0])
        if re.search(r"\S [:;!?»]|« ", text.replace("://", ""))
    ]
    assert wrong == []


def test_both_courses_store_the_same_data(built):
    """What learners' work is stored and compared under is the same in both languages: keys, column types, links."""

    def shape(course):
        result = {}
        for _unit, component in course.components():
            fields = component.fields or {}
            if component.category in BLOCK_TYPES:
                result[component.url_name] = (
                    fields.get("investigation", ""),
                    fields.get("share_with_class", False),
                    [(column["key"], column["type"]) for column in fields.get("columns", [])],
                    fields.get("required_checks", []),
                )
            elif component.category == "problem":
                result[component.url_name] = len(list(component.element.iter("multiplechoiceresponse")))
        return result

    english, french, spanish = (shape(built[slug][0]) for slug in SLUGS)
    assert english == french == spanish


@pytest.mark.parametrize("slug", SLUGS)
def test_nobody_passes_without_the_final_project_and_it_is_assessed(built, slug):
    course = sources(built, slug)
    graders = {grader["type"]: grader["weight"] for grader in course.grading["GRADER"]}
    final = next(name for name in graders if name in ("Final project", "Projet final", "Proyecto final"))
    assert sum(weight for name, weight in graders.items() if name != final) < course.grading["GRADE_CUTOFFS"]["Pass"]
    (project,) = [component for _unit, component in course.components() if component.url_name.endswith("final-project")]
    assert project.fields["peer_reviews"] == 2
    criteria = rubric.parse(project.fields["rubric"])
    assert len(criteria) == 4 and rubric.possible(criteria) == 12 and rubric.problems(project.fields["rubric"]) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_modules_three_and_five_ask_trainers_to_analyse_practice(built, slug):
    course = sources(built, slug)
    analyses = {
        component.url_name: component.fields
        for _unit, component in course.components()
        if component.category == "lamap_analysis"
    }
    assert sorted(analyses) == [
        "experiment-to-knowledge-classroom-account-analysis-dialogue",
        "questions-hypotheses-hypotheses-pupils-hypotheses-maya-page",
    ]
    for fields in analyses.values():
        assert fields["expert_marks"] and fields["expert_commentary"] and fields["feedback_prompt"]
        assert all(re.search(r"princip(e|le|io)", criterion) for criterion in fields["criteria"][:3])


# ----- the Spanish edition: an adapted course ---------------------------------------------------------------------


def test_the_spanish_edition_is_completely_translated():
    rows = translate.status(COURSES / "inquiry-trainers-es")
    assert sum(row[1] for row in rows) >= 2000
    assert [row for row in rows if row[2] or row[3]] == [], "no fuzzy, no untranslated message"
    assert len(translate.translations(COURSES / "inquiry-trainers-es")) == sum(row[1] for row in rows)
    assert translate.upstream_changes(COURSES / "inquiry-trainers-es") == [], "in step with the English course"


def test_the_spanish_course_has_no_english_paragraph(built):
    spanish = list(texts_of(built["inquiry-trainers-es"][0]))
    assert len(spanish) > 300
    told = [(where, text, language_of(text, ("en", "es"))) for where, text in spanish]
    assert [(where, text) for where, text, language in told if language == "en"] == []
    known = [language for *_rest, language in told if language]
    assert known.count("es") / len(known) > 0.97


def test_spanish_questions_open_with_their_mark(built):
    """¿...? and ¡...!: every question or exclamation a paragraph asks is opened as Spanish writes it."""
    unpaired = []
    for where, text in texts_of(built["inquiry-trainers-es"][0]):
        if text.count("?") > text.count("¿") or text.count("!") > text.count("¡"):
            unpaired.append((where, text))
    assert unpaired == []


def test_the_spanish_about_page_and_images_are_in_spanish(built):
    course = built["inquiry-trainers-es"][1]
    english = built["inquiry-trainers-en"][1]
    assert course.about["overview"] != english.about["overview"]
    assert language_of(re.sub("<[^>]+>", " ", course.about["overview"]), ("en", "es")) == "es"
    alts = {
        alt
        for _unit, component in built["inquiry-trainers-es"][0].components()
        for _offset, _src, alt in images(component.source or "")
    }
    english_alts = {
        alt
        for _unit, component in built["inquiry-trainers-en"][0].components()
        for _offset, _src, alt in images(component.source or "")
    }
    assert alts and not alts & english_alts, "every alt text translated"
