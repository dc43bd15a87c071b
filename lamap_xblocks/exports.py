"""
An investigation's submitted work as files a researcher or a trainer can open.

One table per kind of record, in the order of the inquiry, one value per column,
anonymous ids only: questions, hypotheses (one row per hypothesis and version), plans,
results (one row per results row, with its trial and the author's column titles),
evidence items, arguments and peer reviews. As CSV files in a zip (UTF-8 with a byte
order mark, so that spreadsheet programs read accents) or as JSON Lines.

Everything is a generator reading the store in chunks: the memory an export needs does
not grow with the class. Learners' text is neutral in CSV (a cell starting with = + - @
is made inert, so a spreadsheet never runs it as a formula).
"""

import csv
import io
import json
import zipfile

from . import store

KINDS = ("questions", "hypotheses", "plans", "results", "evidence", "arguments", "peer_reviews")
CHUNK = 2000  # records read from the database at a time
FLUSH = 64 * 1024  # bytes of the zip handed to the response at a time
COMMON = ["anonymous_user_id", "version", "kind", "submitted_on", "block"]
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A CSV cell that a spreadsheet shows as text, never evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value


def records(course_id, investigation, step):
    """The step's records (every submitted version), by learner then version, read in chunks."""
    query = store.models().StepRecord.objects.filter(course_id=course_id, investigation=investigation, step=step)
    return query.order_by("learner", "version", "id").iterator(chunk_size=CHUNK)


def common(record):
    return [record.learner, record.version, record.kind, record.created.isoformat(), record.usage_id]


def joined(items):
    return "; ".join(str(item) for item in items or [] if item not in (None, ""))


def questions(course_id, investigation):
    yield [*COMMON, "question_number", "question", "chosen", "testable", "testable_reason"]
    for record in records(course_id, investigation, "question"):
        work = record.work
        for number, question in enumerate(work.get("questions") or [], start=1):
            chosen = work.get("chosen_question") == number - 1
            yield [*common(record), number, question, chosen, work.get("testable", ""), work.get("testable_reason", "")]


def hypotheses(course_id, investigation):
    yield [
        *COMMON,
        "hypothesis_id",
        "idea",
        "reason",
        "prediction",
        "confidence",
        "verdict",
        "justification",
        "concluded_in",
    ]
    for record in records(course_id, investigation, "hypothesis"):
        concluded = record.work.get("concluded_in", "")
        for item in record.work.get("hypotheses") or []:
            yield [
                *common(record),
                item.get("id", ""),
                item.get("idea", ""),
                item.get("reason", ""),
                item.get("prediction", ""),
                item.get("confidence"),
                item.get("verdict", ""),
                item.get("justification", ""),
                concluded,
            ]


def plans(course_id, investigation):
    """One row per experiment version: the plan's fields as the step keeps them (lists joined with "; ")."""
    from .experiment import ExperimentBlock, measured_of  # the plan as the step reads it, old shapes too

    fields = [name for name in ExperimentBlock.WORK_FIELDS if name != "rows"]  # the rows have their own table
    yield [*COMMON, *fields]
    for record in records(course_id, investigation, "experiment"):
        work = dict(record.work, measured_variables=measured_of(record.work))
        yield [*common(record), *(cell(work.get(name)) for name in fields)]


def cell(value):
    """One value a cell: lists joined, absent values empty."""
    if isinstance(value, list):
        return joined(value)
    return "" if value is None else value


def results(course_id, investigation):
    """One row per results row, with its trial; a column per author's column (title with unit)."""
    from .charts import column_title
    from .experiment import trial_numbers

    titles = []  # every version's columns, in order of first appearance (a first, light pass)
    for record in records(course_id, investigation, "experiment"):
        for column in record.work.get("columns") or []:
            title = column_title(column)
            if title not in titles:
                titles.append(title)
    yield [*COMMON, "row", "trial", *titles]
    for record in records(course_id, investigation, "experiment"):
        columns, rows = record.work.get("columns") or [], record.work.get("rows") or []
        by_title = {column_title(column): column["key"] for column in columns}
        for number, (row, trial) in enumerate(zip(rows, trial_numbers(rows, columns), strict=True), start=1):
            cells = [row.get(by_title[title]) if title in by_title else None for title in titles]
            yield [*common(record), number, trial, *cells]


def evidence(course_id, investigation):
    yield [*COMMON, "item", "text", "source"]
    for record in records(course_id, investigation, "argumentation"):
        for number, item in enumerate(record.work.get("evidence") or [], start=1):
            if item.get("text"):
                yield [*common(record), number, item["text"], item.get("source", "")]


def arguments(course_id, investigation):
    yield [
        *COMMON,
        "claim",
        "reasoning",
        "limitations",
        "tested_hypothesis",
        "hypothesis_verdict",
        "confidence_now",
        "verdict_reason",
        "criteria_ticked",
        "criteria_total",
    ]
    for record in records(course_id, investigation, "argumentation"):
        work = record.work
        yield [
            *common(record),
            work.get("claim", ""),
            work.get("reasoning", ""),
            work.get("limitations", ""),
            (work.get("tested") or {}).get("id", ""),
            work.get("hypothesis_verdict", ""),
            work.get("confidence_now"),
            work.get("verdict_reason", ""),
            len(work.get("criteria_checked") or []),
            len(work.get("criteria") or []),
        ]


def peer_reviews(course_id, investigation):
    yield ["reviewer_anonymous_id", "author_anonymous_id", "example_number", "criteria_met", "comment", "submitted_on"]
    query = (
        store.models()
        .PeerReview.objects.filter(board__course_id=course_id, board__investigation=investigation)
        .exclude(submitted=None)
        .select_related("contribution")
        .order_by("reviewer", "submitted", "id")
    )
    for review in query.iterator(chunk_size=CHUNK):
        author = review.contribution.learner if review.contribution_id else ""
        example = review.example + 1 if review.example is not None else None
        criteria = joined(index + 1 for index in review.criteria_met or [])
        yield [review.reviewer, author, example, criteria, review.comment, review.submitted.isoformat()]


TABLES = {
    "questions": questions,
    "hypotheses": hypotheses,
    "plans": plans,
    "results": results,
    "evidence": evidence,
    "arguments": arguments,
    "peer_reviews": peer_reviews,
}


class Sink(io.RawIOBase):
    """Where the zip is written: bytes are taken out as they come, so nothing accumulates."""

    def __init__(self):
        self.chunks, self.size, self.position = [], 0, 0

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        self.size += len(data)
        self.position += len(data)
        return len(data)

    def tell(self):  # zipfile asks where it is; it never seeks back on an unseekable stream
        return self.position

    def take(self):
        data, self.chunks, self.size = b"".join(self.chunks), [], 0
        return data


def csv_zip(course_id, investigation):
    """The tables as CSV files (UTF-8 with BOM) in a zip, streamed as chunks of bytes."""
    sink = Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, kind in enumerate(KINDS, start=1):
            with archive.open(f"{investigation}/{number}-{kind}.csv", "w", force_zip64=True) as entry:
                text = io.TextIOWrapper(entry, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                for row in TABLES[kind](course_id, investigation):
                    writer.writerow([inert(cell) for cell in row])
                    if sink.size >= FLUSH:
                        text.flush()
                        yield sink.take()
                text.flush()
                text.detach()
            yield sink.take()
    yield sink.take()


def json_lines(course_id, investigation):
    """The tables as JSON Lines: one object per row, with its kind, streamed as bytes."""
    for kind in KINDS:
        rows = TABLES[kind](course_id, investigation)
        header = next(rows)
        for row in rows:
            yield (
                json.dumps({"table": kind, **dict(zip(header, row, strict=True))}, ensure_ascii=False) + "\n"
            ).encode()
