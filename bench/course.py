"""
Cost of the course toolchain as a course grows: synthetic courses of 10, 100 and 1,000 units.

    .venv/bin/python bench/course.py [--sizes 10 100 1000] [--repeat 3]

Each course is generated in a temporary directory as an author writes one: ten units per
subsection, ten subsections per chapter; each unit has a front matter, a heading, a
paragraph with a link and an image, a list, and one inquiry step (question, hypothesis,
experiment, argumentation in turn, four units sharing an investigation key), so that the
course is valid. For each size, after one warm-up run: the median time of building the
archive in memory and writing it (``toolchain.build``, ``writer.archive_bytes``,
``writer.write_atomically``, as ``lamap-course build`` does), and of checking that archive
(``toolchain.check``: read back, every block parsed as an import would, the course checks,
olxcleaner), with the archive's size. Ratios are to the previous size (10 times fewer
units): a cost linear in size gives about 10. A benchmark, not a test: the figures depend
on the machine; compare runs made on the same one.

Then, for translation (``lamap-course translate``), on the same courses: extracting the
catalogs, updating them after the upstream changed nothing, and building the course
translated (every message translated: the sources written translated, then built), with
its ratio to the untranslated build of the same course (the goal: at most 1.5).
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lamap_xblocks.course import toolchain, translate  # noqa: E402
from lamap_xblocks.course.model import Problems  # noqa: E402
from lamap_xblocks.course.writer import archive_bytes, write_atomically  # noqa: E402

UNITS_PER_SUBSECTION = 10
SUBSECTIONS_PER_CHAPTER = 10
STEPS = ("question", "hypothesis", "experiment", "argumentation")
OBJECTS = ("wooden ruler", "steel key", "apple", "plastic bottle", "glass marble", "cork", "coin", "ice cube")

COURSE_YAML = """\
title: Floating and sinking, {units} units
org: LaMap
number: BENCH{units}
run: "2026"
language: en
start: 2026-01-05
end: 2026-06-30
image: images/card.svg
about:
  short_description: A synthetic course for the toolchain's benchmark.
  overview: |
    Live **{investigations}** short investigations about floating and sinking.
  effort: {units} hours
  learning_outcomes:
    - Ask a question that can be tested
    - Plan a fair test
grading:
  pass: 0.5
  assignment_types:
    - name: Investigation
      short_label: Inv
      weight: 1
"""

BLOCKS = {
    "question": """\
```lamap_question
display_name: What happens to the {thing}?
investigation: {key}
situation: |
  Léa drops a {thing} into a basin of water.
  She looks at it closely.
image_url: /static/images/basin.png
image_alt: A {thing} in a basin of water
reference_questions:
  - Does the {thing} float because it is light?
  - Does its shape matter?
min_questions: 2
```
""",
    "hypothesis": """\
```lamap_hypothesis
display_name: Why does the {thing} float or sink?
investigation: {key}
min_hypotheses: 1
max_hypotheses: 3
```
""",
    "experiment": """\
```lamap_experiment
display_name: Test the {thing}
investigation: {key}
columns:
  - {{key: object, name: Object, unit: "", type: text}}
  - {{key: mass, name: Mass, unit: g, type: number}}
  - {{key: floats, name: Floats?, unit: "", type: text}}
show_chart: true
required_checks: [one_variable, prediction_first]
```
""",
    "argumentation": """\
```lamap_argumentation
display_name: What do you conclude about the {thing}?
investigation: {key}
criteria:
  - The claim answers the question
  - The evidence comes from the table
min_evidence: 1
max_evidence: 3
```
""",
}

UNIT = """\
---
title: Unit {number} - the {thing}
---
# Observing the {thing}

Léa puts the {thing} in the water and watches what happens. Read about
[buoyancy](https://en.wikipedia.org/wiki/Buoyancy) before you start, then look:

![A {thing} in a basin of water](/static/images/basin.png)

- Note what you see.
- Compare it with the previous object.
- Write down one question you still have.

{blocks}"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="378" height="225"><rect width="378" height="225"/></svg>\n'


def steps_of(unit, units):
    """The steps unit ``unit`` holds: one, except a last unit that completes its investigation."""
    first = unit - unit % len(STEPS)
    if unit == units - 1 and units - first < len(STEPS):
        return STEPS[unit - first :]
    return (STEPS[unit % len(STEPS)],)


def generate(root, units):
    """A valid course of ``units`` units in ``root``, laid out as an author's sources."""
    root = Path(root)
    (root / "static" / "images").mkdir(parents=True)
    (root / "static" / "images" / "card.svg").write_text(SVG, encoding="utf-8")
    (root / "static" / "images" / "basin.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    investigations = (units + len(STEPS) - 1) // len(STEPS)
    (root / "course.yaml").write_text(COURSE_YAML.format(units=units, investigations=investigations), encoding="utf-8")
    per_chapter = UNITS_PER_SUBSECTION * SUBSECTIONS_PER_CHAPTER
    for unit in range(units):
        chapter, subsection = unit // per_chapter, unit // UNITS_PER_SUBSECTION % SUBSECTIONS_PER_CHAPTER
        chapter_dir = root / "content" / f"{chapter + 1:02d}-part-{chapter + 1}"
        subsection_dir = chapter_dir / f"{subsection + 1:02d}-investigations-{subsection + 1}"
        if not subsection_dir.exists():
            subsection_dir.mkdir(parents=True)
            (chapter_dir / "chapter.yaml").write_text(f"title: Part {chapter + 1}\n", encoding="utf-8")
            graded = "graded: Investigation\n" if subsection % 2 == 0 else ""
            (subsection_dir / "subsection.yaml").write_text(
                f"title: Investigations {chapter + 1}.{subsection + 1}\n{graded}", encoding="utf-8"
            )
        thing = OBJECTS[unit // len(STEPS) % len(OBJECTS)]
        key = f"inv-{unit // len(STEPS) + 1}"
        blocks = "\n".join(BLOCKS[step].format(thing=thing, key=key) for step in steps_of(unit, units))
        text = UNIT.format(number=unit + 1, thing=thing, blocks=blocks)
        (subsection_dir / f"{unit % UNITS_PER_SUBSECTION + 1:02d}-unit-{unit + 1}.md").write_text(
            text, encoding="utf-8"
        )


def build(source, output):
    problems = Problems()
    _course, files = toolchain.build(source, problems)
    if files is None:
        raise SystemExit("the synthetic course has problems:\n" + "\n".join(str(p) for p in problems.sorted()))
    data = archive_bytes(files)
    write_atomically(output, data)
    return len(data)


def check(archive):
    problems = Problems()
    toolchain.check(archive, problems)
    if problems:
        raise SystemExit("the archive has problems:\n" + "\n".join(str(p) for p in problems.sorted()))


def translated_copy(source, adapted):
    """An adapted course of ``source`` whose every message is translated (its words in capitals)."""
    import polib  # noqa: PLC0415

    translate.start(source, adapted, "es_419")
    for path in translate.catalog_paths(adapted):
        catalog = polib.pofile(str(path), wrapwidth=0)
        for entry in catalog:
            parts = translate.PLACEHOLDER_LIKE.split(entry.msgid)
            marks = translate.PLACEHOLDER_LIKE.findall(entry.msgid) + [""]
            entry.msgstr = "".join(part.upper() + mark for part, mark in zip(parts, marks, strict=True))
        catalog.save(str(path))


def extract(source, adapted):
    shutil.rmtree(adapted, ignore_errors=True)
    translate.start(source, adapted, "es_419")


def translated_build(adapted, folder, output):
    built = translate.materialize(adapted, folder)
    return build(built.folder, output)


def timed(function, repeat):
    function()  # warm-up: imports, the blocks' classes, olxcleaner
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ratio(value, previous):
    return f"{value / previous:6.1f}" if previous else f"{'':6}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000], help="numbers of units")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure (the median is shown)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lamap-bench-course-"))
    rows, translations = [], []
    try:
        for units in args.sizes:
            source, archive = work / f"course-{units}", work / f"course-{units}.tar.gz"
            generate(source, units)
            size = build(source, archive)
            build_time = timed(lambda source=source, archive=archive: build(source, archive), args.repeat)
            check_time = timed(lambda archive=archive: check(archive), args.repeat)
            rows.append((units, build_time, check_time, size / 1024))
            adapted, scratch = work / f"course-{units}-es", work / f"course-{units}-scratch"
            extract_time = timed(lambda source=source, scratch=scratch: extract(source, scratch), args.repeat)
            translated_copy(source, adapted)
            update_time = timed(lambda adapted=adapted: translate.update(adapted), args.repeat)
            cold = time.perf_counter()  # the first translated build: nothing in the cache yet
            translated_build(adapted, work / f"course-{units}-built", work / f"course-{units}-es.tar.gz")
            cold_time = time.perf_counter() - cold
            translated_time = timed(
                lambda adapted=adapted, units=units: translated_build(
                    adapted, work / f"course-{units}-built", work / f"course-{units}-es.tar.gz"
                ),
                args.repeat,
            )
            translations.append((units, extract_time, update_time, translated_time, build_time, cold_time))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"lamap-course on synthetic courses; median of {args.repeat} runs after a warm-up")
    print("build: sources to a written .tar.gz; check: the archive read back, blocks parsed, olxcleaner")
    print("x: ratio to the previous size (a cost linear in the number of units gives its ratio of units)")
    header = ("units", "build s", "x", "check s", "x", "archive KB", "x")
    print("{:>7} {:>9} {:>6} {:>9} {:>6} {:>11} {:>6}".format(*header))
    previous = None
    for units, build_time, check_time, kilobytes in rows:
        print(
            f"{units:7d} {build_time:9.3f} {ratio(build_time, previous and previous[1])} "
            f"{check_time:9.3f} {ratio(check_time, previous and previous[2])} "
            f"{kilobytes:11.1f} {ratio(kilobytes, previous and previous[3])}"
        )
        previous = (units, build_time, check_time, kilobytes)

    print()
    print("translate: extract the catalogs; update them (nothing changed upstream); build the course translated")
    print("translated / plain: the translated build's time over the untranslated build's (goal: at most 1.5);")
    print("  cold: the first translated build, before .build/cache holds the translated files (one run)")
    header = ("units", "extract s", "x", "update s", "x", "translated s", "x", "translated / plain", "cold / plain")
    print("{:>7} {:>10} {:>6} {:>9} {:>6} {:>13} {:>6} {:>19} {:>13}".format(*header))
    previous = None
    for units, extract_time, update_time, translated_time, build_time, cold_time in translations:
        print(
            f"{units:7d} {extract_time:10.3f} {ratio(extract_time, previous and previous[1])} "
            f"{update_time:9.3f} {ratio(update_time, previous and previous[2])} "
            f"{translated_time:13.3f} {ratio(translated_time, previous and previous[3])} "
            f"{translated_time / build_time:19.2f} {cold_time / build_time:13.2f}"
        )
        previous = (units, extract_time, update_time, translated_time)


if __name__ == "__main__":
    main()
