"""bench_training.py runs end to end: one tiny --smoke case writes JSON with the expected keys.

No timing is asserted (the machine is shared). torch and scikit-learn are optional: when they
are absent the run must still pass and say why they were skipped.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("bench_training.py")
ROOT = Path(__file__).resolve().parents[2]


def test_smoke_run_prints_a_table_and_writes_the_expected_json(tmp_path):
    out = tmp_path / "bench.json"
    path = [str(ROOT), os.environ.get("PYTHONPATH")]  # `model` importable even if not installed
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, path)))
    # Importing gui (earlier tests do) pins BLAS to one thread for the app; the training
    # benchmark measures NumPy as it comes.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "np/lim" in result.stdout and "OPENBLAS_CORETYPE" in result.stdout

    report = json.loads(out.read_text())
    assert {"meta", "config", "results", "notes"} <= report.keys()
    meta = report["meta"]
    assert {"env", "blas", "threads", "skipped", "load_average_start", "load_average_end"} <= set(
        meta
    )
    assert {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"} <= set(meta["env"])
    for package, module in (("torch", "torch"), ("sklearn", "sklearn")):
        if importlib.util.find_spec(module) is None:
            assert "not installed" in meta["skipped"][package]

    [case] = report["results"]
    assert (case["dataset"], case["dtype"], case["batch_size"]) == ("digits", "float32", 10)
    expected = {"numpy", "limit"}
    if meta["skipped"]["torch"] is None:
        expected |= {"torch_sgd", "torch_manual"}
    if meta["skipped"]["sklearn"] is None:
        expected |= {"sklearn"}
    assert set(case["candidates"]) == expected
    for candidate in case["candidates"].values():
        assert candidate["samples_per_s"] > 0 and candidate["n_repeats"] >= 1
        assert candidate["steps_per_repeat"] >= 1
    assert set(case["ratios"]) == {
        "numpy_vs_limit",
        "numpy_vs_best_torch",
        "best_torch",
        "numpy_vs_sklearn",
    }
    assert case["ratios"]["numpy_vs_limit"] > 0
