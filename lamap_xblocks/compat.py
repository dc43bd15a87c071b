"""
What the blocks need from the platform, in one place, imported lazily: the learner's
course-specific anonymous id, staff status, the course key, the course's blocks (for
Studio), the retirement signal. Each function falls back to something sensible in
other runtimes (the workbench, XBlock core's test runtime).
"""

import hashlib
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .registry import BLOCK_TYPES as STEP_TYPES  # the blocks whose investigation keys Studio offers

log = logging.getLogger(__name__)

WORKBENCH_COURSE = "course-v1:lamap+workbench+demo"


def current_user(block):
    service = block.runtime.service(block, "user")
    try:
        return service.get_current_user() if service else None
    except (AttributeError, NotImplementedError):
        return None


def learner_id(block):
    """
    The course-specific anonymous id of the current learner (Open edX's user service);
    elsewhere a one-way hash of the runtime's user id, so no username reaches the store.
    """
    user = current_user(block)
    anonymous = user.opt_attrs.get("edx-platform.anonymous_user_id") if user else None
    if anonymous:
        return str(anonymous)
    user_id = block.scope_ids.user_id
    if user_id is None:
        return None
    return hashlib.sha256(f"lamap-xblocks:{user_id}".encode()).hexdigest()[:32]


def learner_time_zone(block):
    """
    The learner's time zone from their Open edX preferences (``time_zone``, an IANA name),
    or None when the platform does not say: dates are then shown in UTC, and say so.
    """
    cache = block.__dict__
    if "_time_zone" not in cache:
        user = current_user(block)
        preferences = user.opt_attrs.get("edx-platform.user_preferences") if user else None
        name = preferences.get("time_zone") if isinstance(preferences, dict) else None
        try:
            cache["_time_zone"] = ZoneInfo(name) if name else None
        except (ZoneInfoNotFoundError, ValueError):
            cache["_time_zone"] = None
    return cache["_time_zone"]


def is_staff(block):
    """Course staff, as the platform's user service says (checked on the server, never trusted from a request)."""
    user = current_user(block)
    if user is None:
        return False
    return bool(user.opt_attrs.get("edx-platform.user_is_staff")) or user.opt_attrs.get("edx-platform.user_role") in (
        "staff",
        "instructor",
        "administrator",
    )


def in_library(block):
    """Whether the block lives in a v2 content library (a ``lib:`` key), not in a course."""
    key = getattr(block.scope_ids.usage_id, "context_key", None)
    return str(key or "").startswith("lib:")


def can_author(block):
    """
    Whether the current user may change the block's authored settings. Studio says so
    through its permissions service (its user service knows no course role); a v2
    library's runtime has none, and its API already checks who may edit the library; the
    LMS, the workbench and the preview have no authoring of their own: course staff only.
    """
    try:
        permissions = block.runtime.service(block, "studio_user_permissions")
    except Exception:  # pylint: disable=broad-except  # NoSuchServiceError, or a runtime without services
        permissions = None
    key = getattr(block.scope_ids.usage_id, "context_key", None)
    if permissions is not None and key is not None:
        return bool(permissions.can_write(key))
    if in_library(block):
        return True
    return is_staff(block)


def course_id(block):
    """The course key as text: from the usage key in Open edX, the runtime's, or the workbench's."""
    usage_id = block.scope_ids.usage_id
    for attribute in ("context_key", "course_key"):
        key = getattr(usage_id, attribute, None)
        if key is not None:
            return str(key)
    runtime_course = getattr(block.runtime, "course_id", None)
    return str(runtime_course) if runtime_course else WORKBENCH_COURSE


def anonymous_ids_by_username(block, usernames):
    """
    The course-specific anonymous ids of learners named by username (the Problem Responses
    report names them so), from the platform; {} where there is no platform.
    """
    try:
        from common.djangoapps.student.models import anonymous_id_for_user  # noqa: PLC0415 - platform only
        from django.contrib.auth import get_user_model  # noqa: PLC0415
    except ImportError:
        return {}
    course_key = getattr(block.scope_ids.usage_id, "course_key", None)
    users = get_user_model().objects.filter(username__in=list(usernames))
    return {user.username: anonymous_id_for_user(user, course_key) for user in users}


def course_investigation_keys(block):
    """
    Investigation keys set on the course's blocks, from Studio's modulestore, or None
    where there is no modulestore (the caller then falls back on the store).
    """
    try:
        from xmodule.modulestore.django import modulestore  # noqa: PLC0415 - platform only
    except ImportError:
        return None
    usage_id = block.scope_ids.usage_id
    course_key = getattr(usage_id, "course_key", None)
    if course_key is None:
        return None
    keys = set()
    try:
        for block_type in STEP_TYPES:
            for item in modulestore().get_items(course_key, qualifiers={"category": block_type}):
                if getattr(item, "investigation", ""):
                    keys.add(item.investigation)
    except Exception:  # noqa: BLE001 - a suggestion list must never break the editor
        log.exception("Could not list the investigations of %s", course_key)
        return None
    return sorted(keys)


def connect_retirement():
    """Delete a retired learner's store rows when Open edX retires the account (OEP-30)."""
    try:
        from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_MISC  # noqa: PLC0415
    except ImportError:
        return False
    USER_RETIRE_LMS_MISC.connect(retire_user, dispatch_uid="lamap_xblocks.retire_user")
    return True


def retire_user(sender=None, user=None, **kwargs):  # noqa: ARG001 - the signal's arguments
    """Signal receiver: the user's anonymous ids in every course, then the store's rows."""
    if user is None:
        return 0
    from common.djangoapps.student.models import AnonymousUserId  # noqa: PLC0415 - platform only

    from .store import retire_learners

    ids = AnonymousUserId.objects.filter(user=user).values_list("anonymous_user_id", flat=True)
    return retire_learners(ids)


def publish_grade_for(block, learner, earned, possible):
    """
    Publish another learner's grade (a peer or staff scored their work): in the LMS, through
    the grades app's SCORE_PUBLISHED signal, as the runtime does for the current user.
    Returns False where there is no such platform (the grade then reaches the platform
    when the learner next opens the block, which publishes it as its own user's).
    """
    try:
        from common.djangoapps.student.models import user_by_anonymous_id  # noqa: PLC0415
        from lms.djangoapps.grades.signals.signals import SCORE_PUBLISHED  # noqa: PLC0415
    except ImportError:
        return False
    user = user_by_anonymous_id(learner)
    if user is None:
        log.warning("No user has the anonymous id %s: their grade waits for their next visit", learner)
        return False
    SCORE_PUBLISHED.send(
        sender=None,
        block=block,
        user=user,
        raw_earned=earned,
        raw_possible=possible,
        only_if_higher=False,
        score_deleted=False,
        grader_response=None,
    )
    return True
