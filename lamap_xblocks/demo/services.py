"""
The demo's user service: what Open edX's user service tells blocks, for workbench
students. A student id starting with "staff" (``?student=staff``) is course staff; the
anonymous id is a hash of the student id, as the platform's is opaque.
"""

import hashlib

from xblock.reference.user_service import UserService, XBlockUser


def anonymous_id(student):
    """The demo's anonymous id of a student: a one-way hash, as Open edX's are (tests import it)."""
    return hashlib.sha256(f"demo:{student}".encode()).hexdigest()[:32]


class DemoUserService(UserService):
    """Loaded by the workbench with no arguments; it sets ``runtime`` afterwards."""

    runtime = None

    def __init__(self):
        super().__init__(user=None)

    def get_current_user(self):
        uid = str(getattr(self.runtime, "user_id", None) or "student_1")
        user = XBlockUser(is_current_user=True, emails=[], full_name="")
        user.opt_attrs.update(
            {
                "xblock-workbench.user_id": uid,
                "edx-platform.user_id": uid,
                "edx-platform.anonymous_user_id": anonymous_id(uid),
                "edx-platform.user_is_staff": uid.startswith("staff"),
                "edx-platform.user_role": "staff" if uid.startswith("staff") else "student",
            }
        )
        return user
