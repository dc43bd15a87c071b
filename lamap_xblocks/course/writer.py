"""
The course model to OLX: a mapping of archive paths to bytes, then a deterministic
``.tar.gz`` (sorted entries, fixed dates and owners, no gzip timestamp), written to a
temporary file and renamed into place so no partial archive is ever left behind.

The layout is Studio's export layout, so a re-import updates the course in place::

    course.xml                          <course url_name=RUN org=ORG course=NUMBER/>
    course/RUN.xml, chapter/, sequential/, vertical/   the outline, one file per node
    html/NAME.xml + html/NAME.html      HTML components
    policies/RUN/policy.json, grading_policy.json, policies/assets.json
    about/overview.html ...             the about page
    static/...                          the course's files

Our blocks, discussions, videos and passthrough OLX are written inline in their unit.
"""

import copy
import gzip
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from lxml import etree

ARCHIVE_ROOT = "course"
# 2000-01-01T00:00:00Z: every entry's date, so the same sources give the same bytes.
FIXED_MTIME = 946684800


def xml_bytes(element):
    return etree.tostring(element, pretty_print=True, encoding="utf-8")


def json_bytes(data):
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def olx_files(course):
    """Every file of the course's OLX, as ``{path: bytes}``."""
    files = {}
    files["course.xml"] = xml_bytes(etree.Element("course", url_name=course.run, org=course.org, course=course.number))
    root = etree.Element("course")  # its settings are in policy.json, as Studio exports them
    for chapter in course.chapters:
        etree.SubElement(root, "chapter", url_name=chapter.url_name)
        files[f"chapter/{chapter.url_name}.xml"] = chapter_xml(chapter)
        for subsection in chapter.subsections:
            files[f"sequential/{subsection.url_name}.xml"] = subsection_xml(subsection)
            for unit in subsection.units:
                vertical = etree.Element("vertical", display_name=unit.display_name)
                for component in unit.components:
                    if component.category == "html" and component.html is not None:
                        etree.SubElement(vertical, "html", url_name=component.url_name)
                        files[f"html/{component.url_name}.xml"] = html_xml(component)
                        files[f"html/{component.url_name}.html"] = component.html.encode("utf-8")
                    else:
                        vertical.append(copy.deepcopy(component.element))
                files[f"vertical/{unit.url_name}.xml"] = xml_bytes(vertical)
    files[f"course/{course.run}.xml"] = xml_bytes(root)
    files[f"policies/{course.run}/policy.json"] = json_bytes({f"course/{course.run}": course.policy})
    files[f"policies/{course.run}/grading_policy.json"] = json_bytes(course.grading)
    files["policies/assets.json"] = json_bytes({})
    for name, html in course.about.items():
        files[f"about/{name}.html"] = html.encode("utf-8")
    for path, data in course.static.items():
        files[f"static/{path}"] = data if isinstance(data, bytes) else Path(data).read_bytes()
    return files


def html_xml(component):
    """An HTML component's definition: its file, its name and any other attribute the author gave."""
    element = etree.Element("html", filename=component.url_name, display_name=component.display_name)
    for name, value in (component.element.attrib if component.element is not None else {}).items():
        if name not in ("url_name", "filename", "display_name"):
            element.set(name, value)
    return xml_bytes(element)


def chapter_xml(chapter):
    element = etree.Element("chapter", display_name=chapter.display_name)
    if chapter.start:
        element.set("start", chapter.start)
    for subsection in chapter.subsections:
        etree.SubElement(element, "sequential", url_name=subsection.url_name)
    return xml_bytes(element)


def subsection_xml(subsection):
    element = etree.Element("sequential", display_name=subsection.display_name)
    if subsection.graded_as:
        element.set("graded", "true")
        element.set("format", subsection.graded_as)
    if subsection.start:
        element.set("start", subsection.start)
    if subsection.due:
        element.set("due", subsection.due)
    for unit in subsection.units:
        etree.SubElement(element, "vertical", url_name=unit.url_name)
    return xml_bytes(element)


def archive_bytes(files):
    """The files as a reproducible gzip-compressed tar, under ``course/``."""
    buffer = io.BytesIO()
    directories = set()
    for path in files:
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            directories.add("/".join(parts[:depth]))
    entries = sorted([(path, None) for path in directories] + [(path, files[path]) for path in files])
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as compressed:
        with tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive:
            root = tarfile.TarInfo(ARCHIVE_ROOT)
            archive.addfile(_normalised(root, None))
            for path, data in entries:
                info = tarfile.TarInfo(f"{ARCHIVE_ROOT}/{path}")
                archive.addfile(_normalised(info, data), io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def _normalised(info, data):
    info.mtime = FIXED_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if data is None:
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
    else:
        info.size = len(data)
        info.mode = 0o644
    return info


def write_atomically(path, data):
    """Write ``data`` to ``path`` through a temporary file in the same directory, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
