"""
Course sources to the course model: the parser on a complete course (every feature the
sources have), and the problems of broken sources, each a fixture folder whose
``expected.txt`` holds the exact ``file:line: message`` lines ``lamap-course`` must print
on standard output when run from inside the fixture's folder (paths are printed relative
to the current directory).
"""

import shutil
from pathlib import Path

import pytest
from lxml import etree

from lamap_xblocks.course import cli
from lamap_xblocks.course.checks import check_course
from lamap_xblocks.course.model import Problems
from lamap_xblocks.course.sources import iso_datetime, read_sources, slug

COURSES = Path(__file__).parent / "fixtures" / "courses"
GOOD = COURSES / "good"
BROKEN = sorted(path for path in COURSES.glob("broken-*") if path.is_dir())


@pytest.fixture(scope="module")
def course():
    problems = Problems()
    course = read_sources(GOOD, problems)
    assert [str(problem) for problem in problems] == []
    return course


def components(course, unit_url_name):
    unit = next(unit for _chapter, _subsection, unit in course.units() if unit.url_name == unit_url_name)
    return {component.url_name: component for component in unit.components}


# ----- the good course -----------------------------------------------------------------------


def test_outline_titles_url_names_and_dates(course):
    assert [(chapter.url_name, chapter.display_name, chapter.start) for chapter in course.chapters] == [
        ("discover", "Discover", "2026-01-05T00:00:00Z"),
        ("investigate", "Investigate", None),
    ]
    assert [
        (subsection.url_name, subsection.display_name, subsection.graded_as, subsection.due)
        for _chapter, subsection in course.subsections()
    ] == [
        ("discover-situation", "The situation", None, None),
        ("investigate-test", "Test it", "Investigation", "2026-03-01T12:00:00Z"),
        ("investigate-review", "Review", "Investigation", None),
        ("investigate-quiz", "Quiz", "Quiz", None),
    ]
    assert [(unit.url_name, unit.display_name, str(unit.origin.path)) for _c, _s, unit in course.units()] == [
        ("discover-situation-welcome", "Welcome", "content/01-discover/01-situation/01-welcome.md"),
        ("discover-situation-question", "Ask a question", "content/01-discover/01-situation/02-question.md"),
        ("investigate-test-experiment", "Experiment", "content/02-investigate/01-test/01-experiment.md"),
        ("investigate-review-conclude", "Conclude", "content/02-investigate/02-review/01-conclude.md"),
        ("investigate-quiz-check", "Check yourself", "content/02-investigate/03-quiz/01-check.md"),
    ]
    assert (course.org, course.number, course.run) == ("LaMap", "FLOAT101", "2026_T1")
    assert course.unit_count() == 5


def test_components_in_order_with_url_names_names_and_lines(course):
    found = [
        (unit.url_name, component.category, component.url_name, component.display_name, component.origin.line)
        for unit, component in course.components()
    ]
    assert found == [
        ("discover-situation-welcome", "html", "discover-situation-welcome-text", "Welcome to the pond", 4),
        ("discover-situation-welcome", "video", "discover-situation-welcome-video", "Léa at the pond", 27),
        ("discover-situation-welcome", "html", "discover-situation-welcome-text-2", "Talk about it", 32),
        ("discover-situation-welcome", "discussion", "discover-situation-welcome-discussion", "First ideas", 36),
        # `id: ask` names the component; the next one has the type's suffix
        ("discover-situation-question", "lamap_question", "discover-situation-question-ask", "What floats?", 4),
        (
            "discover-situation-question",
            "lamap_hypothesis",
            "discover-situation-question-hypothesis",
            "Your hypothesis",
            25,
        ),
        ("investigate-test-experiment", "html", "investigate-test-experiment-text", "Experiment", 4),
        (
            "investigate-test-experiment",
            "lamap_experiment",
            "investigate-test-experiment-experiment",
            "Does temperature matter?",
            6,
        ),
        ("investigate-test-experiment", "video", "investigate-test-experiment-video", "Experiment", 20),
        ("investigate-review-conclude", "html", "investigate-review-conclude-text", "Conclude", 4),
        (
            "investigate-review-conclude",
            "lamap_argumentation",
            "investigate-review-conclude-argumentation",
            "Your conclusion",
            6,
        ),
        ("investigate-review-conclude", "lamap_notebook", "investigate-review-conclude-notebook", "Your notebook", 20),
        # olx passthrough: one component per element, at the element's line
        ("investigate-quiz-check", "html", "investigate-quiz-check-text", "Before the quiz", 5),
        ("investigate-quiz-check", "problem", "investigate-quiz-check-problem", "Does it float?", 6),
    ]


def test_prose_becomes_html_with_heading_list_table_image_and_code_kept_as_code(course):
    welcome = components(course, "discover-situation-welcome")
    assert welcome["discover-situation-welcome-text"].html == (
        "<h3>Welcome to the pond</h3>\n"
        "<p>Léa empties her school bag next to a pond. Look at the picture:</p>\n"
        '<p><img alt="Objects on the edge of a pond" src="/static/images/pond.png"></p>\n'
        "<ul>\n<li>a wooden ruler</li>\n<li>a steel key</li>\n<li>an apple</li>\n</ul>\n"
        "<table>\n<thead>\n<tr>\n<th>Object</th>\n<th>Guess</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>ruler</td>\n<td>floats</td>\n</tr>\n<tr>\n<td>key</td>\n<td>sinks</td>\n</tr>\n"
        "</tbody>\n</table>\n"
        "<p>An example of how a step is written, for the teacher:</p>\n"
        "<pre><code>```lamap_question\ndisplay_name: Not a component\n```\n</code></pre>"
    )
    assert welcome["discover-situation-welcome-text-2"].html == (
        "<h4>Talk about it</h4>\n<p>Share what you noticed.</p>"
    )
    conclude = components(course, "investigate-review-conclude")
    assert conclude["investigate-review-conclude-text"].html == (
        '<p>Look back at <a href="/jump_to_id/discover-situation-question-ask" rel="noopener noreferrer">'
        "your question</a> first.</p>"
    )
    assert all(component.display_name != "Not a component" for _unit, component in course.components())


def test_block_fields_are_the_authored_values_cleaned_by_each_block(course):
    fields = {component.category: component.fields for _unit, component in course.components() if component.fields}
    assert fields == {
        "lamap_question": {
            "display_name": "What floats?",
            "investigation": "floating",
            "share_with_class": True,
            "prompt": "Read the situation, then write **your** questions.",
            "situation": "Léa empties her bag:\n- a ruler\n- a key",
            "image_url": "/static/images/pond.png",
            "image_alt": "Objects on the edge of a pond",
            "reference_questions": ["Does weight decide whether it floats?", "Does the material matter?"],
            "min_questions": 2,
            "scored": True,
            "weight": 2.0,
        },
        "lamap_hypothesis": {
            "display_name": "Your hypothesis",
            "investigation": "floating",
            "min_hypotheses": 1,
            "max_hypotheses": 3,
        },
        "lamap_experiment": {
            "display_name": "Does temperature matter?",
            "investigation": "floating",
            "columns": [
                {"key": "temperature", "name": "Water temperature", "unit": "°C", "type": "number", "role": ""},
                {"key": "time_to_dissolve", "name": "Time to dissolve", "unit": "s", "type": "number", "role": ""},
                {"key": "notes", "name": "Notes", "unit": "", "type": "text", "role": ""},
            ],
            "max_rows": 12,
            "show_chart": True,
            "required_checks": ["one_variable", "prediction_first"],
        },
        "lamap_argumentation": {
            "display_name": "Your conclusion",
            "investigation": "floating",
            "criteria": ["The claim answers the question", "Every piece of evidence comes from the table"],
            "min_evidence": 1,
            "max_evidence": 4,
            "require_limitations": True,
            "peer_reviews": 1,
            "example_arguments": ["Heavy things sink, because the key sank."],
        },
        "lamap_notebook": {"display_name": "Your notebook", "investigation": "floating"},
    }


def test_block_elements_carry_the_fields_as_olx(course):
    question = components(course, "discover-situation-question")["discover-situation-question-ask"].element
    assert question.tag == "lamap_question"
    assert question.get("url_name") == "discover-situation-question-ask"
    assert question.get("weight") == "2.0" and question.get("share_with_class") == "true"
    assert [child.text for child in question.find("reference_questions")] == [
        "Does weight decide whether it floats?",
        "Does the material matter?",
    ]
    assert question.find("situation").text == "Léa empties her bag:\n- a ruler\n- a key"
    experiment = components(course, "investigate-test-experiment")["investigate-test-experiment-experiment"].element
    assert [dict(column.attrib) for column in experiment.find("columns")] == [
        {"key": "temperature", "name": "Water temperature", "unit": "°C", "type": "number"},
        # Written without key and unit: blank, as Studio's editor sends them; the key comes from the name.
        {"key": "time_to_dissolve", "name": "Time to dissolve", "unit": "s", "type": "number"},
        {"key": "notes", "name": "Notes", "unit": "", "type": "text"},
    ]


def test_videos_by_youtube_url_and_by_id_and_the_discussion(course):
    welcome = components(course, "discover-situation-welcome")
    experiment = components(course, "investigate-test-experiment")
    by_url = welcome["discover-situation-welcome-video"].element
    by_id = experiment["investigate-test-experiment-video"].element
    for video in (by_url, by_id):
        assert video.get("youtube") == "1.00:dQw4w9WgXcQ"
        assert video.get("youtube_id_1_0") == "dQw4w9WgXcQ"
    assert by_url.get("display_name") == "Léa at the pond"
    assert by_id.get("display_name") == "Experiment", "a video without a name takes its unit's"
    discussion = welcome["discover-situation-welcome-discussion"].element
    assert dict(discussion.attrib) == {
        "url_name": "discover-situation-welcome-discussion",
        "display_name": "First ideas",
        "discussion_category": "Floating",
        "discussion_target": "What did you notice?",
        "discussion_id": "discover-situation-welcome-discussion",
    }


def test_olx_passthrough_keeps_the_elements_and_names_them(course):
    check = components(course, "investigate-quiz-check")
    problem = check["investigate-quiz-check-problem"].element
    assert problem.tag == "problem"
    assert problem.get("max_attempts") == "2" and problem.get("url_name") == "investigate-quiz-check-problem"
    assert [choice.get("correct") for choice in problem.iter("choice")] == ["false", "true"]
    html = check["investigate-quiz-check-text"]
    assert html.html == "<p>Two <em>short</em> questions.</p>", "written as html/NAME.html like the prose"
    assert etree.tostring(html.element, encoding="unicode").startswith('<html display_name="Before the quiz"')


def test_policy(course):
    assert course.policy == {
        "display_name": "Floating and sinking",
        "language": "en",
        "start": "2026-01-05T00:00:00Z",
        "end": "2026-06-30T15:00:00Z",  # 17:00 at +02:00, in UTC
        "enrollment_start": "2025-12-01T00:00:00Z",
        "self_paced": True,
        "course_image": "images/card.svg",
        "discussion_topics": {"General": {"id": "course"}},
        "learning_info": ["Plan a *fair* test", "Argue from evidence"],
        "advanced_modules": [
            "lamap_argumentation",
            "lamap_experiment",
            "lamap_hypothesis",
            "lamap_notebook",
            "lamap_question",
        ],
    }


def test_grading_policy_counts_the_graded_subsections(course):
    assert course.grading == {
        "GRADER": [
            {"type": "Investigation", "short_label": "Inv", "min_count": 2, "drop_count": 1, "weight": 0.75},
            {"type": "Quiz", "short_label": "Quiz", "min_count": 1, "drop_count": 0, "weight": 0.25},
        ],
        "GRADE_CUTOFFS": {"Pass": 0.6},
    }


def test_about_pages(course):
    assert sorted(course.about) == ["duration", "effort", "overview", "short_description"]
    assert course.about["short_description"] == "Why do some objects float and others sink?"
    assert (course.about["effort"], course.about["duration"]) == ("2 hours", "3 weeks")
    assert course.about["overview"] == (
        '<section class="overview">\n<h2>About this course</h2>\n'
        "<p>Live a whole <strong>inquiry</strong>: ask a question, guess, test, argue.</p>\n"
        "<h5>How it works</h5>\n<p>One investigation, four steps.</p>\n</section>\n"
        '<section class="audience">\n<h2>Who this course is for</h2>\n'
        "<p>Pupils aged 9 to 11 and their teachers.</p>\n</section>\n"
        '<section class="learning_outcomes">\n<h2>What you will learn</h2>\n'
        "<ul><li>Plan a <em>fair</em> test</li><li>Argue from evidence</li></ul>\n</section>\n"
        '<section class="prerequisites">\n<h2>Prerequisites</h2>\n<p>None.</p>\n</section>\n'
    )


def test_static_files(course):
    assert sorted(course.static) == ["images/card.svg", "images/pond.png"]
    assert Path(course.static["images/pond.png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_slugs_and_dates():
    assert slug("02-Why inquiry?") == "why-inquiry"
    assert slug("01_Léa's pond") == "lea-s-pond"
    assert slug("2026") == "2026", "a name that is only a number keeps it"
    assert iso_datetime("2026-01-05T10:00:00+01:00") == "2026-01-05T09:00:00Z"
    assert iso_datetime("not a date") is None


def test_a_number_is_a_title(tmp_path):
    source = tmp_path / "course"
    shutil.copytree(GOOD, source)
    unit = source / "content" / "02-investigate" / "03-quiz" / "01-check.md"
    unit.write_text(unit.read_text(encoding="utf-8").replace("title: Check yourself", "title: 1984"), "utf-8")
    problems = Problems()
    course = read_sources(source, problems)
    assert [str(problem) for problem in problems] == []
    assert [unit.display_name for _c, _s, unit in course.units()][-1] == "1984"


# ----- broken sources: every problem, as file:line: message, in one run ---------------------


def problem_lines(fixture):
    return (fixture / "expected.txt").read_text(encoding="utf-8").splitlines()


def summary(count):
    return f"{count} problem{'s' if count != 1 else ''} found."


def without_warnings(text):
    """The problems only: the blocks' warnings (printed first, never fatal) are tested on their own."""
    return [line for line in text.splitlines() if ": warning: " not in line]


@pytest.mark.parametrize("fixture", BROKEN, ids=[path.name for path in BROKEN])
def test_build_reports_every_problem_and_writes_nothing(fixture, tmp_path, capsys, monkeypatch):
    expected = problem_lines(fixture)
    assert expected, "the fixture says what it expects"
    output = tmp_path / "dist" / "course.tar.gz"
    output.parent.mkdir()
    monkeypatch.chdir(fixture)
    assert cli.main(["build", ".", "-o", str(output)]) == 1
    captured = capsys.readouterr()
    assert without_warnings(captured.out) == [*expected, summary(len(expected)), "No archive written."]
    assert captured.err == ""
    assert list(output.parent.iterdir()) == [], "no archive, no .part file"


@pytest.mark.parametrize("fixture", BROKEN, ids=[path.name for path in BROKEN])
def test_check_reports_the_same_problems(fixture, capsys, monkeypatch):
    expected = problem_lines(fixture)
    monkeypatch.chdir(fixture)
    assert cli.main(["check", "."]) == 1
    captured = capsys.readouterr()
    assert without_warnings(captured.out) == [*expected, summary(len(expected))]
    assert captured.err == ""


def test_many_problems_are_reported_in_one_run():
    lines = problem_lines(COURSES / "broken-many")
    assert len(lines) >= 15
    files = {line.split(":", 1)[0] for line in lines}
    assert len(files) >= 5, "problems of course.yaml, units, subsection.yaml, chapter.yaml, misplaced files"


def test_a_failed_build_leaves_an_existing_archive_untouched(tmp_path, capsys):
    output = tmp_path / "course.tar.gz"
    output.write_bytes(b"the archive of yesterday")
    before = output.stat()
    assert cli.main(["build", str(COURSES / "broken-value"), "-o", str(output)]) == 1
    assert output.read_bytes() == b"the archive of yesterday"
    assert output.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(path.name for path in tmp_path.iterdir()) == ["course.tar.gz"]
    assert "No archive written." in capsys.readouterr().out


def test_block_warnings_are_reported_but_do_not_fail_the_build(tmp_path, capsys, monkeypatch):
    """What Studio shows as a warning on the unit page: printed at the fence's line, archive still written."""
    source = tmp_path / "course"
    shutil.copytree(GOOD, source)
    unit = source / "content" / "02-investigate" / "01-test" / "01-experiment.md"
    unit.write_text(unit.read_text().replace("  - {name: Time to dissolve, unit: s, type: number}\n", ""))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "course", "-o", "out.tar.gz", "-q"]) == 0
    assert capsys.readouterr() == (
        "course/content/02-investigate/01-test/01-experiment.md:6: warning: lamap_experiment: "
        "The chart needs a number column besides what learners change: it will not be drawn.\n",
        "",
    )
    assert (tmp_path / "out.tar.gz").exists()
    assert cli.main(["check", "course", "-q"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1, "reported once, at the source line"


def test_code_in_prose_is_neither_a_heading_nor_an_image(tmp_path):
    """A "#" comment in a code block does not name the component; an image shown as code is not checked."""
    source = tmp_path / "course"
    shutil.copytree(GOOD, source)
    unit = source / "content" / "02-investigate" / "01-test" / "02-extra.md"
    unit.write_text(
        "---\ntitle: Code sample\n---\nHow to write an image:\n\n```markdown\n# not a heading\n"
        "![](/static/none.png)\n```\n\nOr inline: `![](/static/nowhere.png)`.\n"
    )
    problems = Problems()
    course = read_sources(source, problems)
    assert [str(problem) for problem in problems] == []
    check_course(course, problems)
    assert [str(problem) for problem in problems] == []
    text = components(course, "investigate-test-extra")["investigate-test-extra-text"]
    assert text.display_name == "Code sample"
    assert "# not a heading" in text.html
