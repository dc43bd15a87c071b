"""
The preview's pages: the course home, a unit page, ``/jump_to_id/<url_name>`` (the links
between units, resolved as Open edX resolves them), the course's static files, and the
workbench's reset. Blocks render on the workbench runtime for the learner named by
``?student=`` (the workbench's parameter), so handler URLs and block markup are the
workbench's own.
"""

import mimetypes
from urllib.parse import parse_qs, urlencode, urlsplit

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from web_fragments.fragment import Fragment
from workbench.runtime import WorkbenchRuntime
from workbench.runtime_util import reset_global_state

from . import course as preview_course

DEFAULT_STUDENT = "student_1"  # the workbench's


class CourseMiddleware:
    """
    Every request, pages and handlers alike, in the course's language (our blocks translate
    through Django's active language), with the course's blocks registered on the workbench.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        preview = preview_course.current()
        preview.ensure_registered()
        translation.activate(preview.language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", preview.language)
        return response


def student_of(request):
    """The learner the page acts as: ``?student=``, as on the workbench."""
    return request.GET.get("student", "").strip() or DEFAULT_STUDENT


def page(request, template, preview, fragment=None, status=200, **context):
    student = student_of(request)
    fragment = fragment or Fragment()
    context.setdefault("completed", preview.completed_units(student))
    context.update(
        course=preview.course,
        preview=preview,
        student_id=student,
        student_query=urlencode({"student": student}),
        learners=preview.learners(student),
        head_html=fragment.head_html(),
        foot_html=fragment.foot_html(),
    )
    return render(request, template, context, status=status)


@ensure_csrf_cookie
def home(request):
    preview = preview_course.current()
    resume = preview.resume_unit(student_of(request))
    image = preview.image
    query = urlencode({"student": student_of(request)})
    return page(
        request,
        "lamap_preview/home.html",
        preview,
        about={name: preview_course.jump_links(html, query) for name, html in preview.about.items()},
        image_url=reverse("lamap_preview_static", args=(image,)) if image else None,
        start_unit=resume or preview.first_unit,
        resuming=resume is not None,
    )


@ensure_csrf_cookie
def unit(request, url_name):
    preview = preview_course.current()
    position = preview.positions.get(url_name)
    if position is None:
        return page(request, "lamap_preview/not_found.html", preview, status=404, url_name=url_name)
    student = student_of(request)
    query = urlencode({"student": student})
    runtime = WorkbenchRuntime(student)
    resources = Fragment()
    shown = []
    for item in position.items:
        html = item.html
        if item.kind == "block":
            fragment = runtime.get_block(preview.usage_ids[item.url_name]).render("student_view", {})
            resources.add_fragment_resources(fragment)
            html = preview_course.static_links(fragment.body_html())
        shown.append((item, preview_course.jump_links(html, query)))
    preview.record_visit(student, position.unit)
    units = preview.sequence(position)
    return page(
        request,
        "lamap_preview/unit.html",
        preview,
        resources,
        position=position,
        items=shown,
        sequence=units,
        sequence_index=units.index(position.unit) + 1,
    )


def jump_student(request):
    """The learner of a jump: its ``?student=``, else the one of the page the link was on."""
    student = request.GET.get("student", "").strip()
    if not student:
        referrer = request.META.get("HTTP_REFERER", "")
        if referrer and url_has_allowed_host_and_scheme(referrer, allowed_hosts={request.get_host()}):
            student = (parse_qs(urlsplit(referrer).query).get("student") or [""])[0].strip()
    return student


def jump_to_id(request, url_name):
    """
    ``/jump_to_id/<url_name>``, as the LMS answers it: a unit, the unit of a component (at
    the component), the first unit of a subsection or chapter; the learner kept. 404 otherwise.
    """
    preview = preview_course.current()
    target = preview.locations.get(url_name)
    if target is None:
        return page(request, "lamap_preview/not_found.html", preview, status=404, url_name=url_name, jump=True)
    unit_name, anchor = target
    url = reverse("lamap_preview_unit", args=(unit_name,))
    student = jump_student(request)
    if student:
        url += "?" + urlencode({"student": student})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def course_static(request, path):
    """A file of the course's static/ folder, with its content type."""
    data = preview_course.current().static.get(path)
    if data is None:
        raise Http404(f"static/{path} is not in the course")
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return HttpResponse(data, content_type=content_type)


@csrf_exempt
def reset_state(request):
    """The workbench's reset (every state deleted, its scenarios loaded again), then the course's scenarios."""
    reset_global_state()
    preview_course.current().forget_visits()
    preview_course.current().reregister()
    referrer = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(referrer, allowed_hosts={request.get_host()}):
        referrer = reverse("lamap_preview_home")
    return redirect(referrer)
