"""bench_history.py runs end to end on a tiny run and writes the figures it prints (no timing
is asserted: the machine is shared)."""

import json

from tests.benchmarks.bench_history import main


def test_a_tiny_run_reports_memory_and_save_and_load_times(tmp_path, capsys):
    out = tmp_path / "history.json"
    assert main(["--dataset", "blobs", "--steps", "300", "--repeats", "1",
                 "--speed-steps", "50", "--json", str(out)]) == 0  # fmt: skip
    report = json.loads(out.read_text())
    assert report["steps"] == 300 and report["kept"] == 301  # blobs: 25 steps an epoch
    assert report["history_bytes"] == 301 * report["bytes_per_state"]
    assert report["file_bytes"] > report["history_bytes"]
    assert {"with history", "without history"} == set(report["steps_per_second"])
    assert "memory of the kept history" in capsys.readouterr().out
