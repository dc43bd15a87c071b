"""
What every inquiry step shares: authoring fields, rendering and i18n, Studio editing,
OLX import and export, grading and completion, the learner-work handlers and their
error replies. A step subclass declares its own fields and specs and a few hooks.
"""

import csv
import functools
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from django.template import Context, Engine
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Float, Integer, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score
from xblock.utils.studio_editable import StudioEditableXBlockMixin

from . import compat, dates, exports, i18n, olx, store, studio
from . import validation as spec
from .i18n import JS_NAMESPACE, Translator, bundled_js_catalog, current_language
from .text import plain_text, render_markdown

PACKAGE_DIR = Path(__file__).resolve().parent
EVENT_PREFIX = "lamap_xblocks"
MAX_PROMPT_LENGTH = 20000
MAX_DISPLAY_NAME_LENGTH = 200


def _(text):
    """Mark a string for extraction; it is translated when shown."""
    return text


@functools.lru_cache(maxsize=1)
def template_engine():
    """One cached engine for our templates; ``{% load i18n %}`` means our own tags."""
    return Engine(
        dirs=[str(PACKAGE_DIR / "templates")],
        libraries={"i18n": "lamap_xblocks.templatetags"},
        autoescape=True,
    )


def display_name_field(default):
    """The title field; its default names the step in Studio's component menu."""
    return String(
        display_name=_("Display name"),
        help=_("The title learners see above this step and in the course navigation."),
        scope=Scope.settings,
        default=default,
    )


def work_digest(work):
    """A fingerprint of a piece of work, to tell whether it changed since it was submitted."""
    return hashlib.sha256(json.dumps(work, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def now_iso():
    """The current time in UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def format_date(iso, zone=None):
    """
    An ISO timestamp as people read it, in the active language and in ``zone`` (the
    learner's time zone, when the platform knows it): "6 déc. 2026, 10:37" in French,
    "Dec 6, 2026, 10:37" in English; "… UTC" when the zone is unknown.
    """
    try:
        moment = datetime.fromisoformat(iso).astimezone(zone or UTC)
    except (TypeError, ValueError):
        return ""
    text = dates.format_moment(moment, current_language())
    return text if zone else f"{text} UTC"


class RequestError(JsonHandlerError):
    """
    A refusal the page can show next to the fields it concerns: ``problems`` is a list of
    ``{"field": "rows.2.time", "message": ...}``; ``extra`` adds to the reply (the status
    after a refused submission whose draft was saved).
    """

    def __init__(self, status_code, message, problems=(), **extra):
        super().__init__(status_code, message)
        self.problems = list(problems)
        self.extra = extra

    def get_response(self, **kwargs):
        body = dict(self.extra, error=self.message, problems=self.problems)
        return Response(
            json.dumps(body), status_code=self.status_code, content_type="application/json", charset="utf-8", **kwargs
        )


MAX_BODY = 1_000_000  # bytes: the largest work a block accepts is far smaller (see validation.py)


def read_json(request, gettext):
    """A request's JSON body, or a RequestError: too large (413), not JSON or nested too deeply (400)."""
    if (request.content_length or 0) > MAX_BODY:
        raise RequestError(413, gettext("The request is too large: the limit is 1 MB."))
    body = request.body_file_raw.read(MAX_BODY + 1) if request.content_length is None else request.body
    if len(body) > MAX_BODY:
        raise RequestError(413, gettext("The request is too large: the limit is 1 MB."))
    try:
        return json.loads(body.decode("utf-8"))
    except RecursionError:  # json.loads recurses per level: thousands of nested [[[... would be a 500
        raise RequestError(400, gettext("The request is nested too deeply.")) from None
    except ValueError:  # UnicodeDecodeError included
        raise RequestError(400, gettext("The request is not valid JSON.")) from None


def json_api(method=None, *, staff=False, author=False):
    """
    A JSON handler: POST only, a JSON body in (parsed here, not by XBlock's json_handler,
    so that no body can make it answer 500, see read_json), JSON out. Every refusal is
    ``{"error": message}`` in the learner's language: 405, 403 (``staff=True``: course staff
    only; ``author=True``: only who may edit the block, see compat.can_author), 413, 400
    for an InputError, and a refusal of the store with its own status. Methods validate
    everything before they change any field, so a refused request changes nothing.
    """
    if method is None:
        return functools.partial(json_api, staff=staff, author=author)

    @XBlock.handler
    @functools.wraps(method)
    def wrapper(self, request, suffix=""):  # pylint: disable=unused-argument
        try:
            if request.method != "POST":
                raise RequestError(405, self.gettext("This request must be sent with POST."))
            if author and not compat.can_author(self):
                raise RequestError(403, self.gettext("Only the course team can change this block."))
            if staff and not compat.is_staff(self):
                raise RequestError(403, self.gettext("Only course staff can do this."))
            data = read_json(request, self.gettext)
            try:
                result = method(self, data)
            except spec.InputError as err:
                message = err.render(self.gettext)
                problems = [{"field": err.field, "message": message}] if err.path else []
                raise RequestError(400, message, problems) from err
            except store.StoreError as err:
                raise RequestError(err.status, self.gettext(err.message)) from err
        except JsonHandlerError as err:
            response = err.get_response()
            if err.status_code == 405:
                response.allow = ["POST"]
            return response
        if isinstance(result, Response):
            return result
        return Response(json.dumps(result), content_type="application/json", charset="utf-8")

    return wrapper


def investigation_field():
    """The key that links the steps of one investigation (and a notebook) across the course."""
    return String(
        display_name=_("Investigation"),
        help=_(
            "A short key shared by the steps of one investigation, for example floating or dissolving-1 "
            "(lowercase letters without accents, digits, dashes). Steps with the same key show the learner's "
            "earlier work wherever they are in the course, and the notebook gathers them. Leave it empty for "
            "a step on its own."
        ),
        scope=Scope.settings,
        default="",
    )


def investigation_name_field():
    """What learners read for the investigation: the notebook's heading for its steps."""
    return String(
        display_name=_("Investigation name"),
        help=_(
            "The investigation's name as learners read it, for example “Floating and sinking”: the notebook "
            "shows it above the investigation's steps. Giving it in one step is enough."
        ),
        scope=Scope.settings,
        default="",
    )


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("studio_user_permissions")  # Studio: who may edit (compat.can_author)
@XBlock.supports("multi_device")
class InquiryStepBlock(StudioEditableXBlockMixin, ScorableXBlockMixin, CompletableXBlockMixin, XBlock):
    """Base of the four inquiry steps. Not registered as a block on its own."""

    STEP = None  # "question", ...: names the template folder, CSS and JS files, events
    JS_CLASS = None  # the step's JavaScript init function
    WORK_FIELDS = ()  # user_state fields that hold the learner's work
    ELEMENT_FIELDS = ("prompt",)  # long text fields written as OLX child elements
    PREVIOUS_STEP = None  # the step whose submitted work this one shows
    i18n_js_namespace = JS_NAMESPACE
    has_author_view = True

    investigation = investigation_field()
    investigation_name = investigation_name_field()

    # display_name: each step declares display_name_field(its default name).
    prompt = String(
        display_name=_("Instructions"),
        help=_("What the learner is asked to do, in Markdown."),
        scope=Scope.content,
        default="",
        multiline_editor=True,
        editor="markdown",
        xml_node=True,
    )
    scored = Boolean(
        display_name=_("Scored"),
        help=_(
            "When checked, submitting this step earns its full weight in the course grade "
            "(completion-based). Uncheck it to make the step ungraded."
        ),
        scope=Scope.settings,
        default=True,
    )
    weight = Float(
        display_name=_("Problem weight"),
        help=_("How many points this step is worth in the grade when it is scored."),
        scope=Scope.settings,
        default=1.0,
        values={"min": 0, "max": 100, "step": 0.5},
    )

    submitted_on = String(scope=Scope.user_state, default=None, help="First submission, ISO 8601 UTC")
    last_submitted_on = String(scope=Scope.user_state, default=None, help="Latest submission, ISO 8601 UTC")
    saved_on = String(scope=Scope.user_state, default=None, help="Latest save of any kind, ISO 8601 UTC")
    submission_count = Integer(scope=Scope.user_state, default=0, help="How many times the work was submitted")
    submitted_digest = String(scope=Scope.user_state, default=None, help="Fingerprint of the work as last submitted")
    raw_earned = Float(scope=Scope.user_state, default=None, help="The score last published, 0 to 1")

    editable_fields = ("display_name", "investigation", "investigation_name", "prompt", "scored", "weight")

    # ----- i18n and rendering -------------------------------------------------------

    @property
    def translator(self):
        """The Translator for the active language (kept per language on the instance)."""
        language = current_language()
        cache = self.__dict__.setdefault("_translators", {})
        if language not in cache:
            cache[language] = Translator(self.runtime.service(self, "i18n"), language)
        return cache[language]

    def gettext(self, message):
        return self.translator.gettext(message)

    def ngettext(self, singular, plural, number):
        return self.translator.ngettext(singular, plural, number)

    def format_date(self, iso):
        """A timestamp in the learner's language and time zone."""
        return format_date(iso, compat.learner_time_zone(self))

    @property
    def html_id(self):
        """A prefix for element ids, unique per block in a page and stable across renders."""
        digest = hashlib.sha1(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()[:10]
        return f"lamap-{self.STEP}-{digest}"

    def title(self):
        """The author's title, or the step's default name in the learner's language."""
        if self.display_name and self.fields["display_name"].is_set_on(self):
            return self.display_name
        return self.gettext(self.default_title())

    @property
    def display_name_with_default(self):
        """What Studio and the course navigation show: the step's name, translated, when unset."""
        return self.title()

    @classmethod
    def default_title(cls):
        return cls.display_name.default

    def render_template(self, name, context):
        language = current_language()
        context = dict(
            context,
            _=self.translator,
            # On the block's root: screen readers pronounce it right on pages that declare no language.
            lang=i18n.language_tag(language),
            dir=i18n.direction(language),
            uid=self.html_id,
            xblock=self,
            title=self.title(),
            feedback_template=f"{self.STEP}/feedback.html",
        )
        # No localisation of values: numbers in attributes (maxlength="5000") must stay as
        # written, and text shown to people is formatted in Python in the learner's language.
        return template_engine().get_template(name).render(Context(context, autoescape=True, use_l10n=False))

    def resource_url(self, path):
        return self.runtime.local_resource_url(self, path)

    def js_catalog_url(self):
        """The JavaScript catalog: the platform's (OEP-58) if it has one, else ours."""
        service = self.runtime.service(self, "i18n")
        getter = getattr(service, "get_javascript_i18n_catalog_url", None)
        try:
            url = getter(self) if callable(getter) else None
        except (AttributeError, TypeError, ValueError):  # runtimes without staticfiles
            url = None
        if url:
            return url
        bundled = bundled_js_catalog(current_language())
        return self.resource_url(bundled) if bundled else None

    def add_resources(self, fragment, editor=False):
        """The shared helper, the catalog, the editor's script in Studio, then the step's own CSS and JS."""
        fragment.add_css_url(self.resource_url("public/css/lamap_common.css"))
        fragment.add_css_url(self.resource_url(f"public/css/{self.STEP}.css"))
        catalog = self.js_catalog_url()
        if catalog:
            fragment.add_javascript_url(catalog)
        fragment.add_javascript_url(self.resource_url("public/js/lamap_common.js"))
        if editor:
            fragment.add_javascript_url(self.resource_url("public/js/studio.js"))
        fragment.add_javascript_url(self.resource_url(f"public/js/{self.STEP}.js"))

    def student_view(self, context=None):
        """The learner's view of the step."""
        context = context or {}
        fragment = Fragment(
            self.render_template(
                f"{self.STEP}/student.html",
                dict(
                    self.feedback_context(self.student_context()),
                    prompt_html=render_markdown(self.prompt),
                    status=self.status_text(),
                    earlier=self.earlier_context(),
                    staff_panel=self.staff_context() if not context.get("author_preview") else None,
                    author_summary=self.author_summary() if context.get("author_preview") else None,
                ),
            )
        )
        self.add_resources(fragment)
        fragment.initialize_js(self.JS_CLASS, self.js_init_args("student"))
        return fragment

    def author_view(self, context=None):
        """Studio's unit page: the learner's view under a summary of the settings."""
        return self.student_view(dict(context or {}, author_preview=True))

    def student_context(self):
        """Template values of the step (the subclass adds its own)."""
        return {}

    def js_init_args(self, view):
        """
        Configuration for the step's JavaScript. Never learner or author text: runtimes
        embed these arguments in a <script> element without escaping "</script>", so
        text stays in the HTML, escaped by the templates, where the scripts read it.
        """
        return {"view": view, "uid": self.html_id, "language": current_language()}

    def author_summary(self):
        """(label, value) pairs shown to authors above the preview."""
        if self.scored:
            grading = self.gettext("Scored on completion, weight {weight}").format(weight=f"{self.weight:g}")
        else:
            grading = self.gettext("Not scored")
        summary = [(self.gettext("Grading"), grading)]
        if self.investigation:
            summary.append((self.gettext("Investigation"), self.investigation))
        return summary

    # ----- learner work ---------------------------------------------------------------

    def work_specs(self):
        """Spec of each work field, as the handlers accept it (the subclass defines it)."""
        raise NotImplementedError

    def current_work(self):
        return {name: getattr(self, name) for name in self.WORK_FIELDS}

    def clean_work(self, data):
        return spec.clean_request(self.work_specs(), data)

    def missing_parts(self, work):
        """
        What a submission still lacks ([] when complete): translated sentences, or
        ``(field, sentence)`` pairs that the page shows next to the field.
        """
        raise NotImplementedError

    def is_complete(self):
        return self.submitted_on is not None and not self.missing_parts(self.current_work())

    @property
    def unsubmitted_changes(self):
        """Whether the saved work differs from what was last submitted."""
        if not self.submitted_on or not self.submitted_digest:
            return False
        return work_digest(self.current_work()) != self.submitted_digest

    def feedback(self):
        """What the learner sees besides their own work (e.g. revealed references)."""
        return {}

    def learner_state(self):
        """Everything about the learner's work that the page and mobile clients show."""
        return dict(
            self.current_work(),
            submitted_on=self.submitted_on,
            last_submitted_on=self.last_submitted_on,
            saved_on=self.saved_on,
            submission_count=self.submission_count,
            unsubmitted_changes=self.unsubmitted_changes,
            feedback=self.feedback(),
        )

    def store_work(self, work, submitting):  # pylint: disable=unused-argument
        """Write cleaned work to the fields; a subclass may keep more (versions, dates)."""
        for name, value in work.items():
            setattr(self, name, value)

    def status_text(self):
        """One sentence on where the work stands, shown under the buttons and announced."""
        if self.submitted_on and self.unsubmitted_changes:
            return self.gettext(
                "Draft saved on {date}. These changes are not submitted yet (last submission on {submitted})."
            ).format(date=self.format_date(self.saved_on), submitted=self.format_date(self.last_submitted_on))
        if self.submitted_on:
            return self.gettext("Submitted on {date}.").format(date=self.format_date(self.last_submitted_on))
        if self.saved_on:
            return self.gettext("Draft saved on {date}. Not submitted yet.").format(
                date=self.format_date(self.saved_on)
            )
        return self.gettext("Not submitted yet.")

    def feedback_fields(self):
        """What the step's feedback template reads of the page's context (all of it, unless a step says less)."""
        return self.student_context()

    def feedback_context(self, fields=None):
        """What the feedback area shows (the step's feedback, the class board...), over ``fields``."""
        fields = self.feedback_fields() if fields is None else fields
        return dict(fields, state=self.learner_state(), board=None, peer=None, class_off=None)

    def render_feedback(self):
        """The part of the page that changes after a submission, rendered as on first load."""
        return self.render_template("common/feedback.html", self.feedback_context())

    def reply(self, message):
        return {
            "message": self.gettext(message),
            "status": self.status_text(),
            "state": self.learner_state(),
            "feedback_html": self.render_feedback(),
        }

    @json_api
    def save_draft(self, data):
        """Save the work in progress; nothing is graded or published."""
        work = self.clean_work(data)
        self.store_work(work, submitting=False)
        self.saved_on = now_iso()
        self.note_draft()
        return self.reply(_("Draft saved."))

    @json_api
    def submit_step(self, data):
        """Submit the work: complete parts only; publishes the event, grade and completion."""
        work = self.clean_work(data)
        missing = [(None, item) if isinstance(item, str) else item for item in self.missing_parts(work)]
        if missing:
            # Nothing typed is lost: the refused work is kept as a draft, as Save draft would.
            self.store_work(work, submitting=False)
            self.saved_on = now_iso()
            self.note_draft()
            message = self.gettext("Not submitted yet: {problems}").format(
                problems=" ".join(sentence for _field, sentence in missing)
            )
            problems = [{"field": field, "message": sentence} for field, sentence in missing if field]
            raise RequestError(400, message, problems, status=self.status_text(), draft_saved=True)
        first = self.submitted_on is None
        digest = work_digest(work)
        changed = first or digest != self.submitted_digest
        if changed:  # the store first: if it refuses, no field has changed yet
            self.share_work(work, "submitted" if first else "resubmitted")
        stamp = now_iso()
        self.store_work(work, submitting=True)
        self.saved_on = stamp
        self.submitted_digest = digest
        if not changed:  # the same work sent twice: nothing new to record
            return self.reply(_("Your work is submitted."))
        self.submitted_on = self.submitted_on or stamp
        self.last_submitted_on = stamp
        self.submission_count += 1
        self.publish_event(
            "submitted" if first else "resubmitted", {"work": work, "submission_count": self.submission_count}
        )
        self.record_completion()
        return self.reply(_("Your work is submitted.") if first else _("Your changes are submitted."))

    def publish_event(self, action, data):
        """A tracking event named ``lamap_xblocks.<step>.<action>`` (see docs/events.md)."""
        self.runtime.publish(self, f"{EVENT_PREFIX}.{self.STEP}.{action}", data)

    def record_completion(self):
        """Grade (when scored) and completion once the required parts are submitted."""
        if self.has_score:
            score = self.calculate_score()
            self.set_score(score)
            self._publish_grade(score)
        self.emit_completion(1.0 if self.is_complete() else 0.0)

    @XBlock.handler
    def student_view_user_state(self, request, suffix=""):  # pylint: disable=unused-argument
        """The learner's state as JSON, for the mobile apps."""
        return Response(json.dumps(self.learner_state()), content_type="application/json", charset="utf-8")

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """Authored content only, for the mobile apps and the Course Blocks API."""
        return {
            "display_name": self.title(),
            "prompt": self.prompt,
            "prompt_html": render_markdown(self.prompt),
            "scored": self.scored,
            "weight": self.weight,
            "investigation": self.investigation,
        }

    def index_dictionary(self):
        """Words for the courseware search index."""
        index = super().index_dictionary()
        content = index.setdefault("content", {})
        content.update(display_name=self.title(), prompt=plain_text(self.prompt))
        index["content_type"] = self.gettext(self.default_title())
        return index

    # ----- the investigation store ---------------------------------------------------------

    @property
    def learner(self):
        """The current learner's anonymous id (None without a user, e.g. in Studio)."""
        cache = self.__dict__
        if "_learner" not in cache:
            cache["_learner"] = compat.learner_id(self)
        return cache["_learner"]

    @property
    def course_key(self):
        return compat.course_id(self)

    def uses_store(self):
        """
        Whether the learner's work goes to the store: not in a v2 content library, where
        there is no class (authors try the block there; its boards and notebook say so).
        """
        return store.enabled() and self.learner is not None and not compat.in_library(self)

    def record_work(self, work):
        """What the store keeps of a submission (the notebook and staff read it back)."""
        return work

    def share_work(self, work, kind):
        """Record a submitted version in the store (versioned: history is never rewritten)."""
        if not self.uses_store():
            return
        store.record_step(
            course_id=self.course_key,
            investigation=self.investigation,
            usage_id=str(self.scope_ids.usage_id),
            step=self.STEP,
            learner=self.learner,
            kind=kind,
            title=self.title(),
            work=dict(self.record_work(work), investigation_name=self.investigation_name)
            if self.investigation_name
            else self.record_work(work),
        )

    def note_draft(self):
        """Staff's dashboard shows that the learner has a draft of this step (never its content)."""
        if self.investigation and self.uses_store():
            store.note_draft(
                course_id=self.course_key, investigation=self.investigation, learner=self.learner, step=self.STEP
            )

    def earlier_record(self, step=None):
        """The learner's latest submitted work on an earlier step of this investigation."""
        step = step or self.PREVIOUS_STEP
        if not (step and self.investigation and self.uses_store()):
            return None
        return store.latest_work(
            course_id=self.course_key, learner=self.learner, investigation=self.investigation, step=step
        )

    EARLIER_HEADING = None  # the heading over the earlier step's work
    EARLIER_MISSING = None  # what to say when the learner has not submitted it yet

    def earlier_context(self):
        """The earlier step's work shown above this one, or a kind word that it is missing."""
        if not (self.PREVIOUS_STEP and self.investigation and self.uses_store()):
            return None
        record = self.earlier_record()
        heading = self.gettext(self.EARLIER_HEADING)
        if record is None:
            return {"heading": heading, "missing": self.gettext(self.EARLIER_MISSING)}
        return {
            "heading": heading,
            "date": self.format_date(record.created.isoformat()),
            "parts": self.earlier_parts(record),
        }

    def earlier_parts(self, record):
        """The parts of the earlier step's work this step shows (the subclass picks them)."""
        return []

    @classmethod
    def summary(cls, work, gettext):  # pylint: disable=unused-argument
        """
        A submission as labelled parts, for the notebook, downloads and reports:
        ``{"label", "text"}``, ``{"label", "list"}`` or ``{"label", "table": {"head", "rows"}}``.
        """
        return []

    @classmethod
    def summary_text(cls, work, gettext):
        """The summary as plain text (CSV cells, Problem Responses report)."""
        return summary_as_text(cls.summary(work, gettext))

    # ----- staff ------------------------------------------------------------------------

    def staff_context(self):
        """Staff's panel: counts and the latest submissions of this block (None for learners)."""
        if not (compat.is_staff(self) and store.enabled()):
            return None
        usage_id = str(self.scope_ids.usage_id)
        records = store.block_records(usage_id, limit=STAFF_LIST_LIMIT + 1)
        counts = (
            store.step_counts(course_id=self.course_key, investigation=self.investigation) if self.investigation else {}
        )
        return {
            "records": [
                {
                    "learner": record.learner[:8],
                    "learner_id": record.learner,
                    "date": self.format_date(record.created.isoformat()),
                    "version": record.version,
                    "parts": self.summary(record.work, self.gettext),
                }
                for record in records[:STAFF_LIST_LIMIT]
            ],
            "more": len(records) > STAFF_LIST_LIMIT,
            "step_counts": [
                (self.gettext(STEP_NAMES[step]), counts.get(step, 0)) for step in STEP_NAMES if step in counts
            ],
            "csv_url": self.runtime.handler_url(self, "staff_csv"),
            "export_url": self.runtime.handler_url(self, "export", query="format=zip") if self.investigation else "",
            "jsonl_url": self.runtime.handler_url(self, "export", query="format=jsonl") if self.investigation else "",
        }

    @XBlock.handler
    def export(self, request, suffix=""):  # pylint: disable=unused-argument
        """
        The investigation's submitted work, one table per kind of record, anonymous ids only:
        ``?format=zip`` (CSV files in a zip) or ``?format=jsonl`` (JSON Lines). Streamed.
        """
        if not compat.is_staff(self):
            return Response(self.gettext("Only course staff can do this."), status=403, content_type="text/plain")
        if not store.enabled():
            return Response(self.gettext("The investigation store is not installed."), status=404)
        kind = request.GET.get("format", "zip")
        if kind not in ("zip", "jsonl"):
            return Response(self.gettext("Unknown format: choose zip or jsonl."), status=400, content_type="text/plain")
        try:
            investigation = self.export_investigation(request)
        except spec.InputError as error:
            return Response(error.render(self.gettext), status=400, content_type="text/plain")
        if not investigation:
            message = self.gettext("This step is not part of an investigation: there is nothing to export.")
            return Response(message, status=400, content_type="text/plain")
        if kind == "zip":
            body, content_type = exports.csv_zip(self.course_key, investigation), "application/zip"
        else:
            body, content_type = exports.json_lines(self.course_key, investigation), "application/x-ndjson"
        response = Response(app_iter=body, content_type=content_type)
        name = f"{investigation}-{datetime.now(UTC):%Y%m%d}.{kind}"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def export_investigation(self, request):  # pylint: disable=unused-argument
        """The investigation ``export`` writes: the block's own (the notebook offers the course's)."""
        return self.investigation

    @XBlock.handler
    def staff_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """Every submitted version of this investigation (or block) as CSV, with anonymous ids."""
        if not compat.is_staff(self):
            return Response(self.gettext("Only course staff can do this."), status=403, content_type="text/plain")
        if not store.enabled():
            return Response(self.gettext("The investigation store is not installed."), status=404)
        if self.investigation:
            records = store.history_of_investigation(course_id=self.course_key, investigation=self.investigation)
        else:
            records = store.block_records(str(self.scope_ids.usage_id), latest_only=False)
        body = records_csv(records, self.gettext)
        name = f"{self.investigation or self.STEP}-{datetime.now(UTC):%Y%m%d}.csv"
        response = Response(body, content_type="text/csv", charset="utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """
        Rows of Open edX's Problem Responses report: (username, {column: value}). The answer
        is the learner's latest submitted version from the store, never a later draft; where
        the store or the platform's ids are missing, the submitted state stands in.
        """
        count = 0
        batch = []
        for user_state in user_state_iterator:
            state = user_state.state or {}
            if state.get("submitted_on"):
                batch.append(user_state)
            if len(batch) >= REPORT_BATCH:
                for row in self.report_rows(batch):
                    if limit_responses is not None and count >= limit_responses:
                        return
                    count += 1
                    yield row
                batch = []
        for row in self.report_rows(batch):
            if limit_responses is not None and count >= limit_responses:
                return
            count += 1
            yield row

    def report_rows(self, user_states):
        """The report's rows for a batch of submitted learners (one query for their records)."""
        if not user_states:
            return
        ids = compat.anonymous_ids_by_username(self, [state.username for state in user_states])
        records = {}
        if ids and store.enabled():
            wanted = set(ids.values())
            records = {
                record.learner: record
                for record in store.block_records(str(self.scope_ids.usage_id))
                if record.learner in wanted
            }
        for user_state in user_states:
            state = user_state.state or {}
            record = records.get(ids.get(user_state.username))
            if record is not None:
                work, submitted_on, count = record.work, record.created.isoformat(), record.version
            else:
                work = {name: state.get(name, self.fields[name].default) for name in self.WORK_FIELDS}
                submitted_on, count = state.get("last_submitted_on") or "", state.get("submission_count", 0)
            yield (
                user_state.username,
                {
                    "Investigation": self.investigation,
                    "Step": self.STEP,
                    "Answer": self.summary_text(work, self.gettext),
                    "Submitted on": submitted_on,
                    "Submissions": count,
                },
            )

    # ----- grading --------------------------------------------------------------------

    @property
    def has_score(self):
        return bool(self.scored)

    @property
    def icon_class(self):
        return "problem" if self.scored else "other"

    def max_score(self):
        """Raw points possible; the platform scales them by ``weight``."""
        return 1.0

    def has_submitted_answer(self):
        return self.submitted_on is not None

    def get_score(self):
        return Score(raw_earned=self.raw_earned or 0.0, raw_possible=1.0)

    def set_score(self, score):
        self.raw_earned = score.raw_earned

    def calculate_score(self):
        return Score(raw_earned=1.0 if self.is_complete() else 0.0, raw_possible=1.0)

    # ----- authoring: Studio editor, validation, OLX ------------------------------------

    def author_specs(self):
        """The author's rules for each editable field (the subclass extends them)."""
        return {
            "display_name": spec.Text(_("Display name"), MAX_DISPLAY_NAME_LENGTH, single_line=True),
            "investigation": spec.Key(_("Investigation")),
            "investigation_name": spec.Text(_("Investigation name"), 200, single_line=True),
            "prompt": spec.Text(_("Instructions"), MAX_PROMPT_LENGTH),
            "scored": spec.Boolean(_("Scored")),
            "weight": spec.Real(_("Problem weight"), 0, 100),
        }

    def editor_fields(self):
        """What the Studio editor template needs to show each editable field."""
        specs = self.author_specs()
        fields = [studio.editor_field(self, name, self.fields[name], specs[name]) for name in self.editable_fields]
        for field in fields:
            if field["name"] == "investigation":
                # Chosen from the course's keys, so that a typo cannot silently unlink a step.
                keys = set(self.investigation_suggestions()) | ({self.investigation} if self.investigation else set())
                field.update(kind="investigation", keys=sorted(keys))
        return fields

    def investigation_suggestions(self):
        """Keys already used in the course: Studio's blocks where there is a modulestore, else the store's."""
        keys = compat.course_investigation_keys(self)
        if keys is None and store.enabled():
            keys = store.investigation_keys(self.course_key)
        return [key for key in keys or [] if key != self.investigation]

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        """The Studio editor: every authored field, with help and validation."""
        fields = self.editor_fields()
        fragment = Fragment(self.render_template("common/studio.html", {"fields": fields}))
        self.add_resources(fragment, editor=True)
        editor = [
            {"name": field["name"], "kind": field["kind"], "columns": [c["key"] for c in field.get("columns", [])]}
            for field in fields
        ]
        fragment.initialize_js(self.JS_CLASS, dict(self.js_init_args("studio"), fields=editor))
        return fragment

    @json_api(author=True)
    def submit_studio_edits(self, data):
        """
        Save the Studio editor: ``{"values": {field: value, ...}}``. Every value is checked
        by its field's spec and every problem reported at once, naming its field; then the
        block's own rules run on the would-be result. Nothing is saved unless all pass.
        """
        problems, values = studio.check_edits(self, data)
        if problems:
            message = " ".join(problem["message"] for problem in problems)
            raise RequestError(400, message, problems)
        for name, value in values.items():
            field = self.fields[name]
            if value == field.default:
                # Back to the default, not a copy of it: an untitled step keeps showing
                # its name in each learner's language.
                field.delete_from(self)
            else:
                setattr(self, name, value)
        return {"result": "success"}

    def validate_values(self, values):
        """Run the block's rules as if ``values`` were saved."""
        return studio.validate(self, values)

    def validate_field_data(self, validation, data):
        """Rules across fields; ``data`` has every field. Subclasses add theirs."""

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build a block from OLX; a bad value raises OlxError naming block and field."""
        block = runtime.construct_xblock_from_class(cls, keys)
        label = olx.describe(keys.block_type, node)
        node = olx.read_definition(node, getattr(runtime, "resources_fs", None), label)
        specs = block.author_specs()
        for part in olx.unknown_parts(node, specs, block.fields):
            olx.log.warning("%s: %s is not known to this version of lamap-xblocks; left out", label, part)
        values, others = olx.read_fields(node, specs, cls.ELEMENT_FIELDS, label)
        for name, text in others.items():
            field = block.fields.get(name)
            if field is None or field.scope not in (Scope.content, Scope.settings):
                continue  # not a field here (logged above), or not authored content
            try:
                setattr(block, name, olx.platform_value(field, text))
            except (TypeError, ValueError) as err:
                raise olx.OlxError(f"{label}: field '{name}': {err}") from None
        for name, value in values.items():
            setattr(block, name, value)
        return block

    def add_xml_to_node(self, node):
        """Export authored fields that are set; user state never leaves the learner."""
        node.tag = self.xml_element_name()
        node.set("xblock-family", self.entry_point)
        specs = self.author_specs()
        ours = {}
        for name, field in self.fields.items():
            if field.scope not in (Scope.content, Scope.settings) or name in ("parent", "children"):
                continue
            if not (field.is_set_on(self) or field.force_export):
                continue
            if name in specs:
                ours[name] = field.read_from(self)
            else:
                node.set(name, olx.platform_text(field, field.read_from(self)))
        if not ours and set(node.attrib) <= olx.IGNORED_ATTRIBUTES and "investigation" in specs:
            # Never a bare <lamap_x url_name=".." xblock-family=".."/>: importers take that for a
            # pointer to a file that does not exist. The key, even empty, reads back as it was.
            ours["investigation"] = self.investigation
        olx.write_fields(node, ours, specs, self.ELEMENT_FIELDS)


STAFF_LIST_LIMIT = 50
REPORT_BATCH = 500  # learners whose records one query fetches for the Problem Responses report
STEP_NAMES = {
    "question": _("Question"),
    "hypothesis": _("Hypotheses"),
    "experiment": _("Experiment"),
    "argumentation": _("Argumentation"),
    "analysis": _("Analysis of practice"),
}


def summary_as_text(parts, bullets=False):
    """
    Labelled parts as plain text, one per line ("Label: text"; tables flattened; lists too,
    or with ``bullets`` one item a line, for a reader rather than a spreadsheet).
    """
    lines = []
    for part in parts:
        if part.get("list") and bullets:
            value = "".join(f"\n– {item}" for item in part["list"])
        elif part.get("list"):
            value = "; ".join(str(item) for item in part["list"])
        elif part.get("table"):
            head = part["table"]["head"]
            rows = [
                ", ".join(f"{name} {cell}" for name, cell in zip(head, row, strict=False))
                for row in part["table"]["rows"]
            ]
            value = " | ".join(rows)
        else:
            value = str(part.get("text", ""))
        if value:
            lines.append(f"{part['label']}:{value}" if value.startswith("\n") else f"{part['label']}: {value}")
    return "\n".join(lines)


def records_csv(records, gettext):
    """Store records as CSV text: anonymous ids only, one row per submitted version."""
    from .registry import block_class  # the step classes, by step name

    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(
        ["anonymous_user_id", "investigation", "step", "block", "version", "kind", "submitted_on", "answer"]
    )
    for record in records:
        cls = block_class(record.step)
        writer.writerow(
            [
                record.learner,
                record.investigation,
                record.step,
                record.usage_id,
                record.version,
                record.kind,
                record.created.isoformat(),
                cls.summary_text(record.work, gettext) if cls else json.dumps(record.work, ensure_ascii=False),
            ]
        )
    return output.getvalue()
