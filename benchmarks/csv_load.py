"""Time and memory of `ng.datasets.load_csv` against `np.loadtxt`, on the same files.

python benchmarks/csv_load.py [--rows 1000000]

Each reader runs in a fresh interpreter; a line gives its seconds and the growth of the peak
resident memory over the interpreter's after its imports (ru_maxrss), then our ratio to
np.loadtxt. Files: one column (labels only) and three columns (two features and a label).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import resource, sys, time
import numpy as np
import neurograph as ng
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if sys.argv[1] == "load_csv":
    X, y = ng.datasets.load_csv(sys.argv[2])
else:
    data = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, ndmin=2)
seconds = time.perf_counter() - start
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(seconds, grown / 1024)
"""


def measure(reader: str, path: Path) -> tuple[float, float]:
    """Seconds and MiB of peak memory growth of one reader on one file, in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, reader, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    """Write the files, measure both readers on each, print a line per file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    folder = Path(tempfile.mkdtemp())
    files = {
        "1 column": ("label\n", lambda i: f"{i % 3}\n"),
        "3 columns": ("x1,x2,label\n", lambda i: f"{i % 97 / 7:.4f},{i % 13},{i % 3}\n"),
    }
    for name, (header, row) in files.items():
        path = folder / f"{name.replace(' ', '-')}.csv"
        with path.open("w") as f:
            f.write(header)
            f.writelines(row(i) for i in range(rows))
        size = path.stat().st_size / 2**20
        ours, theirs = measure("load_csv", path), measure("loadtxt", path)
        print(
            f"{rows:,} rows, {name} ({size:.1f} MiB): load_csv {ours[0]:.2f} s, "
            f"+{ours[1]:.0f} MiB; np.loadtxt {theirs[0]:.2f} s, +{theirs[1]:.0f} MiB; "
            f"ratio {ours[0] / theirs[0]:.2f}× time, {ours[1] / max(theirs[1], 1):.2f}× memory"
        )


if __name__ == "__main__":
    main()
