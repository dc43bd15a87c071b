"""
What ``lamap-course`` does, as plain functions that tests and the benchmark call:
load a course from sources or OLX, build its archive, check it.
"""

import dataclasses
import tarfile
from pathlib import Path

from .checks import check_course, olxcleaner_problems
from .model import Origin, Problems, course_paths
from .reader import archive_files, read_olx
from .runtime import setup_django
from .sources import COURSE_FILE, read_sources
from .writer import archive_bytes, olx_files, write_atomically


def is_sources(path):
    return Path(path).is_dir() and (Path(path) / COURSE_FILE).is_file()


def printed_paths(path):
    """
    How problems of the course at ``path`` name their files: relative to the current
    directory, as compilers print them (``courses/x/content/...`` from the repository,
    ``content/...`` from the course's folder). In a .tar.gz, a file's path in the archive.
    """
    path = Path(path)
    if is_sources(path) or not path.is_dir():
        return course_paths(path if path.is_dir() else None)
    # An unpacked archive: the paths are relative to the folder holding course.xml.
    found = sorted(path.rglob("course.xml"), key=lambda item: len(item.parts))
    return course_paths(found[0].parent if found else path)


def build(source_dir, problems, progress=None):
    """Sources to ``(course, files)``; files is None when there is any problem (nothing to write)."""
    setup_django()
    course = read_sources(source_dir, problems, progress)
    if course is None:
        return None, None
    check_course(course, problems)
    if problems:
        return course, None
    return course, olx_files(course)


def build_archive(source_dir, output, problems, progress=None):
    """Build and write the archive; returns its size in bytes, or None (and no file) on any problem."""
    _course, files = build(source_dir, problems, progress)
    if files is None:
        return None
    data = archive_bytes(files)
    try:
        write_atomically(output, data)
    except OSError as err:  # a directory, no permission, a full disk: reported like any other problem
        problems.add(Origin.of_file(output), f"cannot write the archive: {err.strerror or err}")
        return None
    return len(data)


def load(path, problems, progress=None):
    """
    A course from sources or OLX (an archive or an unpacked directory), as the model and
    its OLX files. Sources are built in memory first, then read back from that OLX.
    """
    setup_django()
    path = Path(path)
    if is_sources(path):
        _course, files = build(path, problems, progress)
        if files is None:
            return None, None
    elif path.exists():
        try:
            files = archive_files(path)
        except tarfile.ReadError:  # its message lists every compression tried, on several lines
            problems.add(
                Origin.of_file(path), "cannot read the archive: not a .tar.gz (or .tar) file, or a damaged one"
            )
            return None, None
        except (OSError, EOFError, ValueError, tarfile.TarError) as err:  # tarfile's, gzip's and zlib's errors
            problems.add(Origin.of_file(path), f"cannot read the archive: {err}")
            return None, None
        if "course.xml" not in files:
            problems.add(Origin.of_file(path), "no course.xml: not a course directory or OLX archive")
            return None, None
    else:
        problems.add(Origin.of_file(path), "no such file or directory")
        return None, None
    course = read_olx(files, problems)
    return course, files


def check(path, problems, allowed=(), progress=None):
    """
    Every check on sources or an archive: the sources' own (when given sources), the OLX
    read back with the course checks, each block parsed as an import would, and olxcleaner.
    Returns olxcleaner's warnings.
    """
    setup_django()
    if is_sources(path):
        _written, files = build(path, problems, progress)
        if files is None:
            return []
        # The sources passed their checks (each block read back from its element): now the
        # whole OLX, read as an import reads it, passes them too. Its blocks' warnings were
        # reported already, at the lines of the sources. What is found now is in the built
        # OLX, which is nowhere on disk: its paths are printed as they are.
        built = Problems()
        course = read_olx(files, built)
        check_course(course, built)
        warnings = olxcleaner_problems(files, built, allowed)
        for problem in built:
            problems.add(dataclasses.replace(problem.origin, built=True), problem.message)
        return warnings
    course, files = load(path, problems, progress)
    if course is None:
        return []
    check_course(course, problems)
    return olxcleaner_problems(files, problems, allowed)
