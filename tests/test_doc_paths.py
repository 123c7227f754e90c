"""Docstrings point at pages that exist: the derivation is docs/math.md (issue 9, item 12)."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("folder", ["model", "gui", "tests"])
def test_no_stale_math_page_paths(folder):
    stale = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in sorted((REPO_ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "shared/" + "math.md" in line  # split so this file does not match itself
    ]
    assert stale == [], f"the page is docs/math.md: {stale}"
    assert (REPO_ROOT / "docs" / "math.md").is_file()
