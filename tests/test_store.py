"""
The investigation store on its own: versioned records, the class board's counters and
groups, endorsements and flags once per learner, staff hiding, peer review allocation,
a constant number of queries per board page, and learners' retirement.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from lamap_xblocks import models, similarity, store

COURSE = "course-v1:lamap+test+2026"
BOARD = "block-v1:lamap+test+2026+type@lamap_question+block@q1"


def contribute(learner, text, usage_id=BOARD, shared=True):
    return store.contribute(
        course_id=COURSE, investigation="floating", usage_id=usage_id, learner=learner, text=text, shared=shared
    )


def record(learner, step="question", usage_id=BOARD, work=None, kind="submitted", investigation="floating"):
    return store.record_step(
        course_id=COURSE,
        investigation=investigation,
        usage_id=usage_id,
        step=step,
        learner=learner,
        kind=kind,
        title="Title",
        work=work or {"n": 1},
    )


def test_records_are_versioned_never_overwritten():
    first = record("a", work={"text": "one"})
    second = record("a", work={"text": "two"}, kind="resubmitted")
    other = record("b", work={"text": "b's"})
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert [row.work["text"] for row in store.history(course_id=COURSE, learner="a")] == ["one", "two"]
    assert store.latest_work(course_id=COURSE, learner="a", investigation="floating", step="question").version == 2
    assert store.latest_work(course_id=COURSE, learner="a", investigation="other", step="question") is None


def test_latest_work_is_per_learner_and_investigation():
    record("a", step="question", work={"q": "mine"})
    record("b", step="question", work={"q": "theirs"})
    record("a", step="question", work={"q": "elsewhere"}, investigation="dissolving", usage_id="other-block")
    found = store.latest_work(course_id=COURSE, learner="a", investigation="floating", step="question")
    assert found.work == {"q": "mine"}
    assert store.investigation_keys(COURSE) == ["dissolving", "floating"]
    assert store.step_counts(course_id=COURSE, investigation="floating") == {"question": 2}


def test_block_records_latest_version_of_each_learner():
    record("a", work={"v": 1})
    record("a", work={"v": 2})
    record("b", work={"v": 1})
    latest = store.block_records(BOARD)
    assert [(row.learner, row.work["v"]) for row in latest] == [("a", 2), ("b", 1)]
    assert len(store.block_records(BOARD, latest_only=False)) == 3


def test_contributions_count_once_per_learner():
    created = [contribute("a", "Does weight decide?")[1], contribute("a", "Does the shape decide?")[1]]
    assert created == [True, False]
    contribute("b", "Is it the material?")
    board = models.Board.objects.get(usage_id=BOARD)
    assert (board.contribution_count, board.shared_count) == (2, 2)
    assert models.Contribution.objects.get(learner="a").text == "Does the shape decide?", "resubmission updates"


def test_unshared_contributions_are_kept_but_not_shown():
    contribute("a", "kept for peer feedback", shared=False)
    contribute("b", "shared")
    page = store.board_page(BOARD, viewer="c")
    assert [item["text"] for item in page.items] == ["shared"]
    assert page.count == 1
    assert store.board_page(BOARD, viewer="staff", staff=True).count == 2


def test_board_orders_and_pages():
    with override_settings(LAMAP_XBLOCKS={"BOARD_PAGE_SIZE": 3}):
        for number in range(7):
            contribute(f"learner-{number}", f"Idea number {number} about boats {number}")
        newest = store.board_page(BOARD, viewer="x", order="newest")
        assert (newest.count, newest.pages) == (7, 3)
        assert [item["text"] for item in newest.items] == [f"Idea number {n} about boats {n}" for n in (6, 5, 4)]
        last = store.board_page(BOARD, viewer="x", order="newest", page=3)
        assert [item["text"] for item in last.items] == ["Idea number 0 about boats 0"]
        assert store.board_page(BOARD, viewer="x", page=99).page == 3, "a page past the end shows the last"
        shuffled = [
            item["id"]
            for page in (1, 2, 3)
            for item in store.board_page(BOARD, viewer="x", order="shuffled", page=page).items
        ]
        assert sorted(shuffled) == sorted(item.pk for item in models.Contribution.objects.all())


def test_similar_ideas_are_grouped():
    first, _ = contribute("a", "Heavy objects sink because they are heavy.")
    similar, _ = contribute("b", "Heavy objects sink, because they're heavy!")
    different, _ = contribute("c", "Salt water makes an egg float.")
    assert similar.group == first.pk
    assert different.group == different.pk
    page = store.board_page(BOARD, viewer="d", order="grouped")
    texts = [item["text"] for item in page.items]
    assert (
        texts.index("Heavy objects sink, because they're heavy!")
        == texts.index("Heavy objects sink because they are heavy.") + 1
    )
    by_text = {item["text"]: item for item in page.items}
    assert by_text["Heavy objects sink because they are heavy."]["similar"] == 1
    assert by_text["Heavy objects sink, because they're heavy!"]["same_group_as_previous"]
    assert by_text["Salt water makes an egg float."]["similar"] == 0


def test_similarity_words_ignore_case_accents_and_stop_words():
    assert similarity.words("Les objets lourds COULENT") == similarity.words("les objets lourds coulent.")
    assert similarity.jaccard(similarity.words("The boat floats"), similarity.words("a floating boat")) == 1.0
    assert similarity.bands(set()) == []


def test_endorse_and_flag_once_per_learner():
    contribution, _ = contribute("a", "Idea")
    assert store.endorse(BOARD, contribution.pk, "b", True)
    assert not store.endorse(BOARD, contribution.pk, "b", True), "a second endorsement changes nothing"
    store.endorse(BOARD, contribution.pk, "c", True)
    contribution.refresh_from_db()
    assert contribution.endorsement_count == 2
    assert store.endorse(BOARD, contribution.pk, "b", False)
    contribution.refresh_from_db()
    assert contribution.endorsement_count == 1
    page = store.board_page(BOARD, viewer="c")
    assert page.items[0]["endorsed"] and not page.items[0]["mine"]
    assert store.flag(BOARD, contribution.pk, "b") and not store.flag(BOARD, contribution.pk, "b")
    contribution.refresh_from_db()
    assert contribution.flag_count == 1


@pytest.mark.parametrize(
    "action",
    [
        lambda pk: store.endorse(BOARD, pk, "a", True),
        lambda pk: store.flag(BOARD, pk, "a"),
    ],
    ids=["endorse", "flag"],
)
def test_own_contribution_cannot_be_endorsed_or_flagged(action):
    contribution, _ = contribute("a", "Idea")
    with pytest.raises(store.StoreError):
        action(contribution.pk)


def test_unknown_or_foreign_contribution_is_refused():
    contribution, _ = contribute("a", "Idea", usage_id="another-board")
    for action in (
        lambda: store.endorse(BOARD, contribution.pk, "b", True),
        lambda: store.flag(BOARD, 999999, "b"),
        lambda: store.set_hidden(BOARD, contribution.pk, True),
    ):
        with pytest.raises(store.StoreError):
            action()
    assert models.Endorsement.objects.count() == models.Flag.objects.count() == 0


def test_staff_hiding_moves_the_shared_count():
    contribution, _ = contribute("a", "Idea")
    contribute("b", "Other idea")
    assert store.set_hidden(BOARD, contribution.pk, True)
    assert not store.set_hidden(BOARD, contribution.pk, True), "hiding twice counts once"
    assert store.board_page(BOARD, viewer="c").count == 1
    assert [item["text"] for item in store.board_page(BOARD, viewer="c").items] == ["Other idea"]
    staff = store.board_page(BOARD, viewer="s", staff=True)
    assert {item["text"]: item["hidden"] for item in staff.items} == {"Idea": True, "Other idea": False}
    with pytest.raises(store.StoreError):
        store.endorse(BOARD, contribution.pk, "c", True)
    store.set_hidden(BOARD, contribution.pk, False)
    assert store.board_page(BOARD, viewer="c").count == 2


def test_board_page_costs_a_fixed_number_of_queries():
    def queries(viewer, order):
        with CaptureQueriesContext(connection) as captured:
            store.board_page(BOARD, viewer=viewer, order=order)
        return len(captured.captured_queries)

    contribute("a", "First idea")
    small = {order: queries("z", order) for order in store.ORDERS}
    for number in range(40):
        contribution, _ = contribute(f"l{number}", f"Idea {number} on floating {number % 5}")
        store.endorse(BOARD, contribution.pk, "z", True)
    large = {order: queries("z", order) for order in store.ORDERS}
    assert small == large
    assert max(large.values()) <= 5


def test_peer_reviews_prefer_the_least_reviewed_then_examples():
    for learner in ("a", "b"):
        contribute(learner, f"{learner}'s argument", shared=False)
    first = store.assign_reviews(BOARD, "a", 3, ["Example one", "Example two"])
    assert [bool(review.contribution_id) for review in first] == [True, False, False]
    assert first[0].contribution.learner == "b", "never one's own argument"
    assert [review.example for review in first[1:]] == [0, 1]
    again = store.assign_reviews(BOARD, "a", 3, ["Example one", "Example two"])
    assert [review.pk for review in again] == [review.pk for review in first], "assignments are kept"
    second = store.assign_reviews(BOARD, "b", 1, [])
    assert second[0].contribution.learner == "a"
    store.submit_review(BOARD, second[0].pk, "b", [0], "Clear claim.")
    received = store.reviews_received(BOARD, "a")
    assert [(row["comment"], row["criteria_met"]) for row in received] == [("Clear claim.", [0])]
    with pytest.raises(store.StoreError):
        store.submit_review(BOARD, second[0].pk, "a", [], "Not mine to write")


def test_retiring_learners_deletes_their_rows_and_fixes_counters():
    theirs, _ = contribute("gone", "Their idea")
    mine, _ = contribute("stays", "My idea")
    record("gone")
    record("stays")
    store.endorse(BOARD, mine.pk, "gone", True)
    store.flag(BOARD, mine.pk, "gone")
    store.endorse(BOARD, theirs.pk, "stays", True)
    store.assign_reviews(BOARD, "gone", 1, [])
    deleted = store.retire_learners(["gone"])
    assert deleted > 0
    for model in (models.StepRecord, models.Contribution):
        assert not model.objects.filter(learner="gone").exists()
    assert not models.Endorsement.objects.filter(learner="gone").exists()
    assert not models.PeerReview.objects.filter(reviewer="gone").exists()
    mine.refresh_from_db()
    assert (mine.endorsement_count, mine.flag_count) == (0, 0)
    board = models.Board.objects.get(usage_id=BOARD)
    assert (board.contribution_count, board.shared_count) == (1, 1)
    assert store.history(course_id=COURSE, learner="stays")
    assert store.retire_learners([]) == 0


def test_retirement_signal_receiver_uses_the_platform_anonymous_ids(monkeypatch):
    """compat.retire_user maps a platform user to their anonymous ids, then retires them."""
    import sys
    import types

    from lamap_xblocks import compat

    record("anon-1")

    class Ids:
        objects = types.SimpleNamespace(
            filter=lambda user: types.SimpleNamespace(values_list=lambda *args, **kwargs: ["anon-1"])
        )

    module = types.ModuleType("common.djangoapps.student.models")
    module.AnonymousUserId = Ids
    monkeypatch.setitem(sys.modules, "common.djangoapps.student.models", module)
    assert compat.retire_user(sender=None, user=object()) == 1
    assert not models.StepRecord.objects.filter(learner="anon-1").exists()
    assert compat.retire_user(sender=None, user=None) == 0
