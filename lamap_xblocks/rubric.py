"""
Levelled rubrics: criteria, each with levels that have a description and points; scores
given by peers, staff and the learner; the grade that follows. Plain functions: the
argumentation and analysis blocks call them, tests call them directly.

An author writes a rubric as rows, one per level, grouped by criterion in the order
written (Studio's table editor and OLX's ``<rubric><level criterion=".." level=".."
points=".." description=".."/></rubric>``). A score is ``{"1": 0, "2": 2}``: for each
criterion (numbered from 1, as text) the index of the level chosen.

Where the grade comes from, first that applies (see docs/authoring.md):
  staff   a staff member scored the work: their score stands;
  peers   ``needed`` peers scored it: the median of their points, criterion by criterion;
  late    the wait is over with fewer peers: the median of the scores that came, if any,
  self    or else the learner's own assessment, made when they submitted;
  None    nothing yet: the grade waits (the learner goes on with the course meanwhile).
"""

import statistics

from xblock.fields import Dict, Integer, List, Scope

from . import validation as spec
from .validation import InputError, _

MAX_ROWS = 60
MAX_POINTS = 100


def rows_spec():
    """The author's rubric field: one row per level."""
    return spec.ListOf(
        _("Rubric"),
        spec.Record(
            _("Rubric level"),
            {
                "criterion": spec.Text(_("Criterion"), 200, single_line=True),
                "level": spec.Text(_("Level"), 100, single_line=True),
                "points": spec.Text(_("Points"), 3, single_line=True),
                "description": spec.Text(_("Description"), 500, single_line=True),
            },
        ),
        MAX_ROWS,
        item_name="level",
    )


def parse(rows):
    """Rows as criteria: ``[{"name", "levels": [{"name", "points", "description"}]}]``, in the order written."""
    criteria, index = [], {}
    for row in rows or []:
        name = (row.get("criterion") or "").strip()
        if not name:
            continue
        if name not in index:
            index[name] = len(criteria)
            criteria.append({"name": name, "levels": []})
        text = (row.get("points") or "").strip()
        criteria[index[name]]["levels"].append(
            {
                "name": (row.get("level") or "").strip(),
                "points": int(text) if text.isdigit() else 0,
                "description": (row.get("description") or "").strip(),
            }
        )
    return criteria


def problems(rows):
    """What is wrong with an author's rubric: (message, values) pairs to translate."""
    found = []
    for number, row in enumerate(rows or [], start=1):
        if not (row.get("criterion") or "").strip() or not (row.get("level") or "").strip():
            found.append((_("Rubric, row {number}: give the criterion and the level."), {"number": number}))
        text = (row.get("points") or "").strip()
        if not (text.isdigit() and int(text) <= MAX_POINTS):
            found.append(
                (
                    _("Rubric, row {number}: the points must be a whole number from 0 to {limit}."),
                    {"number": number, "limit": MAX_POINTS},
                )
            )
    for criterion in parse(rows):
        names = [level["name"] for level in criterion["levels"]]
        if len(names) < 2:
            found.append((_("Rubric: the criterion “{name}” needs at least two levels."), {"name": criterion["name"]}))
        elif len(set(names)) != len(names):
            found.append((_("Rubric: two levels of “{name}” have the same name."), {"name": criterion["name"]}))
        elif max(level["points"] for level in criterion["levels"]) == 0:
            found.append((_("Rubric: a level of “{name}” must give points."), {"name": criterion["name"]}))
    return found


def possible(criteria):
    return sum(max((level["points"] for level in criterion["levels"]), default=0) for criterion in criteria)


class Scores(spec.Spec):
    """A score against the rubric, ``{"1": level index, ...}``; ``complete``: every criterion scored."""

    def __init__(self, label, criteria, complete=False):
        super().__init__(label)
        self.criteria = criteria
        self.complete = complete

    def clean(self, value):
        if not isinstance(value, dict):
            raise InputError(_("{field} must be a JSON object."), self.label)
        cleaned = {}
        for key, level in value.items():
            if not (isinstance(key, str) and key.isdigit() and 1 <= int(key) <= len(self.criteria)):
                raise InputError(_("{field}: there is no criterion {number}."), self.label, number=str(key)[:10])
            if level is None:
                continue
            levels = self.criteria[int(key) - 1]["levels"]
            if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level < len(levels):
                raise InputError(_("{field}: there is no such level for criterion {number}."), self.label, number=key)
            cleaned[str(int(key))] = level
        if self.complete and len(cleaned) < len(self.criteria):
            raise InputError(_("{field}: choose a level for every criterion."), self.label)
        return cleaned


def is_complete(criteria, scores):
    return isinstance(scores, dict) and all(
        isinstance(scores.get(str(number)), int) and 0 <= scores[str(number)] < len(criterion["levels"])
        for number, criterion in enumerate(criteria, start=1)
    )


def points(criteria, scores):
    """Points per criterion of one complete score: ``[points, ...]`` (None for an incomplete score)."""
    if not is_complete(criteria, scores):
        return None
    return [criterion["levels"][scores[str(number)]]["points"] for number, criterion in enumerate(criteria, start=1)]


def outcome(criteria, *, staff=None, peers=(), own=None, needed=0, waited=False):
    """
    The grade of one piece of work: ``{"source", "points", "earned", "possible", "peers"}``, where
    ``points`` holds each criterion's points (a median may be a half); ``source`` None means
    nothing is decided yet. Scores that are not complete (the rubric changed since) are left out.
    """
    total = possible(criteria)
    peer_points = [found for found in (points(criteria, score) for score in peers) if found is not None]
    result = {"source": None, "points": None, "earned": None, "possible": total, "peers": len(peer_points)}
    staff_points = points(criteria, staff) if staff is not None else None
    if staff_points is not None:
        chosen, source = staff_points, "staff"
    elif peer_points and (len(peer_points) >= needed > 0 or waited):
        chosen = [statistics.median(column) for column in zip(*peer_points, strict=True)]
        source = "peers" if len(peer_points) >= needed > 0 else "late"
    elif waited and own is not None and points(criteria, own) is not None:
        chosen, source = points(criteria, own), "self"
    else:
        return result
    return dict(result, source=source, points=chosen, earned=sum(chosen))


def level_of(criterion, value):
    """The level a criterion's points fall on (a median between two levels: the lower one)."""
    levels = sorted(criterion["levels"], key=lambda level: level["points"])
    chosen = levels[0]
    for level in levels:
        if level["points"] <= value:
            chosen = level
    return chosen


# ----- a block with a rubric (the argumentation and analysis blocks pass themselves in) ----------
# The block has the three fields below, ``peer_reviews`` (peer_review.py) and ``scored``.


def rubric_field(help_text):
    return List(
        display_name=_("Rubric"),
        help=help_text,
        scope=Scope.content,
        default=[],
        item_label=_("Rubric level"),
        add_label=_("Add a level"),
    )


def wait_days_field():
    return Integer(
        display_name=_("Rubric: days to wait for peers"),
        help=_(
            "After this many days from a learner's first submission, their grade comes from the peer scores "
            "received, or else from their own assessment, so that nobody waits for ever."
        ),
        scope=Scope.settings,
        default=7,
    )


def self_scores_field():
    return Dict(scope=Scope.user_state, default={}, help="The learner's own rubric scores: criterion -> level")


def author_specs():
    return {"rubric": rows_spec(), "rubric_wait_days": spec.Integer(_("Rubric: days to wait for peers"), 1, 60)}


def older_page(data):
    """A save from a page loaded before the block had a rubric sends no self-assessment: an empty one."""
    return {"self_scores": {}, **data} if isinstance(data, dict) else data


def grades(block):
    """Whether the block's grade comes from its rubric (in a course, with the store)."""
    return bool(block.rubric and block.uses_store())


def self_missing(block, work):
    """What the learner's submission lacks of their self-assessment: a (field, message) list."""
    if block.rubric and not is_complete(parse(block.rubric), work["self_scores"]):
        return [("self_scores", block.gettext("Score your own work on every criterion of the rubric."))]
    return []


def keep_self_assessment(block, work):
    """The self-assessment, kept where peers' and staff's scores are (the fallback grade)."""
    from . import store  # noqa: PLC0415

    if grades(block):
        store.set_rubric_score(
            str(block.scope_ids.usage_id), block.learner, "self", scorer=block.learner, scores=work["self_scores"]
        )


def on_completion(block):
    """At submission: publish the rubric's grade once decided (never completion's) and the completion."""
    if block.has_score:
        publish(block, block.learner)
    block.emit_completion(1.0 if block.is_complete() else 0.0)


def score(block):
    """The learner's grade as a Score (0 until decided)."""
    from xblock.scorable import Score  # noqa: PLC0415

    result = decided(block, block.learner)
    earned = result["earned"] / result["possible"] if result["source"] and result["possible"] else 0.0
    return Score(raw_earned=round(earned, 4), raw_possible=1.0)


def on_view(block):
    """A score given by peers or staff since the learner's last visit reaches the platform now."""
    if grades(block) and block.has_score and block.submitted_on:
        publish(block, block.learner)


def assessment(block):
    """The learner's rubric result (or why it is not decided yet), after their submission."""
    if not (grades(block) and block.submitted_on):
        return None
    return panel(block, decided(block, block.learner))


def add_staff_forms(block, context):
    """Staff's panel: a rubric form on each learner's submission, with the score they gave."""
    from . import store  # noqa: PLC0415

    if context and block.rubric:
        given = store.staff_scores(str(block.scope_ids.usage_id), [row["learner_id"] for row in context["records"]])
        for number, row in enumerate(context["records"]):
            scores, comment = given.get(row["learner_id"], ({}, ""))
            row.update(rubric=form(block, f"{block.html_id}-staff-{number}", scores), staff_comment=comment)
    return context


def score_by_staff(block, data):
    """Staff score a learner's work: ``{"learner": anonymous id, "scores": {...}, "comment": ""}``."""
    from . import store  # noqa: PLC0415

    criteria = parse(block.rubric)
    request = spec.clean_request(
        {
            "learner": spec.Text(_("Learner"), 64, single_line=True),
            "scores": Scores(_("Scores"), criteria, complete=True),
            "comment": spec.Text(_("Your comment"), 2000),
        },
        data,
    )
    if not (criteria and block.uses_store()):
        raise InputError(_("This step has no rubric to score with."))
    usage_id = str(block.scope_ids.usage_id)
    if not store.has_record(usage_id, request["learner"]):
        raise InputError(_("No learner with this id has submitted this step."))
    store.set_rubric_score(
        usage_id,
        request["learner"],
        "staff",
        scorer=block.learner,
        scores=request["scores"],
        comment=request["comment"],
    )
    block.publish_event("scored_by_staff", {"learner": request["learner"], "scores": request["scores"]})
    publish(block, request["learner"])
    return {"message": block.gettext("Score saved. It is the learner's grade now.")}


SOURCES = {
    "staff": _("Scored by the course staff."),
    "peers": _("The median of your peers' scores, criterion by criterion."),
    "late": _("The wait for peers is over: the median of the scores that came, criterion by criterion."),
    "self": _("No peer or staff score came in time: your own assessment stands."),
}


def form(block, prefix, scores=None):
    """A rubric as radio groups for the template (common/rubric_form.html), ``scores`` chosen."""
    scores = scores or {}
    return [
        {
            "number": number,
            "name": criterion["name"],
            "group": f"{prefix}-c{number}",
            "levels": [
                dict(level, index=index, id=f"{prefix}-c{number}-l{index}", chosen=scores.get(str(number)) == index)
                for index, level in enumerate(criterion["levels"])
            ],
        }
        for number, criterion in enumerate(parse(block.rubric), start=1)
    ]


def self_form(block, legend, help_text):
    """The learner's self-assessment (common/rubric_self.html), or None without a rubric."""
    if not block.rubric:
        return None
    return {
        "legend": block.gettext(legend),
        "help": block.gettext(help_text),
        "form": form(block, f"{block.html_id}-self", block.self_scores),
    }


def decided(block, learner):
    """The outcome of ``learner``'s work in ``block``, from the store (see ``outcome``), and its deadline."""
    from datetime import timedelta  # noqa: PLC0415

    from django.utils import timezone  # noqa: PLC0415

    from . import store  # noqa: PLC0415

    usage_id = str(block.scope_ids.usage_id)
    rows = store.rubric_scores(usage_id, learner)
    first = store.first_record_date(usage_id, learner)
    waited = first is not None and timezone.now() >= first + timedelta(days=block.rubric_wait_days)
    result = outcome(
        parse(block.rubric),
        staff=rows["staff"].scores if rows["staff"] else None,
        peers=[review["scores"] for review in store.reviews_received(usage_id, learner)],
        own=rows["self"].scores if rows["self"] else None,
        needed=block.peer_reviews,
        waited=waited,
    )
    result["deadline"] = first + timedelta(days=block.rubric_wait_days) if first else None
    result["comment"] = rows["staff"].comment if result["source"] == "staff" else ""
    return result


def publish(block, learner):
    """
    Publish ``learner``'s grade once decided: as the block's own user's when it is theirs, else
    through the platform (compat.publish_grade_for). Returns the outcome.
    """
    from xblock.scorable import Score  # noqa: PLC0415

    from . import compat  # noqa: PLC0415

    result = decided(block, learner)
    if result["source"] is None or not result["possible"]:
        return result
    earned = round(result["earned"] / result["possible"], 4)
    if learner == block.learner:
        if block.raw_earned != earned:
            score = Score(raw_earned=earned, raw_possible=1.0)
            block.set_score(score)
            block.save()  # also when called from a view, which runtimes do not save
            block._publish_grade(score)  # noqa: SLF001  # ScorableXBlockMixin's own publisher
    else:
        compat.publish_grade_for(block, learner, earned, 1.0)
    return result


def panel(block, result):
    """What the learner reads of their assessment: each criterion's level, the total, where it comes from."""
    criteria = parse(block.rubric)
    if result["source"] is None:
        date = block.format_date(result["deadline"].isoformat()) if result["deadline"] else ""
        if block.peer_reviews:
            status = block.ngettext(
                "Waiting for peer scores: {count} of {wanted} received.",
                "Waiting for peer scores: {count} of {wanted} received.",
                result["peers"],
            ).format(count=result["peers"], wanted=block.peer_reviews)
            later = block.gettext(
                "If they have not all come by {date}, your grade will come from the scores received, "
                "or else from your own assessment."
            )
        else:
            status = block.gettext("Waiting for the course staff's score.")
            later = block.gettext("If it has not come by {date}, your own assessment stands.")
        return {"decided": False, "status": f"{status} {later.format(date=date)}"}
    rows = []
    for criterion, value in zip(criteria, result["points"], strict=True):
        level = level_of(criterion, value)
        top = max(item["points"] for item in criterion["levels"])
        rows.append(
            {
                "criterion": criterion["name"],
                "level": level["name"],
                "description": level["description"],
                "points": block.gettext("{points} of {possible}").format(points=f"{value:g}", possible=top),
            }
        )
    return {
        "decided": True,
        "status": block.gettext(SOURCES[result["source"]]),
        "rows": rows,
        "total": block.gettext("Total: {points} of {possible} points").format(
            points=f"{result['earned']:g}", possible=result["possible"]
        ),
        "comment": result["comment"],
    }
