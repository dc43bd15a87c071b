"""
An offline copy of a course (``lamap-course offline``): static HTML pages to read from a
folder or a zip, for a trainer with little bandwidth::

    index.html                  the course's title, about page and outline
    units/<url_name>.html       one page per unit: where it is, previous and next, its text
    worksheets/<url_name>.html  each inquiry block's printable worksheet (the kit's)
    static/...                  the course's images and files
    kit.css                     the kit's stylesheet

A unit page shows the course text as the toolchain rendered it, and each of our blocks as
its worksheet (``kit.worksheet``), with a link to print it; discussions, videos and
problems, which run on the course site, are named with a line saying so. Links between
units lead where Open edX takes them (the preview's ``jump_targets``).
"""

import tempfile
import time
import zipfile
from pathlib import Path

from django.utils import translation
from django.utils.safestring import mark_safe

from .kit import (
    Built,
    copy_static,
    is_block,
    labels_for,
    module_label,
    page,
    prepare_output,
    relink,
    render,
    worksheet,
    worksheet_context,
    worksheet_html,
)

UNITS = "units"
WORKSHEETS = "worksheets"


def build_offline(path, output, problems):
    """
    The offline copy of the course at ``path`` (sources or an OLX archive), written to the
    folder ``output`` (or, for a name ending in ``.zip``, to that zip file). Returns a
    ``Built``, or None (and nothing written) when there is any problem.
    """
    from .preview.course import PreviewCourse
    from .toolchain import load

    started = time.perf_counter()
    course, files = load(path, problems)
    if course is None or problems:
        return None
    with translation.override(course.language):
        preview = PreviewCourse(course, files)
    output = Path(output)
    if output.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="lamap-offline-") as temporary:
            folder = Path(temporary) / output.stem
            built = write_copy(course, preview, folder, problems)
            if built is None:
                return None
            zip_folder(folder, output)
            built.output = output
    else:
        built = write_copy(course, preview, output, problems)
        if built is None:
            return None
    built.seconds = time.perf_counter() - started
    return built


def zip_folder(folder, target):
    """The folder in a zip, under its own name, entries sorted (written beside, then moved into place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, str(Path(folder.name) / path.relative_to(folder)))
    partial.replace(target)


def write_copy(course, preview, output, problems):
    if not prepare_output(output, problems):
        return None
    copy_static(course.static, output)
    (output / UNITS).mkdir()
    (output / WORKSHEETS).mkdir()
    language = course.language
    words = labels_for(language)
    built = Built(output)
    numbers = {chapter.url_name: number for number, chapter in enumerate(course.chapters, start=1)}

    def jump(prefix):
        def target(name, anchor):
            found = preview.locations.get(name)
            if found is None:
                return None
            unit, component = found
            return f"{prefix}{unit}.html" + (f"#{anchor or component}" if anchor or component else "")

        return target

    for unit in preview.units:
        position = preview.positions[unit.url_name]
        number = numbers[position.chapter.url_name]
        context = worksheet_context(language, number, unit)
        parts = []
        for component in unit.components:
            if is_block(component):
                sheet = worksheet(component, language, context, "../static/")
                name = f"{WORKSHEETS}/{component.url_name}.html"
                standalone = page(
                    title=sheet.title, content=worksheet_html(sheet, language), language=language, root="../"
                )
                (output / name).write_text(standalone, "utf-8")
                built.pages.append(name)
                parts.append(
                    render(
                        "offline_activity.html",
                        sheet=mark_safe(worksheet_html(sheet, language, level=2, fill_in=False)),
                        href=f"../{name}",
                        words=words,
                    )
                )
            elif component.category == "html":
                text = relink(component.html, "../static/", jump=jump(""), shift=-1)
                parts.append(render("offline_text.html", anchor=component.url_name, html=mark_safe(text)))
            else:
                parts.append(placeholder(component, words))
        content = render("offline_unit.html", unit=unit, parts=parts)
        nav = {
            "course_title": course.display_name,
            "trail": [f"{module_label(language, number)} · {position.chapter.display_name}"]
            + [position.subsection.display_name],
            "pager": {
                "index": "../index.html",
                "previous": link(position.previous),
                "next": link(position.next),
            },
        }
        name = f"{UNITS}/{unit.url_name}.html"
        markup = page(title=unit.display_name, content=content, language=language, root="../", nav=nav)
        (output / name).write_text(markup, "utf-8")
        built.pages.append(name)

    about = {key: mark_safe(relink(html, "static/", jump=jump(f"{UNITS}/"))) for key, html in course.about.items()}
    outline = [
        {
            "title": f"{module_label(language, numbers[chapter.url_name])} · {chapter.display_name}",
            "subsections": [
                {
                    "title": subsection.display_name,
                    "units": [{"href": f"{UNITS}/{unit.url_name}.html", "title": unit.display_name} for unit in units],
                }
                for subsection in chapter.subsections
                if (units := subsection.units)
            ],
        }
        for chapter in course.chapters
    ]
    first = preview.first_unit
    content = render(
        "offline_index.html",
        course=course,
        about=about,
        outline=outline,
        words=words,
        first=f"{UNITS}/{first.url_name}.html" if first else "",
    )
    (output / "index.html").write_text(page(title=course.display_name, content=content, language=language), "utf-8")
    built.pages.append("index.html")
    return built


def link(unit):
    return {"href": f"{unit.url_name}.html", "title": unit.display_name} if unit is not None else None


def placeholder(component, words):
    """A component that runs on the course site: its name, a line saying so, and a video's links."""
    from .preview.course import STATIC_PREFIX, video_links

    name = component.display_name or component.category
    links = []
    if component.category == "discussion":
        line = words["discussion"].format(name=name)
    elif component.category == "problem":
        line = words["problem"].format(name=name)
    elif component.category == "video":
        line = words["video"].format(name=name)
        for _kind, url in video_links(component.element):
            links.append("../static/" + url[len(STATIC_PREFIX) :] if url.startswith(STATIC_PREFIX) else url)
    else:
        line = words["other"].format(name=name)
    return render("offline_placeholder.html", anchor=component.url_name, line=line, links=links)
