"""
Annotating a piece of practice (the analysis block's logic, as plain functions).

An artefact is an image (a pupil's notebook page, a poster), a transcript with numbered
lines (a classroom dialogue), or a video with its time-coded transcript. A mark points
at a part of it, the *target*:
  transcript  {"start": 3, "end": 5}            lines 3 to 5 (numbered from 1)
  video       {"start": 45.0, "end": 70.0}      seconds into the video
  image       {"x": 10, "y": 20, "w": 30, "h": 25}  a rectangle, in % of the image
Authors write the expert's targets as text ("3-5", "0:45-1:10", "10,20,30,25"); learners'
pages send the objects above. Comparing with the expert and the class works on these
targets; the class's marks are counted per transcript line or per cell of a grid laid
over the image (``class_targets``), so that the counts never scan anyone's work.
"""

import math
import re

from . import validation as spec
from .validation import InputError, _

KINDS = {
    "transcript": _("A transcript with numbered lines (a classroom dialogue)"),
    "image": _("An image (a pupil's notebook page, a poster)"),
    "video": _("A video with its time-coded transcript"),
}
LEVELS = {
    "not_seen": _("Not seen"),
    "partly": _("Partly"),
    "clearly": _("Clearly"),
}
GRID = 10  # the image is counted in GRID x GRID cells
MAX_LINES = 500
MAX_LINE_LENGTH = 2000
MAX_SECONDS = 6 * 3600
LINE = re.compile(
    r"^\s*(?:\[(?P<time>\d{1,2}(?::\d{1,2}){1,2})\]\s*)?(?:(?P<speaker>[^:\[\]]{1,40}?)\s*:\s+)?(?P<text>.*)$"
)
TIME = re.compile(r"^\d{1,2}(?::\d{1,2}){1,2}$")
LINES = re.compile(r"^\s*(?:lines?\s+)?(\d{1,4})\s*(?:[-–]\s*(\d{1,4}))?\s*$", re.IGNORECASE)
MOMENT = re.compile(r"^\s*([\d:]+)\s*(?:[-–]\s*([\d:]+))?\s*$")
REGION = re.compile(r"^\s*(?:region\s+)?([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*$", re.IGNORECASE)


# ----- the artefact -------------------------------------------------------------------------------


def seconds(text):
    """ "1:05" or "1:02:05" as seconds; ValueError for anything else."""
    text = text.strip()
    if not TIME.match(text):
        raise ValueError(text)
    total = 0
    for part in text.split(":"):
        total = total * 60 + int(part)
    return float(total)


def clock(value):
    """Seconds as "m:ss" (or "h:mm:ss"), as people read a video's time."""
    value = int(round(value or 0))
    hours, rest = divmod(value, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def parse_transcript(text):
    """
    The author's transcript, one line of speech per line of text, as
    ``[{"number", "time", "speaker", "text"}]``: "Teacher: Why?" gives a speaker,
    "[1:05] Teacher: Why?" also a time in seconds. Blank lines are left out.
    """
    lines = []
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        found = LINE.match(raw)
        time = seconds(found["time"]) if found["time"] else None
        lines.append(
            {
                "number": len(lines) + 1,
                "time": time,
                "clock": clock(time) if time is not None else "",
                "speaker": (found["speaker"] or "").strip(),
                "text": found["text"].strip(),
            }
        )
    return lines


# ----- targets ------------------------------------------------------------------------------------


def parse_target(kind, text):
    """An author's target ("3-5", "0:45-1:10", "10,20,30,25") as a target object; ValueError if unreadable."""
    if kind == "transcript":
        found = LINES.match(text or "")
        if not found:
            raise ValueError(text)
        start = int(found[1])
        return {"start": start, "end": int(found[2] or start)}
    if kind == "video":
        found = MOMENT.match(text or "")
        if not found:
            raise ValueError(text)
        start = seconds(found[1])
        return {"start": start, "end": seconds(found[2]) if found[2] else start}
    found = REGION.match(text or "")
    if not found:
        raise ValueError(text)
    x, y, w, h = (float(value) for value in found.groups())
    return {"x": x, "y": y, "w": w, "h": h}


def target_problem(kind, target, line_count):
    """What is wrong with a target: a message to translate ("{field}: ...") and its values, or None."""
    if kind == "transcript":
        if not 1 <= target["start"] <= target["end"] <= max(line_count, 1):
            return _("{field}: the lines must be between 1 and {count}, the first before the last."), {
                "count": line_count
            }
    elif kind == "video":
        if not 0 <= target["start"] <= target["end"] <= MAX_SECONDS:
            return _("{field}: the moment must start before it ends."), {}
    elif not (
        target["w"] > 0
        and target["h"] > 0
        and target["x"] >= 0
        and target["y"] >= 0
        and target["x"] + target["w"] <= 100.001
        and target["y"] + target["h"] <= 100.001
    ):
        return _("{field}: the region must lie inside the image (x, y, width, height in %)."), {}
    return None


class Target(spec.Spec):
    """A learner's target as the page sends it, checked against the artefact."""

    KEYS = {"transcript": ("start", "end"), "video": ("start", "end"), "image": ("x", "y", "w", "h")}

    def __init__(self, label, kind, line_count):
        super().__init__(label)
        self.kind = kind
        self.line_count = line_count

    def clean(self, value):
        keys = self.KEYS[self.kind]
        if not isinstance(value, dict) or sorted(value) != sorted(keys):
            raise InputError(_("{field} must be an object with {keys}."), self.label, keys=", ".join(keys))
        target = {}
        for key in keys:
            number = value[key]
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
                raise InputError(_("{field} must be a number."), self.label)
            target[key] = int(number) if self.kind == "transcript" else round(float(number), 2)
        if self.kind == "transcript" and any(value[key] != target[key] for key in keys):
            raise InputError(_("{field} must be a whole line number."), self.label)
        problem = target_problem(self.kind, target, self.line_count)
        if problem:
            raise InputError(problem[0], self.label, **problem[1])
        return target


def describe_target(kind, target, gettext, lines=()):
    """A target in words: "Lines 3–5", "0:45–1:10", "A region 10% across, 20% down (30% × 25%)"."""
    if kind == "transcript":
        if target["start"] == target["end"]:
            return gettext("Line {number}").format(number=target["start"])
        return gettext("Lines {first}–{last}").format(first=target["start"], last=target["end"])
    if kind == "video":
        if target["start"] == target["end"]:
            return gettext("At {time}").format(time=clock(target["start"]))
        return gettext("From {start} to {end}").format(start=clock(target["start"]), end=clock(target["end"]))
    return gettext("A region from {left}% to {right}% across and {top}% to {bottom}% down").format(
        left=round(target["x"]),
        right=round(target["x"] + target["w"]),
        top=round(target["y"]),
        bottom=round(target["y"] + target["h"]),
    )


def quoted_lines(kind, target, lines):
    """The transcript lines a target covers (transcript: its lines; video: the lines said in that moment)."""
    if kind == "transcript":
        return [line for line in lines if target["start"] <= line["number"] <= target["end"]]
    if kind == "video":
        return [lines[index - 1] for index in sorted(video_lines(target, lines))]
    return []


def overlap(kind, one, other):
    """Whether two targets share a part of the artefact."""
    if kind == "image":
        return min(one["x"] + one["w"], other["x"] + other["w"]) > max(one["x"], other["x"]) and min(
            one["y"] + one["h"], other["y"] + other["h"]
        ) > max(one["y"], other["y"])
    slack = 5.0 if kind == "video" else 0  # a moment marked a few seconds apart is the same moment
    return one["start"] <= other["end"] + slack and other["start"] <= one["end"] + slack


# ----- the expert's analysis beside the learner's ------------------------------------------------


def compare(kind, expert_marks, marks):
    """
    Each expert mark with how the learner's marks meet it: "same" (a mark on that part with
    the same criterion), "other" (a mark on that part, another criterion) or "missed"; and
    the learner's marks that meet no expert mark (``extra``, their indexes).
    """
    matched = set()
    rows = []
    for expert in expert_marks:
        touching = [index for index, mark in enumerate(marks) if overlap(kind, expert["target"], mark["target"])]
        same = [index for index in touching if marks[index]["criterion"] == expert["criterion"]]
        matched.update(touching)
        status = "same" if same else "other" if touching else "missed"
        rows.append({"expert": expert, "status": status, "yours": same or touching})
    extra = [index for index in range(len(marks)) if index not in matched]
    return rows, extra


# ----- the class's marks, counted -----------------------------------------------------------------


def video_lines(target, lines):
    """Numbers of the timed transcript lines said during a video target (the line being said at its start too)."""
    timed = [line for line in lines if line["time"] is not None]
    covered = {line["number"] for line in timed if target["start"] <= line["time"] <= target["end"]}
    before = [line for line in timed if line["time"] <= target["start"]]
    if before:
        covered.add(before[-1]["number"])
    return covered


def cells(target):
    """The grid cells (column, row) a region covers."""
    first_column = min(GRID - 1, int(target["x"] * GRID // 100))
    last_column = min(GRID - 1, max(first_column, math.ceil((target["x"] + target["w"]) * GRID / 100) - 1))
    first_row = min(GRID - 1, int(target["y"] * GRID // 100))
    last_row = min(GRID - 1, max(first_row, math.ceil((target["y"] + target["h"]) * GRID / 100) - 1))
    return {(column, row) for column in range(first_column, last_column + 1) for row in range(first_row, last_row + 1)}


def class_targets(kind, marks, lines):
    """What a learner's marks count for on the class's picture: "line:5" or "cell:3:4" names, sorted."""
    names = set()
    for mark in marks:
        target = mark["target"]
        if kind == "transcript":
            names.update(f"line:{number}" for number in range(target["start"], target["end"] + 1))
        elif kind == "video":
            names.update(f"line:{number}" for number in video_lines(target, lines))
        else:
            names.update(f"cell:{column}:{row}" for column, row in cells(target))
    return sorted(names)


def heat(kind, counts, learners, lines):
    """
    The class's marks as a heat strip (transcript and video: one entry per line) or a heat
    grid (image: one entry per cell): each with its count and share of ``learners``.
    """
    if not learners:
        return None
    peak = max(counts.values(), default=0)
    if kind == "image":
        entries = [
            {
                "x": column * 100 / GRID,
                "y": row * 100 / GRID,
                "count": counts.get(f"cell:{column}:{row}", 0),
                "opacity": round(0.75 * counts.get(f"cell:{column}:{row}", 0) / peak, 3) if peak else 0,
            }
            for row in range(GRID)
            for column in range(GRID)
        ]
        top = max(entries, key=lambda entry: entry["count"])
        return {
            "kind": "grid",
            "cells": entries,
            "size": 100 / GRID,
            "learners": learners,
            "top": top if top["count"] else None,
        }
    entries = []
    for line in lines:
        count = counts.get(f"line:{line['number']}", 0)
        entries.append(
            dict(
                line,
                count=count,
                share=round(100 * count / learners),
                level=min(4, math.ceil(4 * count / peak)) if peak and count else 0,
            )
        )
    return {"kind": "strip", "lines": entries, "learners": learners}


def class_overview(kind, expert_marks, criteria_count, works):
    """
    For staff: how a class's analyses (each learner's latest ``work``) meet the expert's:
    per expert mark, how many marked that part with the same criterion, another, or not at
    all; per criterion, how many judged it not seen / partly / clearly.
    """
    found = [{"same": 0, "other": 0, "missed": 0} for _mark in expert_marks]
    judged = [dict.fromkeys(LEVELS, 0) for _number in range(criteria_count)]
    for work in works:
        marks = [mark for mark in work.get("marks") or [] if isinstance(mark, dict) and "target" in mark]
        try:
            rows, _extra = compare(kind, expert_marks, marks)
        except (KeyError, TypeError):  # a record from before a change of artefact
            continue
        for counts, row in zip(found, rows, strict=True):
            counts[row["status"]] += 1
        for number, counts in enumerate(judged, start=1):
            level = (work.get("judgements") or {}).get(str(number))
            if level in counts:
                counts[level] += 1
    return {"marks": found, "judgements": judged}
