"""
Translating and adapting a course (lamap_xblocks/course/translate.py, ``lamap-course
translate`` and ``lamap-course upstream``): extraction, identity and real builds,
updates after upstream edits, replaced and added units, and bad catalogs.
"""

import json
import re
import shutil
from pathlib import Path

import polib
import pytest
from lxml import etree

from lamap_xblocks import registry
from lamap_xblocks.course import cli, toolchain, translate
from lamap_xblocks.course.model import Problems

from .test_trainer_courses import COURSES

EXAMPLE = Path(__file__).resolve().parent.parent / "courses" / "example"
UNIT = "content/02-investigation/01-question/01-what-floats.md"


def build(source):
    problems = Problems()
    _course, files = toolchain.build(source, problems)
    assert [str(problem) for problem in problems] == []
    return files


def catalogs(adapted):
    return {path.stem: polib.pofile(str(path)) for path in translate.catalog_paths(adapted)}


def fill(adapted, translate_text):
    """Give every message the translation ``translate_text(source)``."""
    for path in translate.catalog_paths(adapted):
        catalog = polib.pofile(str(path))
        for entry in catalog:
            entry.msgstr = translate_text(entry.msgid)
        catalog.save(str(path))


def entry(adapted, context):
    for catalog in catalogs(adapted).values():
        for item in catalog:
            if item.msgctxt == context:
                return item
    raise AssertionError(f"no message {context}")


def shouted(text):
    """A visible "translation": the words in capitals, the placeholders as they are."""
    return re.sub(r"(</?(?:b|i|a\d+)>|\{[A-Za-z_]\w*\})|([^<{]+)", lambda m: m.group(1) or m.group(2).upper(), text)


@pytest.fixture
def upstream(tmp_path):
    copy = tmp_path / "example"
    shutil.copytree(EXAMPLE, copy)
    return copy


@pytest.fixture
def adapted(tmp_path, upstream):
    translate.start(upstream, tmp_path / "example-es", "es_419")
    return tmp_path / "example-es"


# ----- extraction ---------------------------------------------------------------------------------------------


def test_every_text_a_learner_reads_is_a_message_with_a_stable_context_and_a_reference(adapted):
    messages = {message.context: message for message in translate.extract_messages(EXAMPLE)}
    unit = "investigation-question-what-floats"
    assert messages[f"{unit}:title"].source == "What floats, what sinks?"
    assert messages[f"{unit}:text:p1"].source.startswith("Every investigation starts with a question: <i>your</i>")
    situation = {key: value.source for key, value in messages.items() if key.startswith(f"{unit}:question:situation")}
    assert "Floats" in situation.values() and "a ball of modelling clay" in situation.values(), "table cells"
    assert messages[f"{unit}:question:image_alt"].path == UNIT
    assert messages[f"{unit}:question:image_alt"].line == 40, "the line of its key"
    assert messages["course:title"].path == "course.yaml"
    assert any(key.startswith("static/images/measuring-volume.svg:") for key in messages), "an SVG's texts"
    sources = " ".join(message.source for message in messages.values())
    assert "/static/images/basin.svg" not in sources and "investigation: floating" not in sources, "no keys, no URLs"
    assert "floating" not in {message.source for message in messages.values()}, "an investigation key is no message"
    # One catalog per chapter, one for the course and one for the images.
    assert set(catalogs(adapted)) == {"getting-started", "investigation", "making-sense", "course", "static"}
    first = catalogs(adapted)["investigation"][0]
    assert first.occurrences[0][0].startswith("content/02-investigation/") and first.msgctxt


def test_inline_markup_becomes_placeholders():
    text = 'See **the table** and [our guide](/jump_to_id/x "Guide"), ![a basin](/static/b.svg) and `code`.'
    found = []
    translate.markdown_messages(text, "u:text", lambda context, source, line: found.append((context, source)))
    assert found == [
        ("u:text:p1", "See <b>the table</b> and <a1>our guide</a1>, {img1} and {code1}."),
        ("u:text:p1:img1", "a basin"),
    ]

    def lookup(context, source, line):
        return {
            "u:text:p1": "Vea {img1}, <a1>nuestra guía</a1> y <b>la tabla</b> {code1}.",
            "u:text:p1:img1": "una palangana",
        }.get(context)

    assert translate.translate_markdown(text, "u:text", lookup) == (
        'Vea ![una palangana](/static/b.svg), [nuestra guía](/jump_to_id/x "Guide") y **la tabla** `code`.'
    )


def test_every_field_of_every_block_is_classified_as_text_or_not():
    for step in registry.CLASSES:
        block = registry.block_class(step)
        for name in block.editable_fields:
            assert name in translate.TEXT_FIELDS or name in translate.NOT_TEXT, f"{step}.{name}: text or not?"
    from lamap_xblocks.notebook import NotebookBlock  # noqa: PLC0415

    assert all(name in translate.TEXT_FIELDS or name in translate.NOT_TEXT for name in NotebookBlock.editable_fields)


# ----- building ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("course", ["example", "inquiry-trainers-en"])
def test_an_identity_translation_builds_the_same_olx(tmp_path, course):
    source = EXAMPLE if course == "example" else COURSES / course
    adapted = tmp_path / "same"
    translate.start(source, adapted, "en")
    fill(adapted, lambda text: text)
    built = translate.materialize(adapted, tmp_path / "built")
    assert built.untranslated == [] and built.translated > 100
    assert build(built.folder) == build(source)


def test_a_translation_reaches_every_part_of_the_course(tmp_path, adapted):
    fill(adapted, shouted)
    files = build(translate.materialize(adapted, tmp_path / "built").folder)
    olx = "\n".join(value.decode() if isinstance(value, bytes) else value for value in files.values())
    assert "EVERY INVESTIGATION STARTS WITH A QUESTION: <em>YOUR</em> QUESTION" in olx
    assert "A BALL OF MODELLING CLAY" in olx, "a table cell of a block's Markdown field"
    policy = json.loads(
        files["policies/2026_T1/policy.json"]
        if "policies/2026_T1/policy.json" in files
        else next(value for key, value in files.items() if key.endswith("policy.json"))
    )
    course = next(iter(policy.values()))
    assert course["language"] == "es-419"
    assert course["display_name"].isupper()
    graders = json.loads(next(value for key, value in files.items() if key.endswith("grading_policy.json")))
    assert all(grader["type"].isupper() for grader in graders["GRADER"])
    sequentials = [etree.fromstring(value) for key, value in files.items() if key.startswith("sequential/")]
    graded = {node.get("format") for node in sequentials if node.get("graded") == "true"}
    assert graded and all(name.isupper() for name in graded), "subsections keep their assignment type"
    svg = etree.parse(str(tmp_path / "built/static/images/measuring-volume.svg"))
    texts = [node.text for node in svg.iter("{http://www.w3.org/2000/svg}text") if (node.text or "").strip()]
    assert texts and all(text == text.upper() for text in texts), texts
    same_outline = sorted(key for key in files if key.startswith(("chapter/", "sequential/", "vertical/")))
    assert same_outline == sorted(
        key for key in build(EXAMPLE) if key.startswith(("chapter/", "sequential/", "vertical/"))
    )


def test_untranslated_messages_are_listed_and_strict_fails(adapted, capsys):
    status = cli.main(["build", str(adapted), "-o", str(adapted / "out.tar.gz"), "--strict"])
    out = capsys.readouterr().out
    assert status == 1 and "untranslated" in out and "Nothing built." in out
    assert not (adapted / "out.tar.gz").exists()
    assert cli.main(["build", str(adapted), "-o", str(adapted / "out.tar.gz")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"example/content/\S+\.md:\d+: warning: untranslated", out)


@pytest.mark.parametrize(
    ("translation", "message"),
    [
        ("Cada investigación empieza con una pregunta: <i>la suya</i>.", None),
        ("Cada investigación empieza con una pregunta: la suya.", "the translation lacks </i>, <i>"),
        ("Cada <i>investigación</b> empieza.", "lacks </i> and has </b>"),
        ("Cada </i>investigación<i> empieza.", "closes </i> where it is not open"),
        ("  ", "the translation is blank"),
        ("Una línea\notra línea <i>x</i>", "must be one line"),
    ],
)
def test_a_translation_that_breaks_a_placeholder_is_refused_at_its_line(tmp_path, adapted, translation, message):
    item = entry(adapted, "investigation-question-what-floats:text:p1")
    path = adapted / "locale/investigation.po"
    catalog = polib.pofile(str(path))
    for candidate in catalog:
        if candidate.msgctxt == item.msgctxt:
            candidate.msgstr = translation
            line = candidate.linenum
    catalog.save(str(path))
    if message is None:
        translate.materialize(adapted, tmp_path / "built")
        return
    with pytest.raises(translate.TranslationError) as error:
        translate.materialize(adapted, tmp_path / "built")
    assert re.match(rf"^{re.escape(str(path))}:\d+: .*{re.escape(message)}", str(error.value)), str(error.value)
    assert abs(int(str(error.value).split(":")[1]) - line) <= 3


def test_a_malformed_catalog_is_reported_at_its_line_and_nothing_is_built(tmp_path, adapted, capsys):
    path = adapted / "locale/course.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "twice"\nmsgstr "a"\nmsgstr "b"\n', encoding="utf-8")
    assert cli.main(["build", str(adapted), "-o", str(tmp_path / "out.tar.gz")]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"{re.escape(str(path))}:\d+: not a readable PO catalog", out)
    assert not (tmp_path / "out.tar.gz").exists()


def test_a_bad_adaptation_file_is_reported(tmp_path, adapted):
    (adapted / "adaptation.yaml").write_text("upstream: ../example\nlanguage: 12\n", encoding="utf-8")
    with pytest.raises(translate.TranslationError, match=r"adaptation.yaml:2: 'language' must be a language code"):
        translate.materialize(adapted, tmp_path / "built")


# ----- keeping in step with the upstream -----------------------------------------------------------------------


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_upstream_edit_makes_exactly_the_changed_messages_fuzzy(upstream, adapted):
    fill(adapted, shouted)
    unit = upstream / UNIT
    edit(unit, "Do not look for\nthe answer yet", "Do not look for\nan answer yet")
    edit(unit, "title: What floats, what sinks?", "title: What floats and what sinks?")
    edit(unit, "---\nEvery investigation", "---\nA new first paragraph.\n\nEvery investigation")
    counts = translate.update(adapted)
    entries = [item for catalog in catalogs(adapted).values() for item in catalog if not item.obsolete]
    fuzzy = {item.msgctxt: item for item in entries if "fuzzy" in item.flags}
    assert set(fuzzy) == {"investigation-question-what-floats:title", "investigation-question-what-floats:text:p2"}
    assert fuzzy["investigation-question-what-floats:title"].previous_msgid == "What floats, what sinks?"
    assert fuzzy["investigation-question-what-floats:title"].msgstr == "WHAT FLOATS, WHAT SINKS?", "kept for review"
    untranslated = [item.msgid for item in entries if not item.msgstr]
    assert untranslated == ["A new first paragraph."]
    assert counts["fuzzy"] == 2 and counts["new"] == 1
    status = {row[0]: row[1:] for row in translate.status(adapted)}
    assert status["investigation-question-what-floats"][1:] == (2, 1)


def test_replaced_and_added_units_survive_an_update_and_upstream_status_names_them(tmp_path, upstream, adapted):
    fill(adapted, shouted)
    own = adapted / UNIT
    own.parent.mkdir(parents=True)
    text = (upstream / UNIT).read_text(encoding="utf-8")
    local = text.replace("Every investigation starts", "Una situación de Ciudad de México. Every")
    own.write_text(local, encoding="utf-8")
    added = adapted / "content/02-investigation/01-question/03-local.md"
    added.write_text("---\ntitle: Un ejemplo local\n---\nMateriales de la región.\n", encoding="utf-8")
    assert translate.upstream_changes(adapted) == []
    edit(upstream / UNIT, "Read Léa's\nstory below", "Read Léa's\nshort story below")
    edit(upstream / "content/02-investigation/chapter.yaml", "what makes", "what decides whether")
    translate.update(adapted)
    changes = {path: (how, note) for path, how, note in translate.upstream_changes(adapted)}
    assert changes == {UNIT: ("changed", "replaced here: review your version")}, "translated files follow the update"
    files = build(translate.materialize(adapted, tmp_path / "built").folder)
    html = "\n".join(value.decode() if isinstance(value, bytes) else value for key, value in files.items())
    assert "Una situación de Ciudad de México." in html and "Materiales de la región." in html
    assert "LÉA" not in html or "SHORT STORY" not in html, "the replaced unit is the partner's"
    translate.accept(adapted, [UNIT])
    assert translate.upstream_changes(adapted) == []


def test_dropped_units_are_left_out(tmp_path, adapted):
    config = adapted / "adaptation.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "drop: []", "drop:\n  - content/03-making-sense/02-wrap-up/02-discussion.md"
        ),
        encoding="utf-8",
    )
    built = translate.materialize(adapted, tmp_path / "built")
    assert not (built.folder / "content/03-making-sense/02-wrap-up/02-discussion.md").exists()
    assert all(message.path != "content/03-making-sense/02-wrap-up/02-discussion.md" for message in built.untranslated)


def test_a_rebuild_takes_a_changed_translation_and_reuses_the_rest(tmp_path, adapted):
    fill(adapted, shouted)
    first = translate.materialize(adapted, tmp_path / "one")
    cached = sorted((adapted / ".build/cache").glob("*.json"))
    assert cached, "the translated files are kept"
    path = adapted / "locale/investigation.po"
    catalog = polib.pofile(str(path))
    for item in catalog:
        if item.msgctxt == "investigation-question-what-floats:title":
            item.msgstr = "¿Qué flota y qué se hunde?"
    catalog.save(str(path))
    second = translate.materialize(adapted, tmp_path / "two")
    assert "title: ¿Qué flota y qué se hunde?" in (second.folder / UNIT).read_text(encoding="utf-8")
    assert (first.folder / "content/02-investigation/chapter.yaml").read_text(encoding="utf-8") == (
        second.folder / "content/02-investigation/chapter.yaml"
    ).read_text(encoding="utf-8")
    assert second.translated == first.translated and second.untranslated == first.untranslated == []
    for relative in ("content/01-getting-started/chapter.yaml", UNIT, "course.yaml"):
        upstream_file = translate.Adaptation.read(adapted).upstream / relative
        assert upstream_file.read_bytes() == (EXAMPLE / relative).read_bytes(), "never written through a link"


# ----- the editions made this way -------------------------------------------------------------------------------

PT_BR = Path(__file__).resolve().parent.parent / "courses" / "example-pt-br"
PORTUGUESE = set(
    "o a os as de do da dos das e é que um uma para com não em no na se por mais como você seu sua".split()
)
ENGLISH = set("the and of to is are that with for this what how you your can does it from have or not".split())


def test_the_example_course_in_brazilian_portuguese_is_complete_and_builds(tmp_path):
    rows = translate.status(PT_BR)
    assert sum(row[1] for row in rows) > 300 and [row for row in rows if row[2] or row[3]] == []
    built = translate.materialize(PT_BR, tmp_path / "built", strict=True)
    files, english = build(built.folder), build(EXAMPLE)
    assert sorted(key for key in files if key.endswith(".xml")) == sorted(
        key for key in english if key.endswith(".xml")
    )
    policy = json.loads(next(value for key, value in files.items() if key.endswith("policy.json")))
    assert next(iter(policy.values()))["language"] == "pt-br"
    html = [value.decode() for key, value in files.items() if key.startswith("html/") and key.endswith(".html")]
    words = re.findall(r"[a-zà-ú]+", re.sub(r"<[^>]+>", " ", " ".join(html)).lower())
    portuguese, english_words = (sum(word in vocabulary for word in words) for vocabulary in (PORTUGUESE, ENGLISH))
    assert portuguese > 500 and english_words < portuguese / 20, (portuguese, english_words)


def test_the_commands_say_when_a_folder_is_not_an_adapted_course(tmp_path, capsys):
    for arguments in (["translate", "status"], ["translate", "check"], ["translate", "update"], ["upstream", "status"]):
        assert cli.main([*arguments, str(tmp_path)]) == 1
        assert f"{tmp_path}/adaptation.yaml:1: not an adapted course" in capsys.readouterr().out
    assert cli.main(["translate", "extract", str(tmp_path), "-l", "es_419", "-o", str(tmp_path / "x")]) == 1
    assert "not a course: no course.yaml" in capsys.readouterr().out


def test_one_catalog_for_the_whole_course_when_asked(tmp_path, capsys):
    assert cli.main(["translate", "extract", str(EXAMPLE), "-l", "de", "-o", str(tmp_path / "de"), "--single"]) == 0
    assert [path.name for path in translate.catalog_paths(tmp_path / "de")] == ["course.po"]
    assert len(polib.pofile(str(tmp_path / "de/locale/course.po"))) == len(translate.extract_messages(EXAMPLE))
    assert translate.update(tmp_path / "de")["messages"] == len(translate.extract_messages(EXAMPLE))
    assert [path.name for path in translate.catalog_paths(tmp_path / "de")] == ["course.po"]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("course:\n  number: 12\n", "adaptation.yaml:4: 'course.number' must be text"),
        ("course:\n  self_paced: 'yes'\n", "adaptation.yaml:4: 'course.self_paced' must be true or false"),
        ("course:\n  start: soon\n", None),
        ("course:\n  grading: {}\n", "adaptation.yaml:4: 'course.grading' cannot be set here"),
        ("catalogs: chapters\n", "adaptation.yaml:3: 'catalogs' must be 'chapter'"),
    ],
)
def test_a_wrong_value_in_adaptation_yaml_is_reported_at_its_line(tmp_path, adapted, setting, message):
    (adapted / "adaptation.yaml").write_text(f"upstream: ../example\nlanguage: es-419\n{setting}", encoding="utf-8")
    if message is None:  # a date written as text: the course's own check says whether it reads
        translate.Adaptation.read(adapted)
        return
    with pytest.raises(translate.TranslationError, match=re.escape(message)):
        translate.Adaptation.read(adapted)


def test_the_spanish_editions_kit_and_offline_copy_take_their_samples_in_spanish(tmp_path, capsys):
    spanish = Path(__file__).resolve().parent.parent / "courses" / "inquiry-trainers-es"
    assert cli.main(["kit", str(spanish), "-o", str(tmp_path / "kit"), "-q"]) == 0, capsys.readouterr().out
    pages = " ".join(path.read_text(encoding="utf-8") for path in (tmp_path / "kit").glob("*.html"))
    assert "Manos y mente, juntas" in pages, "the observation grid lists the principles as the edition names them"
    assert "Pauta de observación de una clase" in pages and "Kit para imprimir" in pages, "the kit's own words too"
    assert cli.main(["offline", str(spanish), "-o", str(tmp_path / "offline"), "-q"]) == 0
    assert 'lang="es-419"' in (tmp_path / "offline" / "index.html").read_text(encoding="utf-8")
