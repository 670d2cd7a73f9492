"""Seconds per epoch of SGD on MNIST: neurograph's fast path against the book's loop and PyTorch.

Trains ``[784, 30, 10]`` with the quadratic cost and eta 3.0 on the 50,000 training images, at
mini-batch sizes 10 and 128, and prints the seconds per epoch (best of a few epochs) of:

* neurograph's fast path, float64 and float32 (``net.compile(dtype=...)``);
* the book's algorithm as network.py writes it: column vectors, one backprop per example
  inside each mini-batch (written below);
* PyTorch on the CPU with the same model, initial weights and update (``nn.Linear``, sigmoid,
  ``0.5 * sum((a - y)**2) / m``, ``torch.optim.SGD``), with 1 thread and with its default,
  when PyTorch is installed (``pip install 'neurograph[bench]'``);

then the ratios, all measured in this one process (the best of a few rounds that interleave
the settings), and the peak memory of a separate
full-MNIST training run of the fast path. OpenBLAS is limited to one thread unless
``--blas-threads`` says otherwise (a second thread only adds synchronization at these sizes).
Run:

    python benchmarks/speed.py [--rounds 3] [--epochs 2] [--blas-threads 1] [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per setting (best)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all settings (best)")
    parser.add_argument("--book-epochs", type=int, default=1, help="timed epochs, book's loop")
    parser.add_argument("--blas-threads", default="1", help="OPENBLAS_NUM_THREADS (default 1)")
    parser.add_argument("--quick", action="store_true", help="5,000 images, one epoch each")
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


ARGS = parse()
os.environ.setdefault("OPENBLAS_NUM_THREADS", ARGS.blas_threads)  # before NumPy loads OpenBLAS

import numpy as np  # noqa: E402

import neurograph as ng  # noqa: E402

SIZES, ETA, BATCHES = [784, 30, 10], 3.0, (10, 128)


def fast_path(train: Any, m: int, epochs: int, dtype: Any) -> float:
    """Best seconds per epoch of FastNetwork.sgd."""
    fast = ng.layered(SIZES, init="large", seed=0).compile(dtype=dtype)
    X = train[0].astype(dtype)  # converted once, as load_mnist(dtype=...) would
    history = fast.sgd((X, train[1]), epochs, m, ETA, seed=0)
    return min(history.seconds)


class BookNetwork:
    """The book's network.py: column vectors, backprop one example at a time."""

    def __init__(self, weights: list[Any], biases: list[Any]) -> None:
        self.weights = [w.copy() for w in weights]
        self.biases = [b.reshape(-1, 1).copy() for b in biases]

    def update_mini_batch(self, mini_batch: list[tuple[Any, Any]], eta: float) -> None:
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [w - (eta / len(mini_batch)) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / len(mini_batch)) * nb for b, nb in zip(self.biases, nabla_b)]

    def backprop(self, x: Any, y: Any) -> tuple[list[Any], list[Any]]:
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation, activations, zs = x, [x], []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = 1.0 / (1.0 + np.exp(-z))
            activations.append(activation)
        sp = activations[-1] * (1 - activations[-1])
        delta = (activations[-1] - y) * sp
        nabla_b[-1], nabla_w[-1] = delta, np.dot(delta, activations[-2].transpose())
        for k in range(2, len(SIZES)):
            sp = activations[-k] * (1 - activations[-k])
            delta = np.dot(self.weights[-k + 1].transpose(), delta) * sp
            nabla_b[-k], nabla_w[-k] = delta, np.dot(delta, activations[-k - 1].transpose())
        return nabla_b, nabla_w


def book_loop(train: Any, m: int, epochs: int) -> float:
    """Best seconds per epoch of the book's SGD loop."""
    net = ng.layered(SIZES, init="large", seed=0).compile()
    book = BookNetwork(list(net.w.values()), list(net.b.values()))
    eye = np.eye(10)
    data = [(x.reshape(-1, 1), eye[y].reshape(-1, 1)) for x, y in zip(*train)]
    rng, best = random.Random(0), float("inf")
    for _ in range(epochs):
        start = time.perf_counter()
        rng.shuffle(data)
        with np.errstate(over="ignore"):
            for k in range(0, len(data), m):
                book.update_mini_batch(data[k : k + m], ETA)
        best = min(best, time.perf_counter() - start)
    return best


def pytorch(train: Any, m: int, epochs: int, threads: int | None) -> float | None:
    """Best seconds per epoch of the same training in PyTorch (float32), or None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads or torch_default_threads())
    torch.manual_seed(0)
    net = ng.layered(SIZES, init="large", seed=0).compile()
    hidden, output = torch.nn.Linear(784, 30), torch.nn.Linear(30, 10)
    model = torch.nn.Sequential(hidden, torch.nn.Sigmoid(), output, torch.nn.Sigmoid())
    with torch.no_grad():
        for linear, layer in zip((hidden, output), net.w):
            linear.weight.copy_(torch.from_numpy(net.w[layer]))
            linear.bias.copy_(torch.from_numpy(net.b[layer]))
    X = torch.from_numpy(np.array(train[0], dtype=np.float32))
    Y = torch.eye(10)[torch.from_numpy(np.array(train[1]))]
    optimizer = torch.optim.SGD(model.parameters(), lr=ETA)
    best = float("inf")
    for _ in range(epochs):
        start = time.perf_counter()
        perm = torch.randperm(len(X))
        for k in range(0, len(X), m):
            idx = perm[k : k + m]
            optimizer.zero_grad()
            loss = 0.5 * ((model(X[idx]) - Y[idx]) ** 2).sum() / len(idx)
            loss.backward()
            optimizer.step()
        best = min(best, time.perf_counter() - start)
    return best


def torch_default_threads() -> int:
    """PyTorch's default number of threads (the first call, before any change), or 0."""
    global _TORCH_THREADS
    if _TORCH_THREADS is None:
        try:
            import torch

            _TORCH_THREADS = torch.get_num_threads()
        except ImportError:
            _TORCH_THREADS = 0
    return _TORCH_THREADS


_TORCH_THREADS: int | None = None


def memory_probe() -> None:
    """Train the fast path on full MNIST for one epoch with evaluation; print the peak RSS."""
    train, validation, test = ng.datasets.load_mnist()
    fast = ng.layered(SIZES, seed=0).compile()
    fast.sgd(train, 1, 10, ETA, evaluation_data=test, monitor_evaluation_accuracy=True,
             monitor_evaluation_cost=True, monitor_training_cost=True)  # fmt: skip
    # VmHWM: the peak resident set of this process image (ru_maxrss would also count the
    # parent's pages when it is started from a large process)
    status = Path("/proc/self/status")
    if status.exists():
        peak = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM"))
        print(int(peak.split()[1]) // 1024)
    else:
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


def main() -> None:
    if ARGS.memory_probe:
        memory_probe()
        return
    threads = torch_default_threads()  # before any run changes it
    train, _, _ = ng.datasets.load_mnist()
    epochs, book_epochs, rounds = ARGS.epochs, ARGS.book_epochs, ARGS.rounds
    if ARGS.quick:
        train, epochs, book_epochs, rounds = (train[0][:5000], train[1][:5000]), 1, 1, 1
    settings: dict[str, Any] = {
        "neurograph fast path, float64": lambda m: fast_path(train, m, epochs, np.float64),
        "neurograph fast path, float32": lambda m: fast_path(train, m, epochs, np.float32),
        "book's per-example loop (network.py)": lambda m: book_loop(train, m, book_epochs),
        "PyTorch CPU float32, 1 thread": lambda m: pytorch(train, m, epochs, 1),
        f"PyTorch CPU float32, {threads} threads (default)": lambda m: pytorch(
            train, m, epochs, None
        ),
    }
    # Rounds interleave the settings, so that a burst of load from elsewhere on the machine
    # slows one round of each rather than every epoch of one; the best round counts.
    rows: dict[str, list[float | None]] = {name: [None] * len(BATCHES) for name in settings}
    for _ in range(rounds):
        for k, m in enumerate(BATCHES):
            for name, measure in settings.items():
                seconds, best = measure(m), rows[name][k]
                rows[name][k] = seconds if best is None or seconds is None else min(best, seconds)
    report(rows, len(train[0]))


def report(rows: dict[str, list[float | None]], n: int) -> None:
    try:
        import torch

        torch_version = f"torch {torch.__version__}"
    except ImportError:
        torch_version = "PyTorch not installed"
    print(f"[784, 30, 10], quadratic cost, eta {ETA}, {n} training images; seconds per epoch")
    blas = os.environ.get("OPENBLAS_NUM_THREADS")
    print(f"{platform.machine()}, {os.cpu_count()} CPUs; numpy {np.__version__}", end="")
    print(f" (OPENBLAS_NUM_THREADS={blas}); {torch_version}")
    header = "".join(f"{'mini-batch ' + str(m):>15}" for m in BATCHES)
    print(f"{'':42}{header}")
    for name, values in rows.items():
        cells = "".join(f"{'-' if v is None else f'{v:.3f} s':>15}" for v in values)
        print(f"{name:42}{cells}")
    base = [float(v or 0.0) for v in rows["neurograph fast path, float64"]]
    print("ratios: seconds of each / seconds of neurograph float64 (higher = neurograph faster)")
    for name, values in rows.items():
        if name != "neurograph fast path, float64":
            cells = "".join(
                f"{'-' if v is None else f'{v / b:.1f}x':>15}" for v, b in zip(values, base)
            )
            print(f"{name:42}{cells}")
    probe = subprocess.run(
        [sys.executable, __file__, "--memory-probe"], capture_output=True, text=True, check=True
    )
    print(f"peak memory of a full-MNIST training run (fast path, float64, one epoch with "
          f"evaluation): {probe.stdout.strip()} MB")  # fmt: skip


if __name__ == "__main__":
    main()
