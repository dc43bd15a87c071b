"""
The printable kit (``lamap-course kit``) and the offline copy (``lamap-course offline``) of
the trainer courses, in English and French: the kit's pages and PDFs hold what the course
holds (pupils' work, the ten principles, each block's prompt), and every local link of the
offline copy leads to a file of the copy.
"""

import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html

from lamap_xblocks.course import toolchain
from lamap_xblocks.course.cli import main
from lamap_xblocks.course.kit import FACILITATOR_DIR, KIT_FILE, build_kit, is_block
from lamap_xblocks.course.model import Problems
from lamap_xblocks.course.offline import build_offline
from lamap_xblocks.text import plain_text

pypdf = pytest.importorskip("pypdf")

COURSES = Path(__file__).resolve().parent.parent / "courses"
SLUGS = ("inquiry-trainers-en", "inquiry-trainers-fr")
# A sample card of each course, as the course's module 3 writes it.
CARD_TEXT = {
    "inquiry-trainers-en": "Why does the wood float? (Lina)",
    "inquiry-trainers-fr": "Pourquoi le bateau flotte",
}


def squeeze(text):
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def page_text(path):
    return squeeze(html.parse(str(path)).getroot().text_content())


def pdf_text(path):
    return squeeze(" ".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages))


def pdf_pages(path):
    return len(pypdf.PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    """Each course's kit, with its PDFs, and the course as built: ``{slug: (Built, course)}``."""
    result = {}
    for slug in SLUGS:
        problems = Problems()
        built = build_kit(COURSES / slug, tmp_path_factory.mktemp(slug) / "kit", problems, pdf=True)
        assert [str(problem) for problem in problems] == [], slug
        course, _files = toolchain.build(COURSES / slug, Problems())
        result[slug] = (built, course)
    return result


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    result = {}
    for slug in SLUGS:
        problems = Problems()
        built = build_offline(COURSES / slug, tmp_path_factory.mktemp(slug) / "offline", problems)
        assert [str(problem) for problem in problems] == [], slug
        result[slug] = built
    return result


def kit_page(built, pattern):
    found = [name for name in built.pages if re.search(pattern, name)]
    assert found, pattern
    return built.output / found[0]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_kit_has_every_item_as_a_page_and_a_pdf(kits, slug):
    built, course = kits[slug]
    blocks = [component for _unit, component in course.components() if is_block(component)]
    worksheets = [name for name in built.pages if "-worksheet-" in name]
    assert len(worksheets) == len(blocks)
    for kind in ("facilitator-guide", "pupils-work", "observation-grid", "session-plan", "account", "worksheet"):
        assert any(kind in name for name in built.pages), kind
    items = [name for name in built.pages if name != "index.html"]
    for name in items:
        pdf = Path(name).with_suffix(".pdf").name
        assert built.pdfs[pdf] == pdf_pages(built.output / "pdf" / pdf) >= 1, name
    assert pdf_pages(built.output / "pdf" / "kit.pdf") == sum(
        built.pdfs[Path(n).with_suffix(".pdf").name] for n in items
    )
    index = html.parse(str(built.output / "index.html")).getroot()
    assert index.get("lang") == course.language
    linked = {link.get("href") for link in index.iter("a")}
    assert set(items) <= linked and "pdf/kit.pdf" in linked


@pytest.mark.parametrize("slug", SLUGS)
def test_a_sample_card_holds_the_pupils_words(kits, slug):
    built, _course = kits[slug]
    card = kit_page(built, r"-pupils-work-.*(twelve|douze)")
    root = html.parse(str(card)).getroot()
    cards = root.xpath("//li[contains(@class, 'kit-card')]")
    assert len(cards) == 12  # one card per question of the class, to cut out
    assert CARD_TEXT[slug] in page_text(card)
    assert CARD_TEXT[slug] in pdf_text(built.output / "pdf" / card.with_suffix(".pdf").name)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_notebook_page_card_embeds_its_image(kits, slug):
    built, _course = kits[slug]
    card = kit_page(built, r"-pupils-work-.*(maya|page-de-cahier)")
    images = html.parse(str(card)).getroot().xpath("//img")
    assert images and images[0].get("alt").strip()
    assert (card.parent / images[0].get("src")).is_file()
    # The SVG is drawn as vectors: its handwriting is text of the PDF.
    handwriting = {"en": "big things float", "fr": "gros objets flottent"}[slug[-2:]]
    assert handwriting in pdf_text(card.parent / "pdf" / card.with_suffix(".pdf").name)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_observation_grid_lists_the_ten_principles(kits, slug):
    built, _course = kits[slug]
    grid = kit_page(built, "observation-grid")
    rows = html.parse(str(grid)).getroot().xpath("//table//th[@scope='row']")
    assert [row.findtext("span").strip(" .") for row in rows] == [str(number) for number in range(1, 11)]
    last = {"en": "Nobody works alone", "fr": "Les enseignants trouvent des ressources"}[slug[-2:]]
    assert last in squeeze(rows[-1].text_content())
    pdf = built.output / "pdf" / grid.with_suffix(".pdf").name
    first = pypdf.PdfReader(str(pdf)).pages[0]
    assert first.mediabox.width > first.mediabox.height  # A4 across
    assert last in pdf_text(pdf)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_worksheet_has_its_blocks_prompt(kits, slug):
    built, course = kits[slug]
    sheets = {name.split("-worksheet-")[1][3:-5]: name for name in built.pages if "-worksheet-" in name}
    for _unit, component in course.components():
        if not is_block(component):
            continue
        page = built.output / sheets[component.url_name]
        text = page_text(page)
        assert squeeze(component.display_name) in text
        prompt = squeeze(plain_text(component.fields.get("prompt", "")))
        assert prompt[:80] in text, component.url_name
        if component.category == "lamap_experiment":
            headers = html.parse(str(page)).getroot().xpath("//table//th[@scope='col']")
            assert len(headers) == len(component.fields["columns"])
        if component.fields.get("rubric"):  # the final project: scored on paper with its own rubric
            cells = [cell.text_content() for cell in html.parse(str(page)).getroot().xpath("//table//td")]
            assert [row["description"] for row in component.fields["rubric"]] == cells[3::4]
    floating = built.output / sheets["floating-situation-question-question"]
    assert squeeze(plain_text(course_field(course, "floating-situation-question-question", "prompt")))[:60] in pdf_text(
        built.output / "pdf" / floating.with_suffix(".pdf").name
    )


def course_field(course, url_name, field):
    return next(component.fields[field] for _unit, component in course.components() if component.url_name == url_name)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_guide_and_the_session_plan(kits, slug):
    built, _course = kits[slug]
    guide = html.parse(str(kit_page(built, "facilitator-guide"))).getroot()
    chapters = guide.xpath("//section[@class='kit-chapter']/h2")
    assert len(chapters) == len(list((COURSES / slug / FACILITATOR_DIR).glob("*.md"))) >= 10
    plan = html.parse(str(kit_page(built, "session-plan"))).getroot()
    assert plan.xpath("//table//th[@scope='col']") and len(plan.xpath("//table/tbody/tr")) >= 10
    assert len(plan.xpath("//ol[@class='kit-questions']/li")) >= 6


def test_french_typography_in_the_french_kit(kits):
    built, _course = kits["inquiry-trainers-fr"]
    wrong = []
    for name in built.pages:
        text = html.parse(str(built.output / name)).getroot().text_content().replace("://", "")
        wrong += [(name, match) for match in re.findall(r".{20}\S [:;!?»]|« .{10}", text)]
    assert wrong == []
    assert "Grille d'observation" in page_text(kit_page(built, "observation-grid"))


def local_links(page):
    root = html.parse(str(page)).getroot()
    for element in root.iter():
        for attribute in ("href", "src"):
            value = element.get(attribute) if isinstance(element.tag, str) else None
            if value and not urlsplit(value).scheme and not value.startswith("//"):
                yield value


@pytest.mark.parametrize("slug", SLUGS)
def test_every_local_link_of_the_offline_copy_resolves(copies, slug):
    built = copies[slug]
    pages = sorted(built.output.rglob("*.html"))
    assert len(pages) == len(built.pages)
    checked = 0
    for page in pages:
        for link in local_links(page):
            parts = urlsplit(link)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(built.output)}: {link}"
            if parts.fragment and target.suffix == ".html":
                ids = html.parse(str(target)).getroot().xpath("//@id")
                assert parts.fragment in ids, f"{page.relative_to(built.output)}: {link}"
            checked += 1
    assert checked > 200


@pytest.mark.parametrize("slug", SLUGS)
def test_the_offline_units_link_to_each_other_and_show_worksheets(copies, slug):
    built = copies[slug]
    units = sorted((built.output / "units").glob("*.html"))
    nexts = [page for page in units if html.parse(str(page)).getroot().xpath("//a[@rel='next']")]
    assert len(nexts) == len(units) - 1  # every unit but the last leads to the next
    experiment = html.parse(str(built.output / "units" / "floating-investigating-experiment.html")).getroot()
    assert experiment.get("lang") == slug[-2:]
    assert experiment.xpath("//section[@class='kit-worksheet']//table//th[@scope='col']")
    assert experiment.xpath("//a[@href='../worksheets/floating-investigating-experiment-experiment.html']")
    for image in experiment.xpath("//img"):
        assert image.get("alt").strip()


def test_the_offline_copy_as_a_zip(tmp_path):
    assert main(["offline", str(COURSES / "inquiry-trainers-fr"), "-o", str(tmp_path / "copy.zip"), "-q"]) == 0
    with zipfile.ZipFile(tmp_path / "copy.zip") as archive:
        names = archive.namelist()
    assert "copy/index.html" in names and "copy/static/images/floating-basin.svg" in names


def test_a_kit_entry_that_names_a_missing_heading_is_reported(tmp_path):
    source = tmp_path / "course"
    shutil.copytree(COURSES / "inquiry-trainers-en", source)
    kit_file = source / FACILITATOR_DIR / KIT_FILE
    kit_file.write_text(
        kit_file.read_text().replace(
            "section: Ten principles, in our own words", "section: Ten principles, in our own word"
        )
    )
    problems = Problems()
    assert build_kit(source, tmp_path / "kit", problems) is None
    assert not (tmp_path / "kit").exists()
    messages = [str(problem) for problem in problems]
    assert len(messages) == 1 and "facilitator/kit.yaml:" in messages[0]
    assert "did you mean 'Ten principles, in our own words'?" in messages[0]


def test_the_kit_never_deletes_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    problems = Problems()
    assert build_kit(COURSES / "inquiry-trainers-en", tmp_path, problems) is None
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    assert "other files" in str(problems.sorted()[0])
