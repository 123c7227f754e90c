"""bench_gather.py runs (briefly) and prints a row for every way of gathering."""

import importlib.util
from pathlib import Path


def test_bench_gather_runs_briefly(capsys):
    path = Path(__file__).with_name("bench_gather.py")
    spec = importlib.util.spec_from_file_location("bench_gather", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--steps", "40", "--rounds", "1", "--datasets", "digits"]) == 0
    out = capsys.readouterr().out
    for name in bench.CANDIDATES:
        assert f"  {name}" in out
    assert "us a step" in out
