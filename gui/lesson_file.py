"""Lessons as data: a TOML file of lessons, each a list of steps (issues 13 and 15).

Pure Python (tomllib, no Qt): `read_lessons(path, panel_names)` gives a `LessonBook` or raises
`LessonError` naming the file and the line of the bad entry. tomllib names the line of a syntax
error itself; for an entry that is valid TOML but means nothing here (an unknown setting or
panel, a value out of range) the line is found in the text (`_Lines`).

The format (version 1; resources/lessons.toml is the example)::

    format_version = 1

    [[lesson]]
    title = "Learning rate too high"
    compare = true        # keep the previous run's curves, faded, under the new run's

    [[lesson.step]]
    note = "What to watch, what it means."
    dataset = "mnist"     # a built-in name, or a path (relative to the lesson file)
    learning_rate = 0.1   # batch_size (a number or "full"), alpha, seed as well
    input_scale = "unit"  # or "raw": 0-255 pixels
    speed = 50            # steps a second (one of the speed control's), or "full"
    p = 0.5               # the binary network's threshold
    sample = 17           # or { misclassified = true, a_max_above = 0.95 }
    panels = ["controls", "weights", "loss"]   # on screen; the others are closed
                          # (the controls stay on screen, named or not)
    loss_x_axis = "steps" # or "epochs"
    loss_log_y = true     # the loss on a log scale
    reset = true          # a new run first
    train = 250           # then that many steps at once
    play = true           # then play (false: pause)

Every key of a step is optional; a step changes only what it names. A step reached by PageDown
from the step before is applied alone; reached any other way (PageUp, a jump, F5) the lesson's
steps up to it are applied first, without playing, so a step's scene never depends on a key
pressed in an earlier step: a step whose note describes curves trains them itself (`train`).
Panels are named by their tab titles, lower case ("binary net"); a panel added to the table of
panels later (a codes panel) can be named by a lesson file without any change here.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from model.datasets import BUILTIN_DATASETS, INPUT_SCALES
from model.settings import SPEEDS, SettingError, check_setting

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library
    import tomli as tomllib

__all__ = [
    "FORMAT_VERSION",
    "Lesson",
    "LessonBook",
    "LessonError",
    "LessonStep",
    "SampleRule",
    "read_lessons",
    "parse_lessons",
    "count_lessons",
]

#: The version of the format this reader reads; a file says which it was written for.
FORMAT_VERSION = 1
#: The step keys that set a run's number settings (checked against model.settings.SETTINGS).
RUN_SETTINGS = ("learning_rate", "batch_size", "alpha", "seed")
STEP_KEYS = (
    "note", "dataset", *RUN_SETTINGS, "input_scale", "speed", "p", "sample", "panels",
    "loss_x_axis", "loss_log_y", "reset", "train", "play",
)  # fmt: skip
LESSON_KEYS = ("title", "compare", "step")
TOP_KEYS = ("format_version", "lesson")
SAMPLE_RULE_KEYS = ("misclassified", "a_max_above", "a_max_below")
#: The most steps a lesson step may train at once (about 20 s of mnist at full speed).
MAX_TRAIN_STEPS = 100_000


class LessonError(ValueError):
    """A lesson file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class SampleRule:
    """A test sample chosen by what the model does with it now: the first, in test-set order,
    that is misclassified (or not, or either: None) with a_max in (a_max_above, a_max_below)."""

    misclassified: bool | None = None
    a_max_above: float = 0.0
    a_max_below: float = 1.0

    def describe(self) -> str:
        what = {True: "misclassified", False: "correctly classified", None: ""}[self.misclassified]
        bounds = []
        if self.a_max_above > 0:
            bounds.append(f"a_max > {self.a_max_above:g}")
        if self.a_max_below < 1:
            bounds.append(f"a_max < {self.a_max_below:g}")
        return " ".join(filter(None, ["a", what, "sample", "with " + " and ".join(bounds)]))


@dataclass(frozen=True)
class LessonStep:
    """One step: what it sets (None: left as it is), and the line it starts on."""

    note: str = ""
    dataset: str | None = None
    settings: dict = field(default_factory=dict)  # learning_rate, batch_size ("full"), ...
    input_scale: str | None = None
    speed_index: int | None = None
    p: float | None = None
    sample: int | SampleRule | None = None
    panels: tuple[str, ...] | None = None
    loss_x_axis: str | None = None
    loss_log_y: bool | None = None
    reset: bool = False
    train: int = 0
    play: bool | None = None
    line: int = 0


@dataclass(frozen=True)
class Lesson:
    title: str
    steps: tuple[LessonStep, ...]
    compare: bool = False


@dataclass(frozen=True)
class LessonBook:
    """The lessons of one file, in order, and where they came from."""

    lessons: tuple[Lesson, ...]
    source: str

    def __len__(self) -> int:
        return len(self.lessons)

    def find(self, name: str) -> int | None:
        """The index of the lesson `name` names: its number (1-based) or words of its title."""
        name = name.strip().casefold()
        if name.isdigit() and 1 <= int(name) <= len(self.lessons):
            return int(name) - 1
        for i, lesson in enumerate(self.lessons):
            if name and name in lesson.title.casefold():
                return i
        return None


def read_lessons(path, panel_names) -> LessonBook:
    """The lessons in the TOML file `path`; `panel_names` are the panels a step may name."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LessonError(f"{path}: cannot be read as a lesson file ({error})") from None
    return parse_lessons(text, str(path), panel_names, base=path.parent)


def parse_lessons(text: str, source: str, panel_names, base: Path | None = None) -> LessonBook:
    """The lessons in TOML `text` (read from `source`, which error messages name)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LessonError(f"{source}: not valid TOML: {error}") from None
    reader = _Reader(text, source, {name.casefold() for name in panel_names}, base)
    return reader.book(data)


class _Lines:
    """Where an entry of the parsed file is in its text (tomllib gives no positions)."""

    HEADER = re.compile(r"^\s*\[")
    LESSON = re.compile(r"^\s*\[\[\s*lesson\s*\]\]")
    STEP = re.compile(r"^\s*\[\[\s*lesson\s*\.\s*step\s*\]\]")

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.lessons: list[int] = []  # the line index of each [[lesson]] header
        self.steps: list[list[int]] = []  # of each [[lesson.step]] header, per lesson
        for i, line in enumerate(self.lines):
            if self.LESSON.match(line):
                self.lessons.append(i)
                self.steps.append([])
            elif self.STEP.match(line) and self.steps:
                self.steps[-1].append(i)

    def of(self, key: str | None, lesson: int | None = None, step: int | None = None) -> int:
        """The 1-based line of `key` in the top level, in lesson `lesson` or in its step
        `step` (key None: the header's line); the header's line if the key is not found."""
        start = -1
        try:
            if lesson is not None:
                start = self.lessons[lesson]
                if step is not None:
                    start = self.steps[lesson][step]
        except IndexError:  # written as inline tables: no header to go by
            return 0
        if key is None:
            return start + 1
        pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
        for i in range(start + 1, len(self.lines)):
            if self.HEADER.match(self.lines[i]):
                break
            if pattern.match(self.lines[i]):
                return i + 1
        return max(start + 1, 0)


class _Reader:
    def __init__(self, text: str, source: str, panel_names: set[str], base: Path | None):
        self.lines = _Lines(text)
        self.source = source
        self.panel_names = panel_names
        self.base = base
        self.where: tuple[int | None, int | None] = (None, None)  # (lesson, step) being read

    def fail(self, problem: str, key: str | None = None) -> LessonError:
        lesson, step = self.where
        line = self.lines.of(key, lesson, step)
        at = f"line {line}" if line else "somewhere"
        place = (
            ""
            if lesson is None
            else f" (lesson {lesson + 1}" + (f", step {step + 1})" if step is not None else ")")
        )
        return LessonError(f"{self.source}, {at}{place}: {problem}")

    def unknown_keys(self, table: dict, known: tuple[str, ...], what: str) -> None:
        for key in table:
            if key not in known:
                raise self.fail(f"unknown {what} {key!r} (known: {', '.join(known)})", key)

    def book(self, data: dict) -> LessonBook:
        self.unknown_keys(data, TOP_KEYS, "key")
        version = data.get("format_version")
        if version is None:
            raise self.fail(f"no format_version (this app reads format_version = {FORMAT_VERSION})")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.fail(
                f"format_version must be a whole number, got {version!r}", "format_version"
            )
        if version > FORMAT_VERSION:
            raise self.fail(
                f"written for lesson format {version}; this Softmax Lab reads format "
                f"{FORMAT_VERSION} (a newer version of the app may read it)",
                "format_version",
            )
        lessons = data.get("lesson")
        if not isinstance(lessons, list) or not lessons:
            raise self.fail("no lessons: add at least one [[lesson]] with a [[lesson.step]]")
        return LessonBook(
            tuple(self.lesson(i, table) for i, table in enumerate(lessons)), self.source
        )

    def lesson(self, i: int, table) -> Lesson:
        self.where = (i, None)
        if not isinstance(table, dict):
            raise self.fail("a lesson must be a table ([[lesson]])")
        self.unknown_keys(table, LESSON_KEYS, "lesson key")
        title = table.get("title")
        if not isinstance(title, str) or not title.strip():
            raise self.fail(
                'a lesson needs a title (title = "...")', "title" if "title" in table else None
            )
        compare = table.get("compare", False)
        if not isinstance(compare, bool):
            raise self.fail(f"compare must be true or false, got {compare!r}", "compare")
        steps = table.get("step")
        if not isinstance(steps, list) or not steps:
            raise self.fail(f"lesson {title!r} has no steps: add a [[lesson.step]]")
        parsed = tuple(self.step(i, k, step) for k, step in enumerate(steps))
        return Lesson(title.strip(), parsed, compare)

    def step(self, i: int, k: int, table) -> LessonStep:
        self.where = (i, k)
        if not isinstance(table, dict):
            raise self.fail("a step must be a table ([[lesson.step]])")
        self.unknown_keys(table, STEP_KEYS, "step key")
        values = {"line": self.lines.of(None, i, k)}
        for key, raw in table.items():
            values.update(self.value(key, raw))
        settings = {name: values.pop(name) for name in RUN_SETTINGS if name in values}
        return LessonStep(settings=settings, **values)

    def value(self, key: str, raw) -> dict:
        """{field: value} for one entry of a step, checked."""
        method = getattr(self, f"_{key}", None)
        if method is not None:
            return {key: method(raw)} if key != "speed" else {"speed_index": method(raw)}
        if key in RUN_SETTINGS:
            if key == "batch_size" and raw == "full":
                return {key: "full"}
            try:
                return {key: check_setting(key, raw)}
            except SettingError as error:
                raise self.fail(str(error), key) from None
        raise self.fail(f"unknown step key {key!r}", key)  # (unknown_keys saw to it)

    def _text(self, key: str, raw, allowed=None) -> str:
        if not isinstance(raw, str):
            raise self.fail(f"{key} must be a string, got {raw!r}", key)
        if allowed is not None and raw not in allowed:
            raise self.fail(
                f"{key} must be one of {', '.join(map(repr, allowed))}, got {raw!r}", key
            )
        return raw

    def _flag(self, key: str, raw) -> bool:
        if not isinstance(raw, bool):
            raise self.fail(f"{key} must be true or false, got {raw!r}", key)
        return raw

    def _note(self, raw) -> str:
        return " ".join(self._text("note", raw).split())  # one paragraph, however it was typed

    def _dataset(self, raw) -> str:
        name = self._text("dataset", raw).strip()
        if name.lower() in BUILTIN_DATASETS:
            return name.lower()
        path = Path(name).expanduser()
        if not path.is_absolute() and self.base is not None:
            path = self.base / path
        if not os.path.exists(path):
            builtins = ", ".join(BUILTIN_DATASETS)
            raise self.fail(
                f"dataset {name!r} is neither built in ({builtins}) nor a file", "dataset"
            )
        return str(path)

    def _input_scale(self, raw) -> str:
        return self._text("input_scale", raw, tuple(INPUT_SCALES))

    def _loss_x_axis(self, raw) -> str:
        return self._text("loss_x_axis", raw, ("steps", "epochs"))

    def _speed(self, raw) -> int:
        if raw == "full":
            return SPEEDS.index(None)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw in SPEEDS:
            return SPEEDS.index(raw)
        choices = ", ".join(f"{s:g}" for s in SPEEDS if s is not None)
        raise self.fail(
            f'speed must be one of {choices} (steps a second) or "full", got {raw!r}', "speed"
        )

    def _p(self, raw) -> float:
        try:
            return float(check_setting("threshold", raw))
        except SettingError as error:
            raise self.fail(str(error).replace("threshold", "p"), "p") from None

    def _sample(self, raw) -> int | SampleRule:
        if isinstance(raw, int) and not isinstance(raw, bool):
            if raw < 0:
                raise self.fail(
                    f"sample must be a test-sample index (0 or more), got {raw}", "sample"
                )
            return raw
        if not isinstance(raw, dict):
            raise self.fail(
                "sample must be a test-sample index or a rule such as "
                "{ misclassified = true, a_max_above = 0.95 }",
                "sample",
            )
        for key in raw:
            if key not in SAMPLE_RULE_KEYS:
                raise self.fail(
                    f"unknown sample rule key {key!r} (known: {', '.join(SAMPLE_RULE_KEYS)})",
                    "sample",
                )
        misclassified = raw.get("misclassified")
        if misclassified is not None and not isinstance(misclassified, bool):
            raise self.fail(f"misclassified must be true or false, got {misclassified!r}", "sample")
        bounds = []
        for key, default in (("a_max_above", 0.0), ("a_max_below", 1.0)):
            value = raw.get(key, default)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value <= 1
            ):
                raise self.fail(f"{key} must be a number in 0 .. 1, got {value!r}", "sample")
            bounds.append(float(value))
        if bounds[0] >= bounds[1]:
            raise self.fail(
                "a_max_above must be below a_max_below: no sample could match", "sample"
            )
        return SampleRule(misclassified, *bounds)

    def _panels(self, raw) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
            raise self.fail(
                'panels must be a list of panel names, like ["weights", "loss"]', "panels"
            )
        names = tuple(name.strip().casefold() for name in raw)
        for name in names:
            if name not in self.panel_names:
                known = ", ".join(sorted(self.panel_names))
                raise self.fail(f"unknown panel {name!r} (known: {known})", "panels")
        return names

    def _loss_log_y(self, raw) -> bool:
        return self._flag("loss_log_y", raw)

    def _reset(self, raw) -> bool:
        return self._flag("reset", raw)

    def _play(self, raw) -> bool:
        return self._flag("play", raw)

    def _train(self, raw) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_TRAIN_STEPS:
            raise self.fail(
                f"train must be a number of steps, 0 .. {MAX_TRAIN_STEPS:,}, got {raw!r}", "train"
            )
        return raw


def count_lessons(path: str | os.PathLike) -> int:
    """How many lessons the file at `path` has (0 if it cannot be read): for a help text."""
    try:
        with open(path, "rb") as file:
            lessons = tomllib.load(file).get("lesson", [])
    except (OSError, tomllib.TOMLDecodeError):
        return 0
    return len(lessons) if isinstance(lessons, list) else 0
