"""
What ``lamap-course`` prints: one report on standard output (warnings, problems as
``file:line: message`` with paths relative to the current directory, a count or "no
problems found") and the exit status saying which; a YAML error reported once, without the
problems that only follow from it; problems of list items at the item's line; misspelt
names and /jump_to_id/ links answered with what was meant.
"""

import os
import shutil
import tarfile
from pathlib import Path

import pytest

from lamap_xblocks.course import cli, toolchain, writer
from lamap_xblocks.course.model import Origin, Problems, course_paths, shown_path
from lamap_xblocks.course.sources import Lines, SourceReader, closest, did_you_mean

COURSES = Path(__file__).parent / "fixtures" / "courses"
GOOD = COURSES / "good"
REPOSITORY = Path(__file__).resolve().parent.parent


def report_lines(text):
    """The problems of a report, without the blocks' warnings (tested on their own)."""
    return [line for line in text.splitlines() if ": warning: " not in line]


# ----- one report, on standard output, and the exit status ------------------------------------


def test_problems_and_their_count_go_to_standard_output_with_status_1(capsys, monkeypatch):
    monkeypatch.chdir(COURSES / "broken-field")
    assert cli.main(["check", "."]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert lines[0].startswith("content/01-chapter/01-sub/01-unit.md:3: unknown key 'colour'")
    assert lines[-1] == "3 problems found."


def test_no_problems_goes_to_standard_output_with_status_0(capsys, monkeypatch):
    monkeypatch.chdir(COURSES)
    assert cli.main(["check", "good"]) == 0
    assert capsys.readouterr() == ("good: no problems found.\n", "")


def test_warnings_are_part_of_the_report(tmp_path, capsys, monkeypatch):
    source = tmp_path / "course"
    shutil.copytree(GOOD, source)
    unit = source / "content" / "02-investigate" / "01-test" / "01-experiment.md"
    unit.write_text(unit.read_text().replace("  - {name: Time to dissolve, unit: s, type: number}\n", ""))
    monkeypatch.chdir(source)
    assert cli.main(["check", "."]) == 0
    assert capsys.readouterr() == (
        "content/02-investigate/01-test/01-experiment.md:6: warning: lamap_experiment: The chart needs a number "
        "column besides what learners change: it will not be drawn.\n"
        ".: no problems found.\n",
        "",
    )


def test_a_failed_build_reports_on_standard_output(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(COURSES)
    assert cli.main(["build", "broken-grading-weights", "-o", str(tmp_path / "out.tar.gz")]) == 1
    assert capsys.readouterr() == (
        "broken-grading-weights/course.yaml:13: grading: the weights of the assignment types add up to 0.8, "
        "not 1\n1 problem found.\nNo archive written.\n",
        "",
    )


def test_a_usage_error_stays_on_standard_error_with_status_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["check"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "usage: lamap-course check" in captured.err


# ----- paths relative to the current directory ----------------------------------------------------


def test_paths_from_above_the_course_name_its_folder_in_locations_and_messages(capsys, monkeypatch):
    monkeypatch.chdir(COURSES)
    assert cli.main(["check", "broken-duplicate-url-name"]) == 1
    assert report_lines(capsys.readouterr().out) == [
        "broken-duplicate-url-name/content/01-chapter/01-sub/02-unit.md:1: duplicate url_name 'chapter-sub-unit' "
        "(<vertical>): also used by <vertical> at broken-duplicate-url-name/content/01-chapter/01-sub/01-unit.md:1",
        "broken-duplicate-url-name/content/01-chapter/01-sub/02-unit.md:4: duplicate url_name "
        "'chapter-sub-unit-text' (<html>): also used by <html> at "
        "broken-duplicate-url-name/content/01-chapter/01-sub/01-unit.md:4",
        "2 problems found.",
    ]


def test_paths_from_the_repository_root(capsys, monkeypatch):
    monkeypatch.chdir(REPOSITORY)
    assert cli.main(["check", "tests/fixtures/courses/broken-investigation-order"]) == 1
    lines = report_lines(capsys.readouterr().out)
    prefix = "tests/fixtures/courses/broken-investigation-order/content/01-chapter/01-sub/"
    assert lines[0] == (
        f"{prefix}01-unit.md:12: investigation 'floating': the hypothesis step comes after its experiment step "
        f"({prefix}01-unit.md:8)"
    )


def test_a_path_given_in_a_roundabout_way_is_printed_plainly(capsys, monkeypatch):
    monkeypatch.chdir(COURSES)
    assert cli.main(["check", "./broken-static/../broken-static/"]) == 1
    lines = report_lines(capsys.readouterr().out)
    assert lines[0] == "broken-static/content/01-chapter/01-sub/01-unit.md:4: the file static/pond.png does not exist"


def test_paths_outside_the_current_directory_are_absolute(tmp_path, capsys, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli.main(["check", str(COURSES / "broken-unit-outside-chapter")]) == 1
    assert report_lines(capsys.readouterr().out) == [
        f"{COURSES / 'broken-unit-outside-chapter' / 'content' / '00-intro.md'}:1: "
        "a unit outside any chapter: move it into content/<chapter>/<subsection>/",
        "1 problem found.",
    ]


def test_shown_path():
    here = Path.cwd()
    assert shown_path(here / "a" / "b.md") == os.path.join("a", "b.md")
    assert shown_path("a/./c/../b.md") == os.path.join("a", "b.md")
    assert shown_path(here.parent / "x.md") == str(here.parent / "x.md"), "outside: absolute"


def test_problems_keep_course_paths_unless_told(tmp_path, monkeypatch):
    """The model's origins stay relative to the course; only a run's Problems print them otherwise."""
    monkeypatch.chdir(tmp_path)
    plain, printed = Problems(), Problems(course_paths(tmp_path / "course"))
    for problems in (plain, printed):
        problems.add(Origin("content/a.md", 3), "here")
        problems.add(Origin.of_file(tmp_path / "dist" / "x.tar.gz"), "there")
        problems.add(Origin("vertical/x.xml", 2, built=True), "built")
    assert [str(problem) for problem in plain] == [
        "content/a.md:3: here",
        f"{tmp_path / 'dist' / 'x.tar.gz'}:1: there",
        "vertical/x.xml:2: built",
    ]
    assert [str(problem) for problem in printed] == [
        os.path.join("course", "content", "a.md") + ":3: here",
        os.path.join("dist", "x.tar.gz") + ":1: there",
        "vertical/x.xml:2: built",
    ]
    assert printed.items[0].origin == Origin("content/a.md", 3)


def test_an_unpacked_archive_names_its_files_from_the_current_directory(tmp_path, capsys, monkeypatch):
    problems = Problems()
    _course, files = toolchain.build(GOOD, problems)
    vertical = "vertical/discover-situation-question.xml"
    files[vertical] = files[vertical].replace(b'min_hypotheses="1"', b'min_hypotheses="5"')
    archive = tmp_path / "damaged.tar.gz"
    archive.write_bytes(writer.archive_bytes(files))
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "unpacked"]) == 1
    (line, count) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"unpacked/course/{vertical}:12: lamap_hypothesis"), line
    # In a .tar.gz, a file is named by its path in the archive.
    assert cli.main(["check", "damaged.tar.gz"]) == 1
    assert capsys.readouterr().out.splitlines()[0].startswith(f"{vertical}:12: lamap_hypothesis")


# ----- a YAML error, once, and nothing that only follows from it -----------------------------


def test_a_yaml_error_has_no_knock_on_problems(capsys, monkeypatch):
    """
    The fixture's question block, front matter, notebook and graded subsection.yaml do not
    parse. Before, a missing title, a dangling link to the broken block's id, its missing
    investigation step, a url_name clash with it, an empty unit and an assignment type graded
    nowhere were reported too: each only followed from a block that could not be read.
    """
    monkeypatch.chdir(COURSES / "broken-yaml-knock-on")
    assert cli.main(["check", "."]) == 1
    assert capsys.readouterr() == (
        "content/01-chapter/01-sub/01-unit.md:2: YAML: did not find expected ',' or ']'\n"
        "content/01-chapter/01-sub/01-unit.md:9: YAML: found unexpected end of stream\n"
        "content/01-chapter/01-sub/subsection.yaml:2: YAML: did not find expected ',' or ']'\n"
        "content/01-chapter/02-more/02-notes.md:6: YAML: did not find expected ',' or ']'\n"
        "4 problems found.\n",
        "",
    )


def test_a_yaml_error_does_not_hide_other_problems(tmp_path, capsys, monkeypatch):
    """Only what may follow from the broken block goes: a step of another type is still missing."""
    source = tmp_path / "course"
    shutil.copytree(COURSES / "broken-yaml-knock-on", source)
    (source / "content" / "01-chapter" / "02-more" / "01-test.md").unlink()
    unit = source / "content" / "01-chapter" / "01-sub" / "01-unit.md"
    unit.write_text(unit.read_text() + "\n[Elsewhere](/jump_to_id/chapter-more-nothing).\n")
    monkeypatch.chdir(source)
    assert cli.main(["check", "."]) == 1
    lines = report_lines(capsys.readouterr().out)
    assert (
        "content/01-chapter/01-sub/01-unit.md:12: investigation 'floating' has no experiment or argumentation "
        "step (a step with another spelling of the key is not linked)"
    ) in lines
    assert any("link to /jump_to_id/chapter-more-nothing:" in line for line in lines), lines
    assert not any("chapter-sub-unit-ask" in line for line in lines), lines


def test_a_broken_block_keeps_its_place_in_the_url_names(tmp_path):
    """The components after a block that could not be read keep their url_names."""
    source = tmp_path / "course"
    shutil.copytree(GOOD, source)
    unit = source / "content" / "02-investigate" / "01-test" / "01-experiment.md"
    text = unit.read_text()
    unit.write_text(text.replace("```video\n", "```video\ndisplay_name: [broken\n```\n\n```video\n"))
    problems = Problems()
    course, _files = toolchain.build(source, problems)
    assert [str(problem) for problem in problems] == [
        "content/02-investigate/01-test/01-experiment.md:21: YAML: did not find expected ',' or ']'"
    ]
    unit = next(unit for _c, _s, unit in course.units() if unit.url_name == "investigate-test-experiment")
    assert [component.url_name for component in unit.components][-1] == "investigate-test-experiment-video-2"


# ----- list items at their own line --------------------------------------------------------------


def test_lines_find_nested_parts():
    reader = SourceReader(GOOD, Problems())
    text = "a: 1\nlist:\n  - x\n  - {name: n, type: t}\n  - name: m\n    type: u\n"
    _data, lines = reader.load_yaml(text, Origin("f.yaml", 10))
    assert dict(lines) == {"a": 10, "list": 11}
    assert lines.find(("list", 0), 0) == 12
    assert lines.find(("list", 1, "type"), 0) == 13
    assert lines.find(("list", 2, "type"), 0) == 15
    assert lines.find(("list", 2, "missing"), 0) == 14, "the nearest part that holds it"
    assert lines.find(("nothing",), 99) == 99
    assert lines.within("list", 2) == {"name": 14, "type": 15}
    assert not lines.broken
    _data, broken = reader.load_yaml("a: [", Origin("f.yaml", 1))
    assert broken.broken and broken == {}
    assert isinstance(broken, Lines)


def test_problems_of_list_items_are_at_the_items_line(capsys, monkeypatch):
    monkeypatch.chdir(COURSES / "broken-list-items")
    assert cli.main(["check", "."]) == 1
    lines = report_lines(capsys.readouterr().out)
    assert lines[:3] == [
        "content/01-chapter/01-sub/01-unit.md:9: lamap_experiment: field 'columns': Results table columns, "
        "item 3: Type must be one of: number, text.",
        "content/01-chapter/01-sub/01-unit.md:13: lamap_experiment: field 'required_checks': Required fair-test "
        "checks, item 2 must be one of: one_variable, values, controlled, prediction_first.",
        "course.yaml:15: about: 'learning_outcomes' must be a list of sentences (item 2 is not one)",
    ]
    assert "course.yaml:22: grading: assignment type 2 (Exam): 'weight' must be a number between 0 and 1" in lines
    assert not any("add up to" in line for line in lines), "a wrong weight is not summed"


# ----- what was meant ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "known", "meant"),
    [
        ("colums", ["columns", "prompt"], "columns"),
        ("titel", ["title"], "title"),
        ("lamap_quesiton", ["lamap_question", "lamap_hypothesis"], "lamap_question"),
        (
            "floating-investigating-experimentt",
            ["floating-investigating-experiment"],
            "floating-investigating-experiment",
        ),
        ("min_questions", ["investigation", "prompt"], None),
        ("colour", ["columns"], None),
        # names sharing a long prefix are not taken for one another
        ("chapter-sub-notes", ["chapter-sub-unit", "chapter-sub-unit-notebook"], None),
    ],
)
def test_closest(word, known, meant):
    assert closest(word, known) == meant


def test_did_you_mean():
    assert did_you_mean("colums", ["columns"]) == ": did you mean 'columns'?"
    assert did_you_mean("lamap_hypotesis", ["lamap_hypothesis"], "<{}>") == ": did you mean <lamap_hypothesis>?"
    assert did_you_mean("bogus", ["columns"]) == ""


def test_an_unknown_field_suggests_the_closest_known_one(capsys, monkeypatch):
    monkeypatch.chdir(COURSES / "broken-field")
    cli.main(["check", "."])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith(
        "content/01-chapter/01-sub/01-unit.md:7: lamap_experiment: unknown field 'colums': did you mean 'columns'? "
        "(known: id, display_name, investigation, investigation_name, prompt, columns,"
    )
    assert lines[2] == (
        "content/01-chapter/01-sub/01-unit.md:13: unknown key 'autoplay' in a video (known: id, display_name, "
        "youtube, url)"
    ), "no suggestion when no known name is close"


# ----- /jump_to_id/ links -------------------------------------------------------------------------


def test_links_to_sections_subsections_units_and_components_and_a_typo(capsys, monkeypatch):
    monkeypatch.chdir(COURSES / "broken-dangling-link")
    assert cli.main(["check", "."]) == 1
    assert report_lines(capsys.readouterr().out) == [
        "content/01-chapter/01-sub/01-unit.md:4: link to /jump_to_id/chapter-sub-nowhere: no unit, component, "
        "subsection or section has this url_name",
        "content/01-chapter/01-sub/01-unit.md:7: link to /jump_to_id/chapter-sub-notes: no unit, component, "
        "subsection or section has this url_name",
        "content/01-chapter/01-sub/01-unit.md:12: link to /jump_to_id/chapter-sub-unit-questoin: no unit, "
        "component, subsection or section has this url_name (did you mean 'chapter-sub-unit-question'?)",
        "3 problems found.",
    ]


def test_a_link_in_the_about_page_is_reported_in_course_yaml(tmp_path, capsys, monkeypatch):
    source = tmp_path / "course"
    shutil.copytree(GOOD, source)
    course_yaml = source / "course.yaml"
    course_yaml.write_text(
        course_yaml.read_text().replace(
            "  prerequisites: None.", "  prerequisites: See [the welcome](/jump_to_id/discover-situation-welcom)."
        )
    )
    monkeypatch.chdir(source)
    assert cli.main(["check", "."]) == 1
    assert report_lines(capsys.readouterr().out) == [
        "course.yaml:11: link to /jump_to_id/discover-situation-welcom: no unit, component, subsection or section "
        "has this url_name (did you mean 'discover-situation-welcome'?)",
        "1 problem found.",
    ]


def test_a_dangling_link_in_an_archive(tmp_path, capsys):
    problems = Problems()
    _course, files = toolchain.build(GOOD, problems)
    html = "html/investigate-review-conclude-text.html"
    files[html] = files[html].replace(b"discover-situation-question-ask", b"discover-situation-question-asks")
    archive = tmp_path / "course.tar.gz"
    archive.write_bytes(writer.archive_bytes(files))
    assert cli.main(["check", str(archive)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{html}:1: link to /jump_to_id/discover-situation-question-asks: no unit, component, subsection or "
        "section has this url_name (did you mean 'discover-situation-question-ask'?)",
        "1 problem found.",
    ]
