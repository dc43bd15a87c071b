"""
Cost of the class board as the class grows: the store filled with 100, 10,000 and
100,000 contributions on one block's board.

    .venv/bin/python bench/board.py [--sizes 100 10000 100000] [--repeat 50] [--explain]

Each size gets a fresh sqlite database (a file in a temporary directory, migrated), filled
in bulk: varied texts, most of them variants of a few dozen common ideas (so grouped, as
the store groups similar ideas), the rest free-form; their similarity bands, a few
unshared, hidden and reported ones, and a few hundred endorsements by the learner who
views the board. For each order and for the first and a middle page: the median time of
store.board_page, its SQL queries, and the median time of the page rendered to HTML as
the block does; then one contribution by a new learner. Ratios are to the smallest size:
the board's cost should not grow with the class. A benchmark, not a test: the figures
depend on the machine; compare runs made on the same one.
"""

import argparse
import itertools
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_bench import WORK_DIR, fresh_database, median_ms, queries_of  # noqa: E402  # first: Django on a temporary sqlite

# isort: split
from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.template import Context  # noqa: E402

from lamap_xblocks import models, similarity, store  # noqa: E402
from lamap_xblocks.base import format_date, template_engine  # noqa: E402
from lamap_xblocks.i18n import Translator  # noqa: E402
from lamap_xblocks.sharing import ORDER_LABELS  # noqa: E402

USAGE_ID = "block-v1:LaMap+Float+2026+type@lamap_hypothesis+block@float"
COURSE_ID = "course-v1:LaMap+Float+2026"
INVESTIGATION = "float"
VIEWER = "0123456789abcdef0123456789abcdef"  # an anonymous id, as Open edX gives
ENDORSED = 300  # contributions the viewer found helpful (at most half the board)
GROUPED_SHARE = 0.7  # contributions that are a variant of a common idea
BUDGET = 3.0  # seconds per figure, beyond which fewer requests are timed (a slow board would be obvious anyway)

# What a class answers to "Why do some objects float and others sink?"
IDEAS = [
    "heavy objects sink and light objects float",
    "objects with air inside float on the water",
    "wood floats because wood is lighter than water",
    "metal sinks because metal is heavier than water",
    "the shape of the boat pushes the water away",
    "big objects sink more than small objects",
    "the water pushes the object up from below",
    "hollow objects float because they are full of air",
    "an object floats when it is lighter than the same volume of water",
    "salt water helps objects float like in the sea",
    "the object sinks when the water gets inside it",
    "plastic floats but glass sinks",
    "it depends on the material not on the size",
    "the density of the object decides whether it floats",
    "flat objects float better than round objects",
    "le bois flotte parce qu'il est plus leger que l'eau",
    "les objets lourds coulent et les objets legers flottent",
    "l'air dans l'objet le fait flotter",
    "la forme du bateau l'aide a flotter",
    "the ice cube floats because ice is lighter than liquid water",
    "a ball of clay sinks but a clay boat floats",
    "things that absorb water sink after a while",
    "the thicker the object the faster it sinks",
    "the apple floats because it has air between its cells",
    "the key sinks because iron is dense",
    "an orange with its peel floats and without its peel sinks",
    "the water level rises when the object goes in",
    "the weight of the water pushed away holds the object up",
    "the candle floats because wax is light",
    "the bottle floats when it is closed and sinks when it is full of water",
]
OPENERS = ["", "I think", "We think that", "In my opinion", "We saw that", "My hypothesis:", "Maybe", "Je pense que"]
OBJECTS = [
    "",
    "like the cork",
    "like the spoon",
    "like the rubber duck",
    "like the stone",
    "like the marble",
    "like the sponge",
    "like the coin",
    "like the leaf",
    "like the paper clip",
    "like the pencil",
    "like the egg",
    "like the potato",
    "like in the bath at home",
    "like we saw in class",
]
VOCABULARY = (
    "water float sink heavy light air wood metal stone boat shape size weight volume density salt sea bath "
    "bottle glass plastic iron clay wax candle apple orange peel egg potato marble coin sponge cork leaf "
    "pencil paper bubble surface push pull force gravity bottom top inside outside hollow full empty "
    "material liquid solid thick thin flat round big small pressure level rise fall slowly quickly "
    "experiment measure compare test observe result teacher class table bowl tank bucket sink river lake "
    "eau bois flotter couler leger lourd forme taille poids bateau pierre bouteille verre plastique"
).split()


def idea_text(rng, idea):
    parts = [rng.choice(OPENERS), idea, rng.choice(OBJECTS)]
    return " ".join(part for part in parts if part).capitalize() + "."


def free_text(rng):
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(6, 16))).capitalize() + "."


class Analysed(dict):
    """A text's words and similarity bands, once per text: many learners word an idea alike."""

    def __missing__(self, text):
        word_set = similarity.words(text)
        self[text] = (" ".join(sorted(word_set)), similarity.bands(word_set))
        return self[text]


def fill(size, seed=1, chunk=5000):
    """One board of ``size`` contributions, in bulk. Returns figures for the report."""
    rng = random.Random(seed)
    analysed = Analysed()
    board = models.Board.objects.create(usage_id=USAGE_ID, course_id=COURSE_ID, investigation=INVESTIGATION)
    endorsed = set(rng.sample(range(1, size + 1), min(ENDORSED, size // 2)))
    endorsed.update(range(size, max(0, size - 5), -1))  # some on the first page of the newest
    viewer_id = size // 2 + 1  # the viewer's own contribution, mid-board
    first_of_idea = {}
    figures = {"shared": 0, "bands": 0, "endorsements": 0}
    band_table = models.SimilarityBand._meta
    band_insert = "INSERT INTO {} ({}, {}, {}) VALUES (%s, %s, %s)".format(
        *(connection.ops.quote_name(name) for name in (band_table.db_table, "board_id", "contribution_id", "band"))
    )
    for first in range(1, size + 1, chunk):
        contributions, band_rows, endorsements, flags = [], [], [], []
        for pk in range(first, min(first + chunk, size + 1)):
            if rng.random() < GROUPED_SHARE:
                idea = rng.randrange(len(IDEAS))
                text = idea_text(rng, IDEAS[idea])
                group = first_of_idea.setdefault(idea, pk)
            else:
                text = free_text(rng)
                group = pk
            words, bands = analysed[text]
            shared = pk % 20 != 0  # 5% kept for peer feedback only
            hidden = pk % 200 == 7  # 0.5% hidden by staff, after reports
            endorse = pk in endorsed and pk != viewer_id and shared and not hidden
            contributions.append(
                models.Contribution(
                    id=pk,
                    board_id=board.pk,
                    learner=VIEWER if pk == viewer_id else f"{pk:032x}",
                    text=text,
                    shared=shared,
                    hidden=hidden,
                    group=group,
                    words=words,
                    shuffle_key=rng.randrange(2**31),
                    endorsement_count=int(endorse),
                    flag_count=2 if hidden else 0,
                )
            )
            band_rows.extend((board.pk, pk, key) for key in bands)
            if endorse:
                endorsements.append(models.Endorsement(contribution_id=pk, learner=VIEWER))
            if hidden:
                flags.extend(models.Flag(contribution_id=pk, learner=f"flagger-{n}") for n in range(2))
            figures["shared"] += shared and not hidden
        models.Contribution.objects.bulk_create(contributions)
        with connection.cursor() as cursor:  # six bands a contribution: the ORM's bulk_create would triple the fill
            cursor.executemany(band_insert, band_rows)
        models.Endorsement.objects.bulk_create(endorsements)
        models.Flag.objects.bulk_create(flags)
        figures["bands"] += len(band_rows)
        figures["endorsements"] += len(endorsements)
    models.Board.objects.filter(pk=board.pk).update(contribution_count=size, shared_count=figures["shared"])
    return dict(figures, groups=len(first_of_idea))


def render(page):
    """The board's HTML, from the context ClassBoardMixin.board_context builds."""
    for item in page.items:
        item["date"] = format_date(item["created"].isoformat())
    translator = Translator(None, "en")
    board = {
        "count": page.count,
        "page": page.page,
        "pages": page.pages,
        "order": page.order,
        "items": page.items,
        "staff": False,
        "orders": [(value, translator.gettext(label)) for value, label in ORDER_LABELS.items()],
    }
    context = {"board": board, "_": translator, "uid": "lamap-hypothesis-0123456789"}
    return template_engine().get_template("common/board.html").render(Context(context, autoescape=True))


def explain(sqls):
    with connection.cursor() as cursor:
        for sql in sqls:
            print(f"    {sql}")
            if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
                for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall():
                    print(f"      plan: {row[-1]}")


def measure(size, repeat, show_plans):
    """{case: (store ms, queries, page + HTML ms)} on a full board of ``size``."""
    pages = store.board_page(USAGE_ID, viewer=VIEWER).pages
    results = {}
    for order in store.ORDERS:
        for where, page in (("first", 1), ("middle", max(1, pages // 2))):

            def read(order=order, page=page):
                return store.board_page(USAGE_ID, viewer=VIEWER, order=order, page=page)

            read()  # warm caches, as a running server has
            sqls, _result = queries_of(read)
            if show_plans:
                print(f"  {order}, {where} page (page {page}):")
                explain(sqls)
            results[f"{order}, {where} page"] = (
                median_ms(read, repeat, BUDGET, 5),
                len(sqls),
                median_ms(lambda read=read: render(read()), repeat, BUDGET, 5),
            )

    def staff_read():
        return store.board_page(USAGE_ID, viewer="staff", order="newest", page=1, staff=True)

    staff_read()
    sqls, _result = queries_of(staff_read)
    if show_plans:
        print("  newest, first page, staff view:")
        explain(sqls)
    results["newest, first page, staff"] = (median_ms(staff_read, repeat, BUDGET, 5), len(sqls), None)

    writers = itertools.count()
    rng = random.Random(size)

    def write():
        text = idea_text(rng, rng.choice(IDEAS)) if rng.random() < GROUPED_SHARE else free_text(rng)
        store.contribute(
            course_id=COURSE_ID,
            investigation=INVESTIGATION,
            usage_id=USAGE_ID,
            learner=f"writer-{next(writers)}",
            text=text,
            shared=True,
        )

    sqls, _result = queries_of(write)
    if show_plans:
        print("  contribute, a new learner:")
        explain(sqls)
    results["contribute, new learner"] = (median_ms(write, max(5, repeat // 2), BUDGET, 5), len(sqls), None)
    return results


def ratio(value, base):
    return f"{value / base:7.2f}" if base else f"{'-':>7}"


def report(results, smallest):
    header = ("case", "store ms", "x", "queries", "x", "+HTML ms", "x")
    print("{:28} {:>9} {:>7} {:>8} {:>7} {:>9} {:>7}".format(*header))
    for case, (store_ms, queries, html_ms) in results.items():
        base_ms, base_queries, base_html = smallest[case]
        html = f"{html_ms:9.3f} {ratio(html_ms, base_html)}" if html_ms is not None else f"{'':9} {'':7}"
        store_figures = f"{store_ms:9.3f} {ratio(store_ms, base_ms)} {queries:8d} {ratio(queries, base_queries)}"
        print(f"{case:28} {store_figures} {html}".rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10000, 100000], help="contributions per board")
    parser.add_argument("--repeat", type=int, default=50, help="requests per measurement")
    parser.add_argument("--explain", action="store_true", help="print each query and its plan at the largest size")
    args = parser.parse_args()
    settings.DEBUG = False  # no query log kept, as in production (counts come from CaptureQueriesContext)
    sizes = sorted(set(args.sizes))
    print(
        f"one board on sqlite {connection.Database.sqlite_version}, {store.page_size()} contributions a page; "
        f"median of {args.repeat} requests (fewer past {BUDGET:g} s); ratios are to the board of {sizes[0]}"
    )
    print("store ms: store.board_page; +HTML ms: store.board_page and the page rendered with the board template")
    smallest = None
    try:
        for size in sizes:
            path = WORK_DIR / f"board-{size}.db"
            fresh_database(path)
            start = time.perf_counter()
            with transaction.atomic():
                figures = fill(size)
            filled = time.perf_counter() - start
            print(
                f"\n{size} contributions ({figures['shared']} shown to learners, {figures['groups']} common ideas, "
                f"{figures['bands']} similarity bands, {figures['endorsements']} endorsements by the viewer): "
                f"filled in {filled:.1f} s"
            )
            results = measure(size, args.repeat, args.explain and size == sizes[-1])
            smallest = smallest or results
            report(results, smallest)
            connections.close_all()
            for leftover in WORK_DIR.glob(f"{path.name}*"):
                leftover.unlink()
    finally:
        connections.close_all()
        shutil.rmtree(WORK_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
