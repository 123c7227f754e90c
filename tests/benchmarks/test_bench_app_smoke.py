"""bench_app.py runs end to end in well under a minute and writes the JSON it promises.

No timing is checked (this machine may be busy): only that every figure is there and
plausible. The benchmark itself says what it measures and against which target.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).with_name("bench_app.py")


def test_bench_app_runs_briefly_and_writes_its_json(tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    options = {
        "--dataset": "digits",
        "--rounds": "1",
        "--segment-seconds": "0.8",
        "--paced-seconds": "0.3",
        "--paced-min-steps": "2.5",
        "--redraws": "6",
        "--settings-rounds": "1",
        "--startup-runs": "1",
        "--json": str(out),
    }
    result = subprocess.run(
        [sys.executable, str(BENCH), *[part for item in options.items() for part in item]],
        capture_output=True,
        text=True,
        timeout=600,  # a loaded 2-core machine: minutes, not the usual half minute
        env=env,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(out.read_text())
    for key in (
        "machine",
        "settings",
        "startup",
        "lesson",
        "paced",
        "frame_idle",
        "full_speed",
        "frame_training",
        "settings_mid_run",
        "close",
        "targets_met",
    ):
        assert key in report, key

    fs = report["full_speed"]
    assert fs["ratio_live"] > 0 and fs["ratio_hidden"] > 0
    assert fs["visible_views"], "no plot view counted as visible"
    assert fs["min_visible_paints_per_s"] > 0  # every visible plot really painted
    assert fs["redraws_per_s"]["WeightsPanel"] > 0
    assert fs["min_visible_redraws_per_s"] > 0
    assert fs["lateness"]["n"] > 0
    for phase in ("frame_idle", "frame_training"):
        cost = report[phase]
        assert cost["compute"]["median_ms"] > 0
        assert cost["frame_as_drawn"]["median_ms"] > 0
        assert cost["whole_window_compute_and_paint"]["median_ms"] > 0
        assert cost["per_panel_show_frame"]["WeightsPanel"]["median_ms"] > 0
        assert cost["per_panel_paint"]["WeightsPanel"]["median_ms"] > 0
    mid = report["settings_mid_run"]
    assert set(mid["calls"]) == {
        "set_batch_size",
        "set_learning_rate",
        "set_alpha",
        "set_seed",
        "reset",
    }
    assert mid["longest_call_ms"] > 0 and mid["steps_per_s_during"] > 0
    assert 0 < report["close"]["seconds"] < 60 and report["close"]["children_left"] == []
    assert report["startup"]["runs"] == 1 and report["startup"]["median_first_paint_s"] > 0
    assert set(report["paced"]) == {"1", "2", "5", "10", "20", "50", "100", "300", "1000"}
    for paced in report["paced"].values():
        assert math.isfinite(paced["delivered_steps_per_s"]) and paced["delivered_steps_per_s"] > 0
    assert report["lesson"]["distinct_steps_drawn"] > 0
    assert len(report["targets_met"]) >= 20
    assert "figure" in result.stdout and "target" in result.stdout  # the printed table
