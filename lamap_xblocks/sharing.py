"""
The class board (mise en commun): what the question, hypothesis and argumentation steps
add when the author shares contributions with the class. Storage and queries live in
store.py; this mixin holds the field, the board's context and its handlers.
"""

from xblock.core import XBlockMixin
from xblock.fields import Boolean, Scope

from . import compat, store
from . import validation as spec
from .base import _, json_api

ORDER_LABELS = {
    "newest": _("Newest first"),
    "shuffled": _("In a shuffled order"),
    "grouped": _("Similar ideas together"),
}


class ClassBoardMixin(XBlockMixin):
    """Shares each learner's submitted contribution anonymously, shown after their own submission."""

    share_with_class = Boolean(
        display_name=_("Share with the class"),
        help=_(
            "When checked, each learner's submitted contribution is shared anonymously on a class board, "
            "which learners see once they have submitted their own. Nobody's name is shown."
        ),
        scope=Scope.settings,
        default=False,
    )

    def author_specs(self):
        return dict(super().author_specs(), share_with_class=spec.Boolean(_("Share with the class")))

    def contribution_text(self, work):
        """The text the class sees of a submission (the subclass picks the parts)."""
        raise NotImplementedError

    def keeps_contributions(self):
        """Whether submissions go to the board (shared, or kept for peer feedback)."""
        return bool(self.share_with_class)

    def share_work(self, work, kind):
        super().share_work(work, kind)
        if self.uses_store() and self.keeps_contributions():
            store.contribute(
                course_id=self.course_key,
                investigation=self.investigation,
                usage_id=str(self.scope_ids.usage_id),
                learner=self.learner,
                text=self.contribution_text(work),
                shared=bool(self.share_with_class),
            )

    def board_context(self, page=1, order="newest"):
        """The board as the current user sees it, or None when they may not see it yet."""
        staff = compat.is_staff(self)
        if not (self.share_with_class and self.uses_store()):
            return None
        if not (staff or self.submitted_on):
            return None
        result = store.board_page(
            str(self.scope_ids.usage_id), viewer=self.learner, order=order, page=page, staff=staff
        )
        for item in result.items:
            item["date"] = self.format_date(item["created"].isoformat())
        return {
            "count": result.count,
            "page": result.page,
            "pages": result.pages,
            "order": result.order,
            "items": result.items,
            "staff": staff,
            "orders": [(value, self.gettext(label)) for value, label in ORDER_LABELS.items()],
        }

    def feedback_context(self, fields=None):
        context = dict(super().feedback_context(fields), board=self.board_context())
        if compat.in_library(self) and self.keeps_contributions():
            context["class_off"] = self.gettext(
                "Sharing with the class and peer feedback are off in a content library: "
                "they work once this block is used in a course."
            )
        return context

    def author_summary(self):
        shared = self.gettext("Yes") if self.share_with_class else self.gettext("No")
        return super().author_summary() + [(self.gettext("Share with the class"), shared)]

    # ----- handlers --------------------------------------------------------------------

    def board_reply(self, data, message=""):
        board = self.board_context(page=data.get("page") or 1, order=data.get("order") or "newest")
        if board is None:
            raise spec.InputError(_("The class board opens once you have submitted your own work."))
        html = self.render_template("common/board.html", {"board": board})
        return {"message": self.gettext(message) if message else "", "board_html": html}

    @staticmethod
    def board_request(data, **fields):
        return spec.clean_request(
            dict(
                {
                    "page": spec.Integer(_("Page"), 1, 100000),
                    "order": spec.Choice(_("Order"), ORDER_LABELS, allow_blank=False),
                },
                **fields,
            ),
            data,
        )

    @json_api
    def board_page(self, data):
        """A page of the class board: ``{"page": 2, "order": "newest"}``."""
        return self.board_reply(self.board_request(data))

    @json_api
    def endorse_contribution(self, data):
        """Say a contribution helps, or take it back: ``{"contribution": id, "endorsed": true}``."""
        request = self.board_request(
            data, contribution=spec.Integer(_("Contribution"), 1, 2**62), endorsed=spec.Boolean(_("Helps me"))
        )
        self.check_board_open()
        store.endorse(str(self.scope_ids.usage_id), request["contribution"], self.learner, request["endorsed"])
        return self.board_reply(
            request, _("Marked as helpful.") if request["endorsed"] else _("No longer marked as helpful.")
        )

    @json_api
    def flag_contribution(self, data):
        """Report a contribution to staff: ``{"contribution": id}``."""
        request = self.board_request(data, contribution=spec.Integer(_("Contribution"), 1, 2**62))
        self.check_board_open()
        store.flag(str(self.scope_ids.usage_id), request["contribution"], self.learner)
        return self.board_reply(request, _("Reported to staff. Thank you."))

    @json_api(staff=True)
    def hide_contribution(self, data):
        """Staff only: hide a contribution from the class, or show it again."""
        request = self.board_request(
            data, contribution=spec.Integer(_("Contribution"), 1, 2**62), hidden=spec.Boolean(_("Hidden"))
        )
        store.set_hidden(str(self.scope_ids.usage_id), request["contribution"], request["hidden"])
        return self.board_reply(
            request, _("Hidden from the class.") if request["hidden"] else _("Shown to the class again.")
        )

    def check_board_open(self):
        if not (self.share_with_class and store.enabled() and self.learner and self.submitted_on):
            raise spec.InputError(_("The class board opens once you have submitted your own work."))
