"""Lesson files (gui/lesson_file.py): the shipped lessons and a format-1 file load; a bad file
is refused with the file and the line of the bad entry named. Pure Python, no Qt."""

from pathlib import Path

import pytest

from gui import panel_table
from gui.lesson_file import (
    FORMAT_VERSION,
    LessonError,
    SampleRule,
    parse_lessons,
    read_lessons,
)
from resources import resource_path

#: The panels' tab titles (gui/panel_table.py), as a lesson file names them.
# The names a lesson gives panels: the table's tab titles, lower case (as the window's).
PANELS = [row.short_title.casefold() for row in panel_table.PANELS]
V1_FILE = Path(__file__).parent / "lesson_files" / "lessons_v1.toml"

GOOD_STEP = """format_version = 1

[[lesson]]
title = "A lesson"

[[lesson.step]]
note = "A note."
learning_rate = 0.1
panels = ["loss"]
"""


def bad(text: str) -> str:
    """The message a file of `text` is refused with."""
    with pytest.raises(LessonError) as refused:
        parse_lessons(text, "my.toml", PANELS)
    return str(refused.value)


def test_the_shipped_lessons_load_with_the_seven_of_issue_13():
    book = read_lessons(resource_path("lessons.toml"), PANELS)
    titles = [lesson.title for lesson in book.lessons]
    assert len(titles) == 7
    for words in ("templates", "Learning rate too high", "not scaled", "Batch size 1", "threshold"):
        assert any(words in title for title in titles), words
    assert titles[5] == "Confidently wrong"
    lesson3 = book.lessons[2]
    assert lesson3.compare and [s.input_scale for s in lesson3.steps[:2]] == ["unit", "raw"]
    assert book.lessons[4].steps[0].p == 0.1 and book.lessons[4].steps[2].p == 0.9
    assert book.lessons[5].steps[0].sample == SampleRule(True, 0.95, 1.0)
    assert titles[6] == "Codes against softmax" and "codes" in book.lessons[6].steps[0].panels
    assert book.lessons[3].steps[1].settings["batch_size"] == "full"
    assert all(step.note for lesson in book.lessons for step in lesson.steps)
    assert book.find("3") == 2 and book.find("threshold") == 4 and book.find("nothing") is None


def test_a_format_1_file_keeps_loading():
    book = read_lessons(V1_FILE, PANELS)
    assert FORMAT_VERSION >= 1
    first, second = book.lessons
    assert first.title == "Two learning rates on the 8x8 digits" and first.compare
    step = first.steps[0]
    assert step.dataset == "digits" and step.input_scale == "unit"
    assert step.settings == {"learning_rate": 0.5, "batch_size": 16, "alpha": 0.0, "seed": 3}
    assert (step.p, step.sample, step.panels) == (0.3, 5, ("controls", "loss", "weights"))
    assert (step.reset, step.train, step.play, step.line) == (True, 100, False, 9)
    assert first.steps[2].settings == {"learning_rate": 0.5} and first.steps[2].reset is False
    assert second.steps[0].sample == SampleRule(misclassified=True)
    assert second.steps[0].speed_index is not None  # "full"


def test_a_syntax_error_names_its_line():
    text = GOOD_STEP.replace("learning_rate = 0.1", "learning_rate = 0.1.2")
    message = bad(text)
    assert message.startswith("my.toml: not valid TOML") and "line 8" in message


@pytest.mark.parametrize(
    ("entry", "line", "words"),
    [
        ("learnig_rate = 0.1", 8, "unknown step key 'learnig_rate'"),
        ('panels = ["loss", "histogram"]', 9, "unknown panel 'histogram'"),
        ("learning_rate = 5000", 8, "learning_rate must lie in 1e-4 .. 1000"),
        ("speed = 7", 8, "speed must be one of"),
        ("p = 1.5", 8, "p must lie in 0 .. 1"),
        ("sample = { wrong = true }", 8, "unknown sample rule key 'wrong'"),
        ('input_scale = "percent"', 8, "input_scale must be one of 'unit', 'raw'"),
        ('dataset = "no/such/file.npz"', 8, "neither built in"),
        ("train = -5", 8, "train must be a number of steps"),
    ],
)
def test_a_bad_entry_names_its_line_lesson_and_step(entry, line, words):
    replaced = 'panels = ["loss"]' if entry.startswith("panels") else "learning_rate = 0.1"
    text = GOOD_STEP.replace(replaced, entry)
    message = bad(text)
    assert message.startswith(f"my.toml, line {line} (lesson 1, step 1): ")
    assert words in message


def test_bad_lessons_and_versions_are_named():
    second = GOOD_STEP + '\n[[lesson]]\ntitle = "B"\ncolour = "red"\n'
    assert bad(second).startswith("my.toml, line 13 (lesson 2): unknown lesson key 'colour'")
    no_steps = 'format_version = 1\n\n[[lesson]]\ntitle = "Empty"\n'
    assert "has no steps" in bad(no_steps)
    assert "no format_version" in bad(GOOD_STEP.replace("format_version = 1", ""))
    newer = bad(GOOD_STEP.replace("format_version = 1", "format_version = 2"))
    assert newer.startswith("my.toml, line 1: written for lesson format 2")
    assert "unknown key 'lessons'" in bad("format_version = 1\nlessons = []\n")


def test_a_dataset_path_is_found_beside_the_lesson_file(tmp_path):
    data = tmp_path / "data" / "mine.npz"
    data.parent.mkdir()
    data.write_bytes(b"not checked until the step is applied")
    path = tmp_path / "lesson.toml"
    path.write_text(GOOD_STEP.replace("learning_rate = 0.1", 'dataset = "data/mine.npz"'))
    step = read_lessons(path, PANELS).lessons[0].steps[0]
    assert step.dataset == str(data)
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(LessonError, match="cannot be read as a lesson file"):
        read_lessons(path, PANELS)
