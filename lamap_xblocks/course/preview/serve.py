"""
``lamap-course preview PATH``: load the course (sources are built in memory, an archive
or an OLX directory is read as is); on any problem print them all as ``file:line:
message`` and stop. Otherwise the Django server takes over the process: its settings
are the preview's, its database is in ``--data-dir`` (default ``var/preview/<org>-
<number>-<run>``), and it loads the course once more, in Django's configuration.

The checking process configures Django for the toolchain, and Django's configuration is
set once per process: the server replaces it (``exec``), keeping its process id, so
Ctrl+C and a ``kill`` reach the server itself.
"""

import argparse
import os
import sys
from pathlib import Path

SETTINGS = "lamap_xblocks.course.preview.settings"
EXIT_PROBLEMS = 1


def default_data_dir(course):
    return Path("var") / "preview" / f"{course.org}-{course.number}-{course.run}"


def report(problems):
    from ..cli import report as print_problems

    print_problems(problems, sys.stderr)
    sys.stderr.write("Nothing served.\n")


def serve(path, host="127.0.0.1", port="8000", data_dir=None, class_size=0):
    """
    Check the course, then serve it until Ctrl+C (this process becomes the server). 1 on
    problems. ``class_size``: that many sample learners work through the investigations first.
    """
    from ..model import Problems
    from ..toolchain import load

    problems = Problems()
    course, _files = load(path, problems)
    if course is None or problems:
        report(problems)
        return EXIT_PROBLEMS
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        LAMAP_PREVIEW_COURSE=str(Path(path).resolve()),
        LAMAP_VAR_DIR=str(Path(data_dir or default_data_dir(course)).resolve()),
    )
    sys.stdout.flush()
    sys.stderr.flush()
    command = [sys.executable, "-m", "lamap_xblocks.course.preview.serve", "--host", str(host), "--port", str(port)]
    if class_size:
        command += ["--class", str(class_size)]
    os.execve(sys.executable, command, environment)
    return 0  # not reached: the server has replaced this process


def main(argv=None):
    """The server: the course loaded in the preview's Django settings, the database migrated, then runserver."""
    parser = argparse.ArgumentParser(prog="python -m lamap_xblocks.course.preview.serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--class", dest="class_size", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
    from ...demo.__main__ import run_server
    from .course import CourseProblems, current

    try:
        current()
    except CourseProblems as err:  # changed since it was checked
        report(err.problems)
        return EXIT_PROBLEMS
    run_server(args.host, args.port, "lamap-course preview", prepare=lambda: fill_class(args.class_size))
    return 0


def fill_class(size):
    """``--class N``: N sample learners through the course's investigations, before the first page."""
    if size <= 0:
        return
    from .course import current
    from .sample_class import NAME, fill

    for investigation, counts in fill(current(), size).items():
        print(
            f"sample class in {investigation}: {counts['submitted']} steps submitted, {counts['drafts']} drafts, "
            f"{counts['refused']} plans refused as unfair (kept as drafts)",
            flush=True,
        )
    print(f"learners {NAME.format(number=1)} to {NAME.format(number=size)}; the dashboard: any notebook as staff")


if __name__ == "__main__":
    sys.exit(main())
