"""
The built course: the OLX archive's layout and XML, its determinism, olxcleaner on it, every
block read back through XBlock core's runtime, ``lamap-course check`` on archives, and the
command line itself.
"""

import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from xblock.field_data import DictFieldData
from xblock.fields import Scope
from xblock.test.tools import TestRuntime

from lamap_xblocks.course import cli, toolchain, writer
from lamap_xblocks.course.checks import check_blocks
from lamap_xblocks.course.model import Problems
from lamap_xblocks.course.reader import archive_files, read_olx
from lamap_xblocks.course.sources import BLOCK_TYPES, read_sources, with_blank_record_fields

COURSES = Path(__file__).parent / "fixtures" / "courses"
GOOD = COURSES / "good"
RUN = "2026_T1"


def build_files(source=GOOD):
    problems = Problems()
    course, files = toolchain.build(source, problems)
    assert [str(problem) for problem in problems] == []
    return course, files


@pytest.fixture(scope="module")
def built():
    return build_files()


@pytest.fixture(scope="module")
def files(built):
    return built[1]


@pytest.fixture(scope="module")
def archive(tmp_path_factory, files):
    path = tmp_path_factory.mktemp("dist") / "good.tar.gz"
    writer.write_atomically(path, writer.archive_bytes(files))
    return path


def members(data):
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar.getmembers()


def xml(files, path):
    return files[path].decode("utf-8")


# ----- the archive's layout and XML ----------------------------------------------------------


def test_archive_members(archive):
    names = [member.name for member in members(archive.read_bytes())]
    assert names == [
        "course",
        "course/about",
        "course/about/duration.html",
        "course/about/effort.html",
        "course/about/overview.html",
        "course/about/short_description.html",
        "course/chapter",
        "course/chapter/discover.xml",
        "course/chapter/investigate.xml",
        "course/course",
        "course/course.xml",
        f"course/course/{RUN}.xml",
        "course/html",
        "course/html/discover-situation-welcome-text-2.html",
        "course/html/discover-situation-welcome-text-2.xml",
        "course/html/discover-situation-welcome-text.html",
        "course/html/discover-situation-welcome-text.xml",
        "course/html/investigate-quiz-check-text.html",
        "course/html/investigate-quiz-check-text.xml",
        "course/html/investigate-review-conclude-text.html",
        "course/html/investigate-review-conclude-text.xml",
        "course/html/investigate-test-experiment-text.html",
        "course/html/investigate-test-experiment-text.xml",
        "course/policies",
        f"course/policies/{RUN}",
        f"course/policies/{RUN}/grading_policy.json",
        f"course/policies/{RUN}/policy.json",
        "course/policies/assets.json",
        "course/sequential",
        "course/sequential/discover-situation.xml",
        "course/sequential/investigate-quiz.xml",
        "course/sequential/investigate-review.xml",
        "course/sequential/investigate-test.xml",
        "course/static",
        "course/static/images",
        "course/static/images/card.svg",
        "course/static/images/pond.png",
        "course/vertical",
        "course/vertical/discover-situation-question.xml",
        "course/vertical/discover-situation-welcome.xml",
        "course/vertical/investigate-quiz-check.xml",
        "course/vertical/investigate-review-conclude.xml",
        "course/vertical/investigate-test-experiment.xml",
    ]


def test_outline_xml(files):
    assert xml(files, "course.xml") == f'<course url_name="{RUN}" org="LaMap" course="FLOAT101"/>\n'
    assert xml(files, f"course/{RUN}.xml") == (
        '<course>\n  <chapter url_name="discover"/>\n  <chapter url_name="investigate"/>\n</course>\n'
    )
    assert xml(files, "chapter/discover.xml") == (
        '<chapter display_name="Discover" start="2026-01-05T00:00:00Z">\n'
        '  <sequential url_name="discover-situation"/>\n</chapter>\n'
    )
    assert xml(files, "chapter/investigate.xml") == (
        '<chapter display_name="Investigate">\n  <sequential url_name="investigate-test"/>\n'
        '  <sequential url_name="investigate-review"/>\n  <sequential url_name="investigate-quiz"/>\n</chapter>\n'
    )
    assert xml(files, "sequential/investigate-test.xml") == (
        '<sequential display_name="Test it" graded="true" format="Investigation" due="2026-03-01T12:00:00Z">\n'
        '  <vertical url_name="investigate-test-experiment"/>\n</sequential>\n'
    )
    assert xml(files, "sequential/discover-situation.xml") == (
        '<sequential display_name="The situation">\n  <vertical url_name="discover-situation-welcome"/>\n'
        '  <vertical url_name="discover-situation-question"/>\n</sequential>\n'
    )


def test_vertical_xml_points_to_html_and_holds_the_other_components_inline(files):
    assert xml(files, "vertical/discover-situation-welcome.xml") == (
        '<vertical display_name="Welcome">\n'
        '  <html url_name="discover-situation-welcome-text"/>\n'
        '  <video url_name="discover-situation-welcome-video" display_name="Léa at the pond" '
        'youtube="1.00:dQw4w9WgXcQ" youtube_id_1_0="dQw4w9WgXcQ"/>\n'
        '  <html url_name="discover-situation-welcome-text-2"/>\n'
        '  <discussion url_name="discover-situation-welcome-discussion" display_name="First ideas" '
        'discussion_category="Floating" discussion_target="What did you notice?" '
        'discussion_id="discover-situation-welcome-discussion"/>\n'
        "</vertical>\n"
    )
    vertical = etree.fromstring(files["vertical/discover-situation-question.xml"])
    assert [(child.tag, child.get("url_name")) for child in vertical] == [
        ("lamap_question", "discover-situation-question-ask"),
        ("lamap_hypothesis", "discover-situation-question-hypothesis"),
    ]
    assert vertical[1].attrib == {
        "url_name": "discover-situation-question-hypothesis",
        "xblock-family": "xblock.v1",
        "investigation": "floating",
        "display_name": "Your hypothesis",
        "max_hypotheses": "3",
        "min_hypotheses": "1",
    }
    quiz = etree.fromstring(files["vertical/investigate-quiz-check.xml"])
    assert [child.tag for child in quiz] == ["html", "problem"]
    assert quiz[1].get("max_attempts") == "2"


def test_html_components_are_a_pointer_and_a_file(files):
    assert xml(files, "html/discover-situation-welcome-text-2.xml") == (
        '<html filename="discover-situation-welcome-text-2" display_name="Talk about it"/>\n'
    )
    assert xml(files, "html/discover-situation-welcome-text-2.html") == (
        "<h4>Talk about it</h4>\n<p>Share what you noticed.</p>"
    )
    # an <html> of an olx block is written the same way
    assert xml(files, "html/investigate-quiz-check-text.xml") == (
        '<html filename="investigate-quiz-check-text" display_name="Before the quiz"/>\n'
    )
    assert xml(files, "html/investigate-quiz-check-text.html") == "<p>Two <em>short</em> questions.</p>"


def test_policies_about_and_static(files):
    policy = yaml.safe_load(files[f"policies/{RUN}/policy.json"])  # JSON is YAML
    assert list(policy) == [f"course/{RUN}"]
    assert policy[f"course/{RUN}"]["course_image"] == "images/card.svg"
    grading = yaml.safe_load(files[f"policies/{RUN}/grading_policy.json"])
    assert [(grader["type"], grader["min_count"]) for grader in grading["GRADER"]] == [
        ("Investigation", 2),
        ("Quiz", 1),
    ]
    assert files["policies/assets.json"] == b"{}\n"
    assert files["about/effort.html"] == b"2 hours"
    assert files["static/images/pond.png"] == (GOOD / "static" / "images" / "pond.png").read_bytes()
    assert files["static/images/card.svg"] == (GOOD / "static" / "images" / "card.svg").read_bytes()


# ----- determinism and stable url_names ---------------------------------------------------


def test_tar_entries_have_fixed_dates_owners_and_modes(archive):
    data = archive.read_bytes()
    assert data[4:8] == b"\0\0\0\0", "no gzip timestamp"
    for member in members(data):
        assert (member.mtime, member.uid, member.gid, member.uname, member.gname) == (946684800, 0, 0, "", "")
        assert member.mode == (0o755 if member.isdir() else 0o644), member.name
        assert member.isdir() or member.isfile()


def test_same_sources_give_the_same_bytes_from_anywhere(tmp_path, archive):
    first = writer.archive_bytes(build_files()[1])
    assert first == archive.read_bytes()
    assert writer.archive_bytes(build_files()[1]) == first
    copy = tmp_path / "elsewhere" / "another-name"
    shutil.copytree(GOOD, copy)
    for number, path in enumerate(sorted(copy.rglob("*"))):
        os.utime(path, (1_000_000 + number, 1_500_000_000 + number * 7919))
    assert writer.archive_bytes(build_files(copy)[1]) == first


def test_the_command_gives_the_same_bytes_in_another_process(tmp_path, archive):
    output = tmp_path / "out.tar.gz"
    environment = dict(os.environ, PYTHONHASHSEED="12345")
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # as an author runs it
    result = subprocess.run(
        [sys.executable, "-m", "lamap_xblocks.course.cli", "build", str(GOOD), "-o", str(output), "-q"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert output.read_bytes() == archive.read_bytes()


def test_renumbering_keeps_every_url_name(tmp_path, files):
    moved = tmp_path / "moved"
    shutil.copytree(GOOD, moved)
    content = moved / "content"
    (content / "01-discover").rename(content / "05-discover")
    (content / "02-investigate").rename(content / "07-investigate")
    (content / "07-investigate" / "03-quiz").rename(content / "07-investigate" / "09-quiz")
    situation = content / "05-discover" / "01-situation"
    (situation / "01-welcome.md").rename(situation / "05-welcome.md")  # now after 02-question
    _course, again = build_files(moved)
    assert sorted(again) == sorted(files)
    assert {path for path in files if again[path] != files[path]} == {"sequential/discover-situation.xml"}
    assert xml(again, "sequential/discover-situation.xml") == (
        '<sequential display_name="The situation">\n  <vertical url_name="discover-situation-question"/>\n'
        '  <vertical url_name="discover-situation-welcome"/>\n</sequential>\n'
    )


# ----- olxcleaner ------------------------------------------------------------------------------


def olxcleaner_errors(directory, allowed):
    from olxcleaner import validate
    from olxcleaner.exceptions import ErrorLevel

    _course, errorstore, _url_names = validate(str(directory), steps=8, allowed_xblocks=allowed)
    return [error.description for error in errorstore.errors if error.level_val >= ErrorLevel.ERROR.value]


def test_olxcleaner_finds_no_error(tmp_path, archive):
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")
    assert olxcleaner_errors(tmp_path / "course", list(BLOCK_TYPES)) == []
    # the same validation, not told about our blocks, does look at them
    unknown = olxcleaner_errors(tmp_path / "course", [])
    assert len(unknown) == 5 and all("lamap_" in error for error in unknown), unknown


# ----- round trip ------------------------------------------------------------------------------


def authored_fences():
    """Our blocks' fences in the fixture, in course order: (type, YAML values), code examples left out."""
    found = []
    for path in sorted((GOOD / "content").rglob("*.md")):
        text = re.sub(r"^````.*?^````$", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
        for match in re.finditer(r"^```(lamap_\w+)\n(.*?)^```$", text, flags=re.M | re.S):
            found.append((match.group(1), yaml.safe_load(match.group(2)) or {}))
    return found


def archive_blocks(files):
    """Our blocks' elements in the archive, in outline order, found by following the pointers."""
    found = []
    for chapter in etree.fromstring(files[f"course/{RUN}.xml"]):
        for sequential in etree.fromstring(files[f"chapter/{chapter.get('url_name')}.xml"]):
            for vertical in etree.fromstring(files[f"sequential/{sequential.get('url_name')}.xml"]):
                unit = etree.fromstring(files[f"vertical/{vertical.get('url_name')}.xml"])
                found += [child for child in unit if child.tag.startswith("lamap_")]
    return found


def test_every_block_parses_back_through_xblock_core_to_the_authored_values(files):
    fences = authored_fences()
    elements = archive_blocks(files)
    assert [block_type for block_type, _values in fences] == [element.tag for element in elements]
    assert len(elements) == 5
    for (block_type, values), element in zip(fences, elements, strict=True):
        runtime = TestRuntime(services={"field-data": DictFieldData({})})
        block = runtime.get_block(runtime.parse_xml_string(etree.tostring(element)))
        assert block.scope_ids.block_type == block_type
        specs = block.author_specs()
        explicit = values.pop("id", None)
        if explicit:
            assert element.get("url_name").endswith(f"-{explicit}")
        # The documented YAML convenience: a record's missing parts are blank (see sources.py).
        expected = {
            name: specs[name].clean(with_blank_record_fields(specs[name], value)) for name, value in values.items()
        }
        read_back = {
            name: field.read_from(block)
            for name, field in block.fields.items()
            if field.scope in (Scope.content, Scope.settings) and field.is_set_on(block)
        }
        assert read_back == expected, block_type


def outline(course):
    rows = []
    for chapter in course.chapters:
        rows.append(("chapter", chapter.url_name, chapter.display_name, chapter.start))
        for subsection in chapter.subsections:
            rows.append(("sequential", subsection.url_name, subsection.display_name, subsection.graded_as))
            rows.append(("dates", subsection.start, subsection.due))
            for unit in subsection.units:
                rows.append(("vertical", unit.url_name, unit.display_name))
                rows += [(c.category, c.url_name, c.display_name, c.html) for c in unit.components]
    return rows


def test_reading_the_olx_gives_back_the_sources_course(built):
    sources, files = built
    problems = Problems()
    course = read_olx(files, problems)
    assert [str(problem) for problem in problems] == []
    assert outline(course) == outline(sources)
    assert len(outline(course)) == 29
    assert (course.org, course.number, course.run) == (sources.org, sources.number, sources.run)
    assert course.policy == sources.policy
    assert course.grading == sources.grading
    assert course.about == sources.about
    assert course.static == {path: Path(source).read_bytes() for path, source in sources.static.items()}


# ----- lamap-course check on archives --------------------------------------------------------


def write_archive(path, files):
    path.write_bytes(writer.archive_bytes(files))
    return path


def test_check_a_good_archive_and_an_unpacked_one(tmp_path, archive, capsys):
    assert cli.main(["check", str(archive)]) == 0
    assert capsys.readouterr().out == f"{archive}: no problems found.\n"
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")
    assert cli.main(["check", str(tmp_path), "-q"]) == 0
    assert cli.main(["check", str(tmp_path / "course"), "-q"]) == 0
    assert capsys.readouterr() == ("", "")


def test_check_an_archive_missing_a_sequential(tmp_path, files, capsys):
    damaged = {path: data for path, data in files.items() if path != "sequential/investigate-review.xml"}
    path = write_archive(tmp_path / "damaged.tar.gz", damaged)
    assert cli.main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        'chapter/investigate.xml:3: <sequential url_name="investigate-review"> points to '
        "sequential/investigate-review.xml, which does not exist"
    ) in lines
    assert all(re.match(r"^[\w./-]+:\d+: ", line) for line in lines[:-1]), lines
    assert lines[-1] == f"{len(lines) - 1} problems found."


def test_check_an_archive_missing_an_html_file(tmp_path, files, capsys):
    damaged = {path: data for path, data in files.items() if path != "html/investigate-test-experiment-text.html"}
    path = write_archive(tmp_path / "damaged.tar.gz", damaged)
    assert cli.main(["check", str(path)]) == 1
    assert (
        "html/investigate-test-experiment-text.xml:1: the HTML component's file "
        "html/investigate-test-experiment-text.html does not exist"
    ) in capsys.readouterr().out.splitlines()


def test_check_an_archive_with_a_bad_block_value(tmp_path, files, capsys):
    damaged = dict(files)
    vertical = "vertical/discover-situation-question.xml"
    damaged[vertical] = files[vertical].replace(b'min_hypotheses="1"', b'min_hypotheses="5"')
    path = write_archive(tmp_path / "damaged.tar.gz", damaged)
    assert cli.main(["check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{vertical}:12: lamap_hypothesis 'discover-situation-question-hypothesis': "
        "The minimum number of hypotheses cannot be more than the maximum.",
        "1 problem found.",
    ]


def test_check_something_that_is_not_an_archive(tmp_path, capsys):
    path = tmp_path / "notes.tar.gz"
    path.write_text("not an archive")
    assert cli.main(["check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:1: cannot read the archive: not a .tar.gz (or .tar) file, or a damaged one",
        "1 problem found.",
    ]


def test_archive_files_of_an_unpacked_archive_are_the_built_files(tmp_path, archive, files):
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")
    assert archive_files(tmp_path) == files
    assert archive_files(archive) == files


# ----- writing ---------------------------------------------------------------------------------


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    output = tmp_path / "course.tar.gz"
    output.write_bytes(b"old")

    def refuse(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", refuse)
    problems = Problems()
    assert toolchain.build_archive(GOOD, output, problems) is None
    assert [str(problem) for problem in problems] == [f"{output}:1: cannot write the archive: No space left on device"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["course.tar.gz"]
    assert output.read_bytes() == b"old"


def test_build_to_a_directory_is_a_problem(tmp_path, capsys):
    assert cli.main(["build", str(GOOD), "-o", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path}:1: cannot write the archive: Is a directory",
        "1 problem found.",
        "No archive written.",
    ]
    assert list(tmp_path.iterdir()) == []


# ----- the command line ------------------------------------------------------------------------


def test_help_of_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "lamap_xblocks.course.cli", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: lamap-course")
    for command in ("build", "check", "preview"):
        assert re.search(rf"^\s+{command}\s+\w", result.stdout, flags=re.M), command


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("build", ["-o OUTPUT, --output OUTPUT", "-q, --quiet", "byte", "url_name"]),
        ("check", ["--allow TYPE", "--warnings", "-q, --quiet", "olxcleaner", "file:line: message"]),
        ("preview", ["--host HOST", "--port PORT", "--data-dir DATA_DIR"]),
    ],
)
def test_help_of_each_subcommand(command, options, capsys):
    with pytest.raises(SystemExit) as exit_status:
        cli.main([command, "--help"])
    assert exit_status.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert text.startswith(f"usage: lamap-course {command}")
    for option in options:
        assert option in text, option


def large_course(root, units):
    """A valid course of ``units`` one-paragraph units, ten per subsection."""
    shutil.copytree(GOOD, root, ignore=shutil.ignore_patterns("content"))
    text = (root / "course.yaml").read_text(encoding="utf-8")
    (root / "course.yaml").write_text(text[: text.index("grading:")], encoding="utf-8")
    for number in range(units):
        subsection = root / "content" / "01-part" / f"{number // 10:02d}-set-{number // 10}"
        if not subsection.exists():
            subsection.mkdir(parents=True)
            (subsection / "subsection.yaml").write_text(f"title: Set {number // 10}\n", encoding="utf-8")
        (subsection / f"{number:03d}-unit-{number}.md").write_text(
            f"---\ntitle: Unit {number}\n---\nText {number}.\n", "utf-8"
        )
    (root / "content" / "01-part" / "chapter.yaml").write_text("title: Part\n", encoding="utf-8")


def test_progress_on_long_builds_and_quiet(tmp_path, capsys):
    source = tmp_path / "big"
    large_course(source, 120)
    output = tmp_path / "big.tar.gz"
    assert cli.main(["build", str(source), "-o", str(output)]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0] == "Reading: 1/120 units"
    assert lines[-1] == "Reading: 120/120 units"
    assert len(lines) >= 10 and all(re.fullmatch(r"Reading: \d+/120 units", line) for line in lines)
    assert re.fullmatch(rf"Built {re.escape(str(output))} \(\d+ KB\) in \d+\.\d\d s\n", captured.out)
    built = read_sources(source, Problems())
    assert built.unit_count() == 120

    assert cli.main(["build", str(source), "-o", str(output), "-q"]) == 0
    assert capsys.readouterr() == ("", "")


def test_no_progress_on_short_builds(tmp_path, capsys):
    assert cli.main(["build", str(GOOD), "-o", str(tmp_path / "good.tar.gz")]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith(f"Built {tmp_path / 'good.tar.gz'} (")


def test_the_default_output_is_dist_slug(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", str(GOOD), "-q"]) == 0
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*")) == ["dist", "dist/good.tar.gz"]


def pointer_form(files, url_name, block_type="lamap_question", keep_file=True):
    """The built files with one of our blocks moved to the pointer form (definition in its own file)."""
    files = dict(files)
    for path, data in files.items():
        if not path.startswith("vertical/"):
            continue
        page = etree.fromstring(data)
        for element in page.iter(block_type):
            if element.get("url_name") != url_name:
                continue
            definition = etree.tostring(element)
            pointer = etree.Element(block_type, url_name=url_name)
            element.getparent().replace(element, pointer)
            files[path] = etree.tostring(page)
            if keep_file:
                files[f"{block_type}/{url_name}.xml"] = definition
            return files, definition
    raise AssertionError(f"no {block_type} {url_name}")


def test_the_check_and_the_blocks_read_the_pointer_form_alike(files, tmp_path):
    """One reading of OLX: `lamap-course check` and the block's parse_xml agree on a pointer."""
    url_name = "discover-situation-question-ask"
    pointed, definition = pointer_form(files, url_name)
    write_archive(tmp_path / "course.tar.gz", pointed)
    problems = Problems()
    toolchain.check(tmp_path / "course.tar.gz", problems)
    assert [str(problem) for problem in problems] == []
    course, _files = toolchain.load(tmp_path / "course.tar.gz", Problems())
    check_blocks(course, Problems())  # what the check read of each block
    checked = next(component for _unit, component in course.components() if component.url_name == url_name)

    class CourseFiles:
        def open(self, path, mode="r"):
            return io.BytesIO(pointed[path])

    runtime = TestRuntime(services={"field-data": DictFieldData({})})
    runtime.resources_fs = CourseFiles()
    block = runtime.get_block(runtime.parse_xml_string(f'<lamap_question url_name="{url_name}"/>'.encode()))
    parsed = {name: getattr(block, name) for name in block.editable_fields if block.fields[name].is_set_on(block)}
    assert parsed == checked.fields and parsed["display_name"] == "What floats?"
    assert b"What floats?" in definition


def test_a_pointer_to_a_missing_file_is_a_problem_for_the_check_too(files, tmp_path):
    pointed, _definition = pointer_form(files, "discover-situation-question-ask", keep_file=False)
    write_archive(tmp_path / "course.tar.gz", pointed)
    problems = Problems()
    toolchain.check(tmp_path / "course.tar.gz", problems)
    assert any("lamap_question/discover-situation-question-ask.xml, which does not exist" in str(p) for p in problems)
