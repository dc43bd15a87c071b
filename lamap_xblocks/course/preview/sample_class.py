"""
``lamap-course preview --class N`` (``make demo CLASS=30``): N learners (``class-01``...)
work through the course's investigations with the blocks' own handlers, as a browser
would, so that a trainer who opens a notebook as staff (``?student=staff``) sees a class
in the dashboard, and any of these learners can be opened from the switcher.

The class behaves like a real one, deterministically: some stop after the question, some
plans keep nothing the same (the step refuses them: their work stays a draft), some
arguments cite no results, some repeat their trials. The measurements follow the
science the course teaches (an object floats when its mass in grams is less than its
volume in cm³; sugar dissolves faster in warmer water) around the figures of the
course's own worked examples, with the scatter of real measurements. Learners' texts
are in English; an investigation without sample work here is left empty.
"""

import json
import random

from webob import Request

from lamap_xblocks import peer_review

NAME = "class-{number:02d}"
STEP_TYPES = ("lamap_question", "lamap_hypothesis", "lamap_experiment", "lamap_argumentation")

# Mass (g) and volume (cm³) of everyday objects: the course's worked examples (the apple,
# the potato, the 5 coins, the clay ball and boat) and densities it gives (wood 0.4 to
# 0.8 g/cm³, modelling clay 1.5 to 2, steel 7.9). The boat's volume is the water it
# pushes aside, hull and air together.
OBJECTS = {
    "apple": (182, 225),
    "potato": (151, 137),
    "5 coins": (30, 4),
    "cork": (3, 12),
    "wooden ruler": (32.5, 45),
    "steel key": (12, 1.5),
    "clay ball": (41, 25),
    "clay boat": (41, 90),
    "log piece": (350, 500),
}
# Median time for a sugar cube to dissolve in still water: the course's worked example.
DISSOLVING = {10: 412, 20: 305, 40: 170}

SAMPLES = {
    "floating": {
        "questions": [
            "Why does the heavy log float when the paperclip sinks?",
            "why does a heavy log float",
            "Does the weight of an object decide if it floats?",
            "Do big objects float better than small ones?",
            "Why does the clay boat float and the clay ball sink?",
        ],
        "hypotheses": [
            (
                "Heavy objects sink and light objects float.",
                "because heavy things push down harder on the water.",
                "If I put the heavy log piece in water, then I will observe that it sinks.",
                "refuted",
            ),
            (
                "Big objects float better than small ones.",
                "because ships are very big and they float.",
                "If I put the potato, which is bigger than the cork, in water, then it will float.",
                "refuted",
            ),
            (
                "Objects that are light for their size float.",
                "because the boat and the ball have the same clay but not the same shape.",
                "If I put the clay boat in water, then it will float while the clay ball sinks.",
                "supported",
            ),
        ],
        "changed": "the object",
        "measured": ["the mass", "the volume", "whether it floats or sinks"],
        "controlled": ["the same basin of tap water", "the same scale"],
        "claim": "Whether an object floats does not depend on its mass alone, but on its mass for its size.",
        "reasoning": "Objects whose mass in grams was less than their volume in cm³ floated, whatever their mass.",
        "limitations": "We tested few objects, once each, in fresh water only.",
    },
    "dissolving": {
        "questions": [
            "Does sugar dissolve faster in hot water?",
            "does sugar dissolve quicker in hot water",
            "Why does sugar disappear in water?",
            "Does stirring make sugar dissolve faster?",
        ],
        "hypotheses": [
            (
                "Sugar dissolves faster in warmer water.",
                "because sugar in hot tea disappears quickly.",
                "If the water is at 40 °C, then the cube will dissolve faster than at 10 °C.",
                "supported",
            ),
            (
                "The temperature of the water makes no difference.",
                "because the sugar is the same in every glass.",
                "If I compare 10 °C and 40 °C, then the cube will take the same time.",
                "refuted",
            ),
        ],
        "changed": "the temperature of the water",
        "measured": ["the time for the cube to dissolve"],
        "controlled": ["the same amount of water", "the same size of sugar cube", "no stirring"],
        "claim": "Sugar dissolves faster in warmer water.",
        "reasoning": "The median time fell as the temperature rose, and the trials at one temperature varied less.",
        "limitations": "One kind of sugar cube, three temperatures, and timing by eye.",
    },
}


def call(runtime, usage_id, handler, data):
    """A handler called as the browser calls it; returns (status, reply)."""
    request = Request.blank("/", method="POST", body=json.dumps(data).encode("utf-8"))
    request.content_type = "application/json"
    response = runtime.get_block(usage_id).handle(handler, request)
    return response.status_code, response.json if response.content_type == "application/json" else None


def question_work(sample, rng):
    own = rng.choice(sample["questions"])
    other = rng.choice([question for question in sample["questions"] if question != own])
    testable = rng.choices(["yes", "unsure", "no"], weights=[7, 2, 1])[0]
    reasons = {
        "yes": "We can try it with the objects and the water in the room.",
        "unsure": "I do not know yet what we would measure.",
        "no": "It asks why, and a why needs more than one experiment.",
    }
    return {"questions": [own, other], "chosen_question": 0, "testable": testable, "testable_reason": reasons[testable]}


def hypothesis_work(sample, rng):
    idea, reason, prediction, _verdict = rng.choice(sample["hypotheses"])
    item = {"id": "h1", "idea": idea, "reason": reason, "prediction": prediction, "confidence": rng.randint(1, 4)}
    return {"hypotheses": [item]}


def measured(value, rng, spread):
    return round(value * rng.uniform(1 - spread, 1 + spread), 1)


def experiment_rows(investigation, columns, rng):
    """One learner's results in the block's own columns (by role), or None for an unknown table."""
    keys = {column["key"] for column in columns}
    if investigation == "floating" and {"object", "mass", "volume", "observed"} <= keys:
        rows = []
        for name in rng.sample(sorted(OBJECTS), rng.randint(5, 7)):
            mass, volume = measured(OBJECTS[name][0], rng, 0.03), measured(OBJECTS[name][1], rng, 0.05)
            row = {"object": name, "mass": mass, "volume": volume, "observed": "floats" if mass < volume else "sinks"}
            if "predicted" in keys:  # the common idea first: heavy things sink
                row["predicted"] = "sinks" if mass > 100 else "floats"
            rows.append(row)
        return rows
    if investigation == "dissolving" and {"temperature", "time"} <= keys:
        trials = rng.choice([1, 3, 3, 3])
        return [
            {"temperature": temperature, "time": round(measured(median, rng, 0.12))}
            for temperature, median in DISSOLVING.items()
            for _trial in range(trials)
        ]
    return None


def experiment_work(investigation, sample, block, rng):
    rows = experiment_rows(investigation, block.columns, rng)
    if rows is None:
        return None
    rows = [{column["key"]: row.get(column["key"], "") for column in block.columns} for row in rows]
    fair = rng.random() > 0.15  # a few plans keep nothing the same: the step refuses them
    return {
        "tested_hypothesis": "h1",
        "changed_variable": sample["changed"],
        "changed_values": [],
        "measured_variables": sample["measured"],
        "controlled_variables": sample["controlled"] if fair else [],
        "materials": [],
        "protocol": [],
        "prediction": "I think that the results will agree with my hypothesis.",
        "rows": rows,
        "observations": "",
    }


def argument_work(sample, hypothesis, rng):
    verdict = next(entry[3] for entry in sample["hypotheses"] if entry[0] == hypothesis["idea"])
    cites = rng.random() < 0.7
    evidence = [
        {"text": "My first result, as recorded in my table.", "source": "row-1" if cites else ""},
        {"text": "My second result, as recorded in my table.", "source": "row-2" if cites else ""},
    ]
    now = max(1, min(4, hypothesis["confidence"] + (1 if verdict == "supported" else -1)))
    return {
        "claim": sample["claim"],
        "evidence": evidence,
        "hypothesis_verdict": verdict,
        "confidence_now": now,
        "verdict_reason": "My results showed it." if now != hypothesis["confidence"] else "",
        "reasoning": sample["reasoning"],
        "limitations": sample["limitations"],
        "criteria_checked": [],
    }


def steps_of(preview):
    """{investigation: {block type: usage id}} for the course's investigations with sample work."""
    found = {}
    for component in preview.blocks:
        investigation = component.element.get("investigation", "")
        if component.category in STEP_TYPES and investigation in SAMPLES:
            found.setdefault(investigation, {}).setdefault(component.category, preview.usage_ids[component.url_name])
    return found


def fill(preview, size, seed=2026):
    """``size`` learners through every investigation with sample work; returns what they did, per investigation."""
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415  # Django is set up by now

    preview.ensure_registered()
    done = {}
    for investigation, usages in steps_of(preview).items():
        sample, counts = SAMPLES[investigation], {"submitted": 0, "refused": 0, "drafts": 0}
        for number in range(1, size + 1):
            rng = random.Random(f"{seed}-{investigation}-{number}")
            runtime = WorkbenchRuntime(NAME.format(number=number))
            # How far this learner got: most finish, some stop on the way.
            depth = rng.choices([1, 2, 3, 4], weights=[1, 1, 2, 6])[0]
            hypothesis = hypothesis_work(sample, rng)
            plan = (
                experiment_work(investigation, sample, runtime.get_block(usages["lamap_experiment"]), rng)
                if "lamap_experiment" in usages
                else None
            )
            works = {
                "lamap_question": question_work(sample, rng),
                "lamap_hypothesis": hypothesis,
                "lamap_experiment": plan,
                "lamap_argumentation": argument_work(sample, hypothesis["hypotheses"][0], rng),
            }
            for index, block_type in enumerate(STEP_TYPES):
                if block_type not in usages or works[block_type] is None:
                    break
                handler = "submit_step" if index < depth else "save_draft"
                status, _reply = call(runtime, usages[block_type], handler, works[block_type])
                if handler == "save_draft":
                    counts["drafts"] += status == 200
                    break  # the next step is started, not finished
                if status != 200:
                    counts["refused"] += 1  # kept as a draft by the step itself
                    break
                counts["submitted"] += 1
        review_class(usages.get("lamap_argumentation"), size)
        done[investigation] = counts
    return done


def review_class(usage_id, size):
    """Each learner who argued comments on the first argument given to them, as peer feedback asks."""
    if usage_id is None:
        return
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415

    for number in range(1, size + 1):
        runtime = WorkbenchRuntime(NAME.format(number=number))
        block = runtime.get_block(usage_id)
        if not (block.submitted_on and block.peer_reviews):
            continue
        context = peer_review.context(block) or {}
        for review in (context.get("reviews") or [])[:1]:
            call(
                runtime,
                usage_id,
                "submit_peer_review",
                {"review": review["id"], "criteria_met": [0], "comment": "Your claim is clear; cite a row too."},
            )
