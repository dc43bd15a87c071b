"""
``lamap-course``: build course sources into an OLX archive Studio imports, check sources
or an archive, preview a course locally, write its printable kit or an offline copy,
translate and adapt a course and follow its upstream. ``lamap-course <command> --help``
for each. Every command that reads sources also takes an adapted course (adaptation.yaml):
its translated sources are written to <course>/.build/ first.

The report goes to standard output: warnings and problems as ``file:line: message``,
all of them, paths relative to the current directory as compilers print them, then a
count ("3 problems found.") or "no problems found". The exit status says which: 0 for no
problem, 1 for problems (a build with any problem writes no archive), 2 for a usage
error (on standard error, from argparse). Progress of long builds goes to standard error.
"""

import argparse
import atexit
import functools
import os
import shutil
import sys
import time
from pathlib import Path

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class Progress:
    """Progress of a long build on stderr: a line every tenth of the units, from 100 units up."""

    def __init__(self, stream, label, enabled=True):
        self.stream = stream
        self.label = label
        self.enabled = enabled
        self.next_report = 0

    def __call__(self, done, total):
        if not self.enabled or total < 100:
            return
        if done >= self.next_report or done == total:
            self.stream.write(f"{self.label}: {done}/{total} units\n")
            self.stream.flush()
            self.next_report = done + max(total // 10, 1)


def report_warnings(problems, stream):
    """The blocks' warnings (what Studio would show on the unit page): reported, never fatal."""
    for warning in problems.sorted_warnings():
        stream.write(f"{warning}\n")


def report(problems, stream):
    """Every problem by file and line, then their count."""
    for problem in problems.sorted():
        stream.write(f"{problem}\n")
    count = len(problems)
    stream.write(f"{count} problem{'s' if count != 1 else ''} found.\n")


def nothing_written(problems, result, what):
    """After a command that writes something: the warnings; and when it wrote nothing, why (True)."""
    report_warnings(problems, sys.stdout)
    if result is not None:
        return False
    report(problems, sys.stdout)
    sys.stdout.write(f"No {what} written.\n")
    return True


def new_problems(path):
    """The problems of one run on the course at ``path``, its paths printed from the current directory."""
    from .model import Problems
    from .toolchain import printed_paths

    return Problems(printed_paths(path))


def default_output(source):
    return Path("dist") / f"{Path(source).resolve().name}.tar.gz"


def sources_of(path, strict=False, quiet=False):
    """
    The sources to read at ``path``: an adapted course's translated sources (written to
    <path>/.build/, its untranslated messages listed), or ``path`` itself. None when a
    catalog is broken (said on standard output as file:line: message).
    """
    import tempfile

    from .translate import BUILD_DIR, TranslationError, is_adapted, materialize

    if not is_adapted(path):
        return path
    # A folder of this run's own: two commands at once (two translators building) never share one.
    (Path(path) / BUILD_DIR).mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=Path(path) / BUILD_DIR))
    atexit.register(shutil.rmtree, folder, True)
    try:
        built = materialize(path, folder / "sources", strict=strict)
    except TranslationError as err:
        sys.stdout.write(f"{err}\n")
        sys.stdout.write("Nothing built.\n")
        return None
    upstream = Path(os.path.relpath(built.upstream))
    for message in built.untranslated:
        where = f"{upstream / message.path}:{message.line}"
        sys.stdout.write(f"{where}: warning: untranslated ({message.context}): {message.source[:70]!r}\n")
    if not quiet:
        count = len(built.untranslated)
        print(f"Translated sources in {built.folder} ({built.translated} messages translated, {count} untranslated)")
    return built.folder


def command_build(args):
    from .toolchain import build_archive

    source = sources_of(args.source, strict=args.strict, quiet=args.quiet)
    if source is None:
        return EXIT_PROBLEMS
    problems = new_problems(source)
    output = Path(args.output) if args.output else default_output(args.source)
    started = time.perf_counter()
    size = build_archive(source, output, problems, Progress(sys.stderr, "Reading", not args.quiet))
    if nothing_written(problems, size, "archive"):
        return EXIT_PROBLEMS
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(f"Built {output} ({size / 1024:.0f} KB) in {elapsed:.2f} s")
    return 0


def command_check(args):
    from .model import shown_path
    from .toolchain import check

    path = sources_of(args.path, quiet=True)
    if path is None:
        return EXIT_PROBLEMS
    problems = new_problems(path)
    warnings = check(path, problems, allowed=args.allow, progress=Progress(sys.stderr, "Reading", not args.quiet))
    report_warnings(problems, sys.stdout)
    if args.warnings:
        for warning in warnings:
            sys.stdout.write(f"{warning}\n")
    if problems:
        report(problems, sys.stdout)
        return EXIT_PROBLEMS
    if not args.quiet:
        note = (
            f" ({len(warnings)} olxcleaner warning{'s' if len(warnings) != 1 else ''}; --warnings lists them)"
            if warnings and not args.warnings
            else ""
        )
        print(f"{shown_path(args.path)}: no problems found{note}.")
    return 0


def command_kit(args):
    from .kit import PdfUnavailable, build_kit

    source = sources_of(args.source, quiet=True)
    if source is None:
        return EXIT_PROBLEMS
    problems = new_problems(source)
    output = Path(args.output) if args.output else Path("dist") / f"{Path(args.source).resolve().name}-kit"
    try:
        built = build_kit(source, output, problems, pdf=args.pdf)
    except PdfUnavailable as err:
        sys.stdout.write(f"{err}\n")
        return EXIT_PROBLEMS
    if nothing_written(problems, built, "kit"):
        return EXIT_PROBLEMS
    if not args.quiet:
        pdfs = ""
        if built.pdfs:
            pages = sum(count for name, count in built.pdfs.items() if name != "kit.pdf")
            pdfs = f", {len(built.pdfs)} PDF files ({pages} pages)"
        print(f"Wrote {output}: {len(built.pages)} pages{pdfs}, in {built.seconds:.2f} s")
    return 0


def command_offline(args):
    from .offline import build_offline

    path = sources_of(args.path, quiet=True)
    if path is None:
        return EXIT_PROBLEMS
    problems = new_problems(path)
    output = Path(args.output) if args.output else Path("dist") / f"{Path(args.path).resolve().name}-offline"
    built = build_offline(path, output, problems)
    if nothing_written(problems, built, "offline copy"):
        return EXIT_PROBLEMS
    if not args.quiet:
        print(f"Wrote {output}: {len(built.pages)} pages, in {built.seconds:.2f} s")
    return 0


def command_preview(args):
    from .preview.serve import serve

    path = sources_of(args.path)
    if path is None:
        return EXIT_PROBLEMS
    return serve(path, host=args.host, port=args.port, data_dir=args.data_dir, class_size=args.class_size)


def parser():
    main = argparse.ArgumentParser(
        prog="lamap-course",
        description="Build, check and preview Open edX courses written as lamap-xblocks course sources.",
    )
    commands = main.add_subparsers(dest="command", metavar="command", required=True)

    build = commands.add_parser(
        "build",
        help="build course sources into an OLX archive for Studio's import",
        description="Build courses/<slug> into an OLX .tar.gz archive. The same sources always give the "
        "same bytes; url_names come from the source paths, so a re-import updates the course in place.",
    )
    build.add_argument("source", help="the course's source directory, e.g. courses/example")
    build.add_argument("-o", "--output", help="the archive to write (default: dist/<slug>.tar.gz)")
    build.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    build.add_argument("--strict", action="store_true", help="an adapted course: fail when a message is not translated")
    build.set_defaults(run=command_build)

    check = commands.add_parser(
        "check",
        help="check course sources or an OLX archive",
        description="Check course sources or an OLX archive (.tar.gz or directory): fields against each "
        "block's own rules, static files, alt text, url_names, references, investigations, and "
        "olxcleaner. Prints file:line: message for each problem (paths from the current directory) and "
        "their count on standard output; exit status 1 when there is any, 0 when there is none.",
    )
    check.add_argument("path", help="courses/<slug>, an OLX .tar.gz, or an unpacked OLX directory")
    check.add_argument(
        "--allow", action="append", default=[], metavar="TYPE", help="another component type the site has installed"
    )
    check.add_argument("--warnings", action="store_true", help="list olxcleaner's warnings too")
    check.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    check.set_defaults(run=command_check)

    preview = commands.add_parser(
        "preview",
        help="serve a local preview of a course as a learner sees it",
        description="Serve the course locally: its outline, units with previous/next navigation, our "
        "blocks live on the XBlock workbench runtime (sqlite), and a switcher to act as several "
        "learners. Takes sources (built in memory) or an OLX archive.",
    )
    preview.add_argument("path", help="courses/<slug> or an OLX .tar.gz")
    preview.add_argument("--host", default="127.0.0.1")
    preview.add_argument("--port", default=os.environ.get("PORT", "8000"))
    preview.add_argument(
        "--data-dir", help="where the preview keeps its database (default: var/preview/<course>)", default=None
    )
    preview.add_argument(
        "--class",
        dest="class_size",
        type=int,
        default=0,
        metavar="N",
        help="first let N sample learners (class-01...) work through the investigations, for the staff dashboard",
    )
    preview.set_defaults(run=command_preview)

    kit = commands.add_parser(
        "kit",
        help="print-ready pages (and PDF) for training face to face",
        description="Write the printable kit of course sources: the facilitator guide (facilitator/*.md), what "
        "facilitator/kit.yaml lists from the units (pupils' work as cards, an observation grid, a session-plan "
        "template, lesson accounts) and a worksheet for each inquiry block, one A4 HTML page each, with an "
        "index.html. --pdf also writes each page as a PDF in pdf/, and the whole kit in pdf/kit.pdf.",
    )
    kit.add_argument("source", help="the course's source directory, e.g. courses/inquiry-trainers-en")
    kit.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="the folder to write, new or written by kit before (default: dist/<slug>-kit)",
    )
    kit.add_argument("--pdf", action="store_true", help="also write PDFs (needs WeasyPrint)")
    kit.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    kit.set_defaults(run=command_kit)

    offline = commands.add_parser(
        "offline",
        help="write a copy of the course to read offline",
        description="Write static HTML pages of a course to read without a connection, from a folder or a zip: an "
        "index, one page per unit with previous/next links, the images, and each inquiry block's printable "
        "worksheet in place of the interactive block.",
    )
    offline.add_argument("path", help="courses/<slug> or an OLX .tar.gz")
    offline.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="the folder to write, new or written by offline before (default: dist/<slug>-offline); "
        "a name ending in .zip writes a zip file",
    )
    offline.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    offline.set_defaults(run=command_offline)
    add_translate_commands(commands)
    return main


def reports_translation_errors(command):
    """A translate/upstream command: a TranslationError (file:line: message lines) is printed and exits 1."""

    @functools.wraps(command)
    def run(args):
        from .translate import TranslationError

        try:
            return command(args)
        except TranslationError as err:
            count = len(str(err).split("\n"))
            sys.stdout.write(f"{err}\n{count} problem{'s' if count != 1 else ''} found.\n")
            return EXIT_PROBLEMS

    return run


@reports_translation_errors
def command_extract(args):
    from .translate import start

    messages = start(args.upstream, args.output, args.language, single=args.single)
    words = sum(len(message.source.split()) for message in messages)
    catalogs = len({message.catalog for message in messages})
    print(f"Wrote {len(messages)} messages ({words} words) in {catalogs} catalogs to {Path(args.output) / 'locale'}")
    return 0


@reports_translation_errors
def command_update(args):
    from .translate import update

    counts = update(args.course)
    print(
        f"{counts['messages']} messages: {counts['new']} new, {counts['fuzzy']} fuzzy (their source changed: "
        f"the previous one is shown), {counts['obsolete']} obsolete"
    )
    return 0


@reports_translation_errors
def command_status(args):
    from .translate import status

    rows = status(args.course)
    width = max((len(row[0]) for row in rows), default=10)
    print(f"{'unit':<{width}}  translated  fuzzy  untranslated")
    for unit, done, fuzzy, missing in rows:
        print(f"{unit:<{width}}  {done:>10}  {fuzzy:>5}  {missing:>12}")
    totals = [sum(row[index] for row in rows) for index in (1, 2, 3)]
    print(f"{'total':<{width}}  {totals[0]:>10}  {totals[1]:>5}  {totals[2]:>12}")
    return 0 if not (totals[1] or totals[2]) or not args.strict else EXIT_PROBLEMS


@reports_translation_errors
def command_catalogs(args):
    from .translate import translations

    found = translations(args.course)
    print(f"{len(found)} translations checked: no problems found.")
    return 0


@reports_translation_errors
def command_upstream_status(args):
    from .translate import upstream_changes

    changes = upstream_changes(args.course)
    for path, how, note in changes:
        print(f"{how:<8} {path}" + (f"  ({note})" if note else ""))
    print(f"{len(changes)} upstream file{'s' if len(changes) != 1 else ''} changed since this adaptation followed it.")
    return 0


@reports_translation_errors
def command_upstream_accept(args):
    from .translate import accept

    accept(args.course, args.paths)
    print(f"Recorded: {len(args.paths)} replaced file(s) follow the upstream's current version.")
    return 0


def add_translate_commands(commands):
    translate = commands.add_parser(
        "translate",
        help="translate and adapt a course: catalogs, their update and status, the translated build",
        description="Translate a course into an adapted course: PO catalogs of every text a learner reads, kept "
        "in step with the upstream, built into the same outline and url_names in another language.",
    )
    steps = translate.add_subparsers(dest="step", metavar="step", required=True)
    extract = steps.add_parser("extract", help="start an adapted course: its adaptation.yaml and its catalogs")
    extract.add_argument("upstream", help="the course to translate, e.g. courses/inquiry-trainers-en")
    extract.add_argument("-l", "--language", required=True, help="the language: es_419, pt_BR, ar...")
    extract.add_argument("-o", "--output", required=True, help="the adapted course's folder, e.g. courses/x-es")
    extract.add_argument(
        "--single", action="store_true", help="one catalog for the whole course (default: one per chapter)"
    )
    extract.set_defaults(run=command_extract)
    update = steps.add_parser("update", help="bring the catalogs in step with the upstream (changed: fuzzy)")
    update.add_argument("course", help="the adapted course's folder")
    update.set_defaults(run=command_update)
    status = steps.add_parser("status", help="translated, fuzzy and untranslated messages per unit")
    status.add_argument("course", help="the adapted course's folder")
    status.add_argument("--strict", action="store_true", help="exit 1 unless everything is translated")
    status.set_defaults(run=command_status)
    checked = steps.add_parser("check", help="check the catalogs: readable, placeholders kept, one line kept one line")
    checked.add_argument("course", help="the adapted course's folder")
    checked.set_defaults(run=command_catalogs)
    build = steps.add_parser("build", help="build the translated course (as 'lamap-course build' does)")
    build.add_argument("source", help="the adapted course's folder")
    build.add_argument("-o", "--output", help="the archive to write (default: dist/<slug>.tar.gz)")
    build.add_argument("--strict", action="store_true", help="fail when a message is not translated")
    build.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    build.set_defaults(run=command_build)

    upstream = commands.add_parser(
        "upstream",
        help="what changed upstream since an adapted course followed it",
        description="Compare an adapted course's upstream with the version it last followed (upstream.lock).",
    )
    actions = upstream.add_subparsers(dest="action", metavar="action", required=True)
    changed = actions.add_parser("status", help="the upstream files changed since, replaced ones marked")
    changed.add_argument("course", help="the adapted course's folder")
    changed.set_defaults(run=command_upstream_status)
    reviewed = actions.add_parser("accept", help="your replacement of these upstream files follows them now")
    reviewed.add_argument("course", help="the adapted course's folder")
    reviewed.add_argument("paths", nargs="+", help="upstream paths, e.g. content/02-floating/01-situation/01-a.md")
    reviewed.set_defaults(run=command_upstream_accept)


def main(argv=None):
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
