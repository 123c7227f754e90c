"""The PyTorch side of bench_training.py, run in a process of its own.

NumPy's OpenBLAS thread pool and PyTorch's OpenMP pool compete for the cores when both live in
one process, which makes torch look 2-4x slower than it is; so torch runs here, alone, with
torch.set_num_threads equal to the threads NumPy's BLAS is given in the parent.

Run as a script, this file is the worker: argv[1] is a JSON plan (the training data as .npy
files, the cases, repeats per round, threads, learning rate, seed). It prints one JSON line
about itself (or {"error": ...} when torch cannot be imported); then for each line "round" on
stdin it times every case once more, its candidates interleaved, and prints one JSON line of
seconds per step; "quit" or the end of stdin stops it. `TorchWorker` is the parent's handle.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from timing import calibrate, cycling, interleaved


class TorchWorker:
    """This file running as a worker process, driven one round at a time."""

    def __init__(self, plan: dict, folder: Path):
        plan_file = folder / "plan.json"
        plan_file.write_text(json.dumps(plan))
        threads = str(plan["threads"])
        env = dict(os.environ, OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads)
        env["OPENBLAS_NUM_THREADS"] = "1"  # the worker's NumPy only loads .npy files
        self._stderr = open(folder / "worker.err", "w+")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(plan_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
        )
        self.info = self._read()  # what the worker says about itself

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self._stderr.seek(0)
            tail = self._stderr.read()[-2000:].strip()
            raise RuntimeError(f"the torch worker exited ({self.process.returncode}): {tail}")
        return json.loads(line)

    def round(self) -> dict:
        """Time every case once more: {"seconds_per_step": ..., "steps_per_repeat": ...}."""
        self.process.stdin.write("round\n")
        self.process.stdin.flush()
        return self._read()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._stderr.close()


def reply(message: dict) -> None:
    print(json.dumps(message), flush=True)


def describe(torch) -> dict:
    config = torch.__config__.show()
    blas = next((part for part in config.split(", ") if "BLAS_INFO=" in part), "BLAS_INFO=?")
    return {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "blas": blas.split("=", 1)[1],
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "parallel_backend": torch.__config__.parallel_info().strip().splitlines()[-1],
    }


def autograd_sgd_step(torch, W0, C: int, dtype, eta: float):
    """The step as most PyTorch code writes it: F.cross_entropy, backward, torch.optim.SGD."""
    functional = torch.nn.functional
    W = W0.clone().requires_grad_()
    b = torch.zeros(C, dtype=dtype, requires_grad=True)
    optimiser = torch.optim.SGD([W, b], lr=eta)

    def step(X, y, y_column):
        optimiser.zero_grad(set_to_none=True)
        loss = functional.cross_entropy(functional.linear(X, W, b), y)
        loss.backward()
        optimiser.step()
        return loss.item()

    return step


def manual_step(torch, W0, C: int, dtype, eta: float, B: int):
    """A hand-written step without autograd: math.md section 3 in a few in-place torch calls."""
    W = W0.clone()
    b = torch.zeros(C, dtype=dtype)
    Z = torch.empty(B, C, dtype=dtype)
    G = torch.empty(B, C, dtype=dtype)
    minus_ones = torch.full((B, 1), -1.0, dtype=dtype)

    def step(X, y, y_column):
        torch.addmm(b, X, W.t(), out=Z)  # Z = X W^T + b
        torch.log_softmax(Z, 1, out=G)  # log A
        loss = -G.gather(1, y_column).mean()  # mean of -log a_y
        G.exp_()  # A
        G.scatter_add_(1, y_column, minus_ones)  # A - Y
        W.addmm_(G.t(), X, alpha=-eta / B)  # W -= eta (A - Y)^T X / B
        b.add_(G.sum(0), alpha=-eta / B)
        return loss.item()

    def step_without_grad(X, y, y_column):
        with torch.no_grad():
            return step(X, y, y_column)

    return step_without_grad


def build_case(torch, plan: dict, case: list, tensors: dict) -> dict:
    name, dtype_name, B = case
    dtype = getattr(torch, dtype_name)
    key = (name, dtype_name)
    if key not in tensors:  # cast once per dataset and dtype, as the NumPy side does
        X, y = plan["data"][name]["X"], plan["data"][name]["y"]
        tensors[key] = (torch.from_numpy(np.load(X)).to(dtype), torch.from_numpy(np.load(y)).long())
    X, y = tensors[key]
    C, D = plan["data"][name]["n_classes"], X.shape[1]
    batches = [
        (X[start : start + B], y[start : start + B], y[start : start + B, None])
        for start in range(0, len(X) - B + 1, B)
    ]
    # The same initial weights as SoftmaxClassifier(random_state=seed): 0.01 N(0, 1), b = 0.
    W0 = torch.from_numpy(0.01 * np.random.default_rng(plan["seed"]).standard_normal((C, D)))
    W0 = W0.to(dtype)
    eta = plan["learning_rate"]
    runs = {
        "torch_sgd": cycling(autograd_sgd_step(torch, W0, C, dtype, eta), batches),
        "torch_manual": cycling(manual_step(torch, W0, C, dtype, eta, B), batches),
    }
    return {name: (run, calibrate(run, plan["target_seconds"])) for name, run in runs.items()}


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    try:
        import torch
    except Exception as error:  # not installed, or a broken install: the parent reports it
        reply({"error": f"{type(error).__name__}: {error}"})
        return
    torch.set_num_threads(plan["threads"])
    reply(describe(torch))
    tensors: dict = {}
    candidates: dict = {}
    for round_index, line in enumerate(sys.stdin):
        if line.strip() != "round":
            break
        times, steps = {}, {}
        for case in plan["cases"]:
            key = "/".join(map(str, case))
            if key not in candidates:
                candidates[key] = build_case(torch, plan, case, tensors)
            times[key] = interleaved(candidates[key], plan["repeats_per_round"], round_index)
            steps[key] = {name: n for name, (_, n) in candidates[key].items()}
        reply({"seconds_per_step": times, "steps_per_repeat": steps})


if __name__ == "__main__":
    main()
