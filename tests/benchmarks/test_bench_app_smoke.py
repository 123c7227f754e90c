"""bench_app.py runs end to end in a few seconds and writes the JSON it promises.

No timing is checked (this machine may be busy); the benchmark itself says what it measures.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).with_name("bench_app.py")


def test_bench_app_runs_briefly_and_writes_its_json(tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--dataset",
            "digits",
            "--segments",
            "2",
            "--segment-seconds",
            "0.6",
            "--fixed-rate-segments",
            "0",
            "--memory-steps",
            "300",
            "--redraws",
            "3",
            "--startup-runs",
            "1",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(out.read_text())
    for key in ("machine", "settings", "startup", "throughput", "lateness", "memory", "redraw"):
        assert key in report
    assert report["throughput"]["ratio"] > 0
    assert report["throughput"]["show_frame_per_s"]["WeightsPanel"] > 0  # panels really drew
    assert report["lateness"]["samples"] > 0
    assert {"median_ms", "p95_ms", "median_show_frame_total_ms"} <= set(report["redraw"])
    assert report["memory"]["rss_end_mb"] > 0
    assert report["startup"]["runs"] == 1 and report["startup"]["median_first_paint_s"] > 0
    assert set(report["targets_met"]) >= {"throughput live / no window", "event-loop lateness max"}
    assert "metric" in result.stdout  # the table
