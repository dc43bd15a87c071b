"""
An investigation's exports, read back as a researcher would: the zip's CSV files column by
column (BOM, anonymous ids, one value per cell, trials), JSON Lines, formula cells made
inert, staff only, and streaming (the export is an iterator read in chunks).
"""

import copy
import csv
import io
import json
import types
import zipfile

from webob import Request

from lamap_xblocks import exports

from .conftest import VALID_WORK, as_user, call
from .test_evidence import FLOATING_EXPERIMENT, FLOATING_WORK


def submit(block, work):
    status, reply = call(block, "submit_step", copy.deepcopy(work))
    assert status == 200, reply


def investigation(make_block, learners=("a", "b")):
    blocks = types.SimpleNamespace(
        question=make_block("lamap_question", investigation="floating"),
        hypothesis=make_block("lamap_hypothesis", investigation="floating"),
        experiment=make_block("lamap_experiment", investigation="floating", **FLOATING_EXPERIMENT),
        argumentation=make_block("lamap_argumentation", investigation="floating"),
    )
    for learner in learners:
        submit(as_user(blocks.question, learner), VALID_WORK["lamap_question"])
        submit(as_user(blocks.hypothesis, learner), VALID_WORK["lamap_hypothesis"])
        submit(as_user(blocks.experiment, learner), FLOATING_WORK)
        argument = dict(
            copy.deepcopy(VALID_WORK["lamap_argumentation"]), hypothesis_verdict="refuted", confidence_now=3
        )
        argument["claim"] = '=HYPERLINK("http://evil.example")' if learner == "b" else argument["claim"]
        submit(as_user(blocks.argumentation, learner), argument)
    return blocks


def unzip(block):
    response = block.handle("export", Request.blank("/?format=zip"))
    assert response.status_code == 200 and response.content_type == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.body))
    tables = {}
    for name in archive.namelist():
        raw = archive.read(name)
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}: UTF-8 with BOM, for spreadsheets"
        tables[name] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    return archive.namelist(), tables


def test_one_csv_per_kind_in_the_order_of_the_inquiry(make_block, users):
    blocks = investigation(make_block)
    users.staff.add("teacher")
    names, tables = unzip(as_user(blocks.experiment, "teacher"))
    assert names == [f"floating/{n}-{kind}.csv" for n, kind in enumerate(exports.KINDS, start=1)]
    questions = tables["floating/1-questions.csv"]
    assert [(row["anonymous_user_id"], row["question_number"], row["chosen"]) for row in questions] == [
        ("anon-a", "1", "False"),
        ("anon-a", "2", "True"),
        ("anon-b", "1", "False"),
        ("anon-b", "2", "True"),
    ]
    assert questions[1]["question"] == "Do heavy things always sink?"
    hypothesis = tables["floating/2-hypotheses.csv"][0]
    assert (hypothesis["hypothesis_id"], hypothesis["confidence"]) == ("h1", "3")
    plan = tables["floating/3-plans.csv"][0]
    assert list(plan)[5:] == [
        "tested_hypothesis",
        "changed_variable",
        "changed_values",
        "measured_variables",
        "controlled_variables",
        "materials",
        "protocol",
        "prediction",
        "observations",
    ], "the data dictionary's columns, in its order"
    assert plan["changed_variable"] == "the object"
    assert plan["measured_variables"] == "its mass; its volume; whether it floats"
    results = tables["floating/4-results.csv"]
    assert list(results[0])[-5:] == ["Object", "Mass (g)", "Volume (cm³)", "Predicted", "Observed"]
    assert len(results) == 2 * len(FLOATING_WORK["rows"])
    assert [(row["row"], row["trial"], row["Object"], row["Mass (g)"]) for row in results[:2]] == [
        ("1", "1", "modelling clay ball", "41"),
        ("2", "2", "modelling clay ball", "40"),
    ]
    evidence = tables["floating/5-evidence.csv"]
    assert [row["text"] for row in evidence[:2]] == ["The heavy log floated.", "The light key sank."]
    arguments = tables["floating/6-arguments.csv"]
    assert arguments[1]["claim"] == '\'=HYPERLINK("http://evil.example")', "a formula is made inert"
    assert arguments[0]["tested_hypothesis"] == "h1"
    for rows in tables.values():
        for row in rows:
            assert not any("student" in str(value) for value in row.values()), "anonymous ids only"


def test_json_lines_hold_the_same_rows(make_block, users):
    blocks = investigation(make_block, learners=("a",))
    users.staff.add("teacher")
    response = as_user(blocks.question, "teacher").handle("export", Request.blank("/?format=jsonl"))
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.body.decode("utf-8").splitlines()]
    assert {line["table"] for line in lines} == {"questions", "hypotheses", "plans", "results", "evidence", "arguments"}
    result = next(line for line in lines if line["table"] == "results")
    assert result["Mass (g)"] == 41 and result["trial"] == 1, "numbers stay numbers"


def test_exports_are_for_staff_and_for_investigations_only(make_block, users):
    blocks = investigation(make_block, learners=("a",))
    assert blocks.question.handle("export", Request.blank("/?format=zip")).status_code == 403
    users.staff.add("teacher")
    staff = as_user(blocks.question, "teacher")
    assert staff.handle("export", Request.blank("/?format=xls")).status_code == 400
    alone = as_user(make_block("lamap_question"), "teacher")
    response = alone.handle("export", Request.blank("/?format=zip"))
    assert response.status_code == 400 and b"not part of an investigation" in response.body


def test_the_export_is_streamed_in_chunks(make_block, monkeypatch):
    blocks = investigation(make_block, learners=tuple(f"l{n}" for n in range(6)))
    monkeypatch.setattr(exports, "FLUSH", 512)
    stream = exports.csv_zip(blocks.question.course_key, "floating")
    assert iter(stream) is stream, "a generator, not a built file"
    chunks = list(stream)
    assert len(chunks) > 7 and max(len(chunk) for chunk in chunks) < 64 * 1024
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    results = archive.read("floating/4-results.csv").decode("utf-8-sig").splitlines()
    assert len(results) == 1 + 6 * len(FLOATING_WORK["rows"]), "every learner's rows, whatever the chunks"
