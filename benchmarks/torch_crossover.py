"""When to switch to PyTorch: one SGD epoch of neurograph's fast path against the exported module.

For each network size from ``[784, 30, 10]`` to ``[784, 1000, 1000, 10]`` and mini-batch sizes
10 to 256 it trains one epoch over the first ``--n`` MNIST training images (quadratic cost,
eta 3.0), in float64 and float32, with

* neurograph's fast path, ``net.compile(dtype=...).sgd(...)``;
* the module ``ng.to_torch(net, dtype=...)`` with ``ng.torch_loss`` and ``torch.optim.SGD``,
  on the CPU, from the same initial weights;

all in this one process, with the same number of threads for both (OpenBLAS and PyTorch,
``--threads``, default 1), and prints the seconds (best of ``--rounds``), the ratio, and the
smallest mini-batch at which PyTorch starts to win for each size. Run:

    python benchmarks/torch_crossover.py [--n 10000] [--rounds 1] [--threads 1] [--sizes 4]
                                         [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Any

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--n", type=int, default=10_000, help="training images in the epoch")
parser.add_argument("--rounds", type=int, default=1, help="timed epochs per setting (best)")
parser.add_argument("--threads", type=int, default=1, help="threads for OpenBLAS and PyTorch")
parser.add_argument("--sizes", type=int, default=4, help="how many of the sizes to run (first)")
parser.add_argument("--quick", action="store_true", help="1,000 images, two sizes, two batches")
ARGS = parser.parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import neurograph as ng  # noqa: E402

SIZES = [[784, 30, 10], [784, 100, 10], [784, 300, 100, 10], [784, 1000, 1000, 10]]
BATCHES = [10, 32, 64, 128, 256]
ETA = 3.0


def neurograph_epoch(sizes: list[int], train: Any, m: int, dtype: Any) -> float:
    """Seconds of one epoch of FastNetwork.sgd (its own clock, which excludes evaluation)."""
    fast = ng.layered(sizes, seed=0).compile(dtype=dtype)
    best = float("inf")
    for _ in range(ARGS.rounds):
        best = min(best, fast.sgd((train[0].astype(dtype), train[1]), 1, m, ETA, seed=0).seconds[0])
    return best


def torch_epoch(sizes: list[int], train: Any, m: int, dtype: Any) -> float:
    """Seconds of one epoch of the exported module under torch.optim.SGD, the same update."""
    module = ng.to_torch(ng.layered(sizes, seed=0), dtype=dtype)
    X, y = torch.from_numpy(train[0].astype(np.float64)).to(dtype), torch.tensor(train[1])
    loss, optimizer = ng.torch_loss("quadratic"), torch.optim.SGD(module.parameters(), lr=ETA)
    best = float("inf")
    for _ in range(ARGS.rounds):
        start = time.perf_counter()
        order = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
        for k in range(0, len(X), m):
            batch = order[k : k + m]
            optimizer.zero_grad()
            loss(module(X[batch]), y[batch]).backward()
            optimizer.step()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    torch.set_num_threads(ARGS.threads)
    train, _, _ = ng.datasets.load_mnist()
    n, sizes, batches = ARGS.n, SIZES[: ARGS.sizes], BATCHES
    if ARGS.quick:
        n, sizes, batches = 1_000, SIZES[:2], [10, 256]
    train = (train[0][:n], train[1][:n])
    print(
        f"one epoch of {n} MNIST images, seconds (best of {ARGS.rounds}); {ARGS.threads} thread(s)"
    )
    print(
        f"PyTorch {torch.__version__}, NumPy {np.__version__}, "
        f"{platform.processor() or platform.machine()}"
    )
    print(
        f"{'sizes':<22}{'m':>5}  {'ng f64':>8}{'torch f64':>10}{'ng/torch':>9}"
        f"  {'ng f32':>8}{'torch f32':>10}{'ng/torch':>9}"
    )
    wins: dict[str, list[str]] = {"float64": [], "float32": []}
    for s in sizes:
        first: dict[str, int | None] = {"float64": None, "float32": None}
        for m in batches:
            row = f"{str(s):<22}{m:>5}"
            for name, np_dtype, torch_dtype in (
                ("float64", np.float64, torch.float64),
                ("float32", np.float32, torch.float32),
            ):
                ours, theirs = (
                    neurograph_epoch(s, train, m, np_dtype),
                    torch_epoch(s, train, m, torch_dtype),
                )
                row += f"  {ours:>8.3f}{theirs:>10.3f}{ours / theirs:>9.2f}"
                if ours > theirs and first[name] is None:
                    first[name] = m
            print(row, flush=True)
        for name, start in first.items():
            found = f"from m = {start}" if start else f"never (up to m = {batches[-1]})"
            wins[name].append(f"{s}: {found}")
    for name, lines in wins.items():
        print(f"PyTorch starts to win ({name}): " + "; ".join(lines))


if __name__ == "__main__":
    main()
