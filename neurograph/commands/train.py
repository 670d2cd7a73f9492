"""`neurograph train`: train a network on MNIST (or any IDX data set) with the fast engine."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.commands import COMMANDS
from neurograph.commands.data import (
    DataOptions,
    add_data_options,
    check_fit,
    default_sizes,
    load_data,
    parse_sizes,
)
from neurograph.commands.options import parse_seed
from neurograph.commands.resume import (
    check_training,
    inexact_resume,
    keep_format,
    saved_state,
    state_fields,
)
from neurograph.commands.standardize import far_from_unit
from neurograph.errors import UsageError
from neurograph.fast.history import DivergenceError, History
from neurograph.fast.snapshots import Snapshot
from neurograph.graph.builders import layered
from neurograph.graph.costs import COSTS, get_cost
from neurograph.graph.network import Network
from neurograph.graph.neurons import BUILT_IN, SoftmaxLayer
from neurograph.io.files import load, save
from neurograph.io.outputs import MODEL_FORMATS, PAGE_FORMATS, check_outputs
from neurograph.pictures.curves import plot_history
from neurograph.pictures.figures import FIGURE_FORMATS
from neurograph.player.page_size import PageSizeWarning

__all__ = ["register", "run"]

DEFAULTS = {"epochs": 30, "mini_batch_size": 10, "eta": 3.0, "lmbda": 0.0, "cost": "quadratic"}
FIELDS = [f.name for f in dataclasses.fields(History) if f.name != "stopped"]
#: The kinds of neuron `--neuron` and `--output-layer` name: the built-in ones that learn.
NEURONS = {kind: cls for kind, cls in BUILT_IN.items() if cls.differentiable}


def register(subparsers: Any) -> None:
    """Add the `train` subcommand."""
    parser = subparsers.add_parser(
        "train",
        help=COMMANDS["train"],
        description=(
            "Train a network by mini-batch SGD (the book's network2.py) and save it after every "
            "epoch. The defaults are the book's chapter 1 run (add --init large for its N(0, 1) "
            "weights). Ctrl-C keeps the model of the last completed epoch."
        ),
    )
    add = parser.add_argument
    add(
        "--sizes",
        help="neurons per layer, e.g. 784,30,10 (default: the data's inputs, 30, its classes; "
        "or the --resume model's)",
    )
    add("--epochs", type=int, help=f"epochs to train in this run (default {DEFAULTS['epochs']})")
    add("--mini-batch-size", type=int, help="examples per mini-batch (default 10)")
    add("--eta", type=float, help="learning rate η (default 3.0)")
    add("--lmbda", type=float, help="L2 regularization λ (default 0.0)")
    add(
        "--momentum", type=float, help="momentum coefficient μ (default 0, or the --resume model's)"
    )
    add("--cost", choices=sorted(COSTS), help="cost function (default quadratic)")
    add(
        "--init",
        choices=("default", "large"),
        default="default",
        help="weights N(0, 1/n_in) (default) or N(0, 1) as in chapter 1 (large)",
    )
    add(
        "--neuron",
        choices=sorted(NEURONS),
        default="sigmoid",
        help="the hidden neurons' kind: the sigmoid, or chapter 3's tanh and ReLU neurons",
    )
    add(
        "--output-layer",
        choices=sorted([*NEURONS, "softmax"]),
        default="sigmoid",
        help="the output neurons' kind (the cross-entropy and the log-likelihood need sigmoid "
        "or softmax outputs)",
    )
    add("--seed", type=parse_seed, help="seed of the initial weights and the shuffles (default 0)")
    add_data_options(parser)
    add(
        "--evaluate",
        choices=("test", "validation"),
        default="test",
        help="evaluate each epoch on the test set (default, as chapter 1) or the validation "
        "split (the last 10,000 training images, as chapter 3)",
    )
    add("--early-stopping", type=int, metavar="N", help="stop after N epochs without improvement")
    add(
        "--dtype",
        choices=("float64", "float32"),
        help="float64 agrees with the graph engine to 1e-12; float32 is faster (default "
        "float64, or the --resume model's)",
    )
    add(
        "--output", metavar="FILE", help="where to save the model (default model.json, or --resume)"
    )
    add(
        "--plot",
        metavar="FILE",
        help="also write the learning curves after every epoch, PNG or SVG by the extension "
        "(default: none)",
    )
    add(
        "--monitor-training",
        action="store_true",
        help="also measure accuracy and cost on the training data each epoch (default: off)",
    )
    add(
        "--record",
        metavar="FILE",
        help="also write a page that replays the training, epoch by epoch (HTML; default: none)",
    )
    add(
        "--record-max-snapshots",
        type=int,
        metavar="N",
        help="replay at most N epochs on the --record page, evenly, the first and last among "
        "them (default: as many as keep the page within 5 MiB)",
    )
    add(
        "--resume",
        metavar="FILE",
        help="continue a saved run exactly (its settings, shuffles and momentum) up to the epochs "
        "it was asked for, or --epochs N more; give the same data options",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Train; returns the exit status (130 when interrupted)."""
    output = Path(args.output or args.resume or "model.json")
    _check_outputs(args, output)
    net, training, sizes = _saved_run(args, output)
    settings = _settings(args, training, net)
    if args.resume and settings["epochs"] == 0:
        done = settings["done"]
        print(f"{args.resume} is trained for the {done} epochs asked; --epochs N trains N more")
        return 0
    data = load_data(
        DataOptions.from_args(args),
        standardize=net.meta.get("standardize") if net is not None else None,
    )
    train, evaluation = data.train, data.evaluation
    sizes = sizes or default_sizes(args.data, train[0].shape[1], data.classes)
    check_fit(sizes, data)
    if net is None:
        net = _new_network(args, sizes, data.labels, settings["seed"])
        if data.standardize is not None:  # the inputs the model expects, for every later use
            net.meta["standardize"] = data.standardize
    session = _Session(args, net, output, settings, training, evaluation)
    state = None
    if args.resume:
        if note := inexact_resume(training, settings["momentum"], str(args.resume)):
            print(note, file=sys.stderr)
        batches = -(-len(train[0]) // settings["mini_batch_size"])  # mini-batches per epoch
        state = saved_state(session.fast, training, settings, str(args.resume), batches)
    return session.train(train, state)


def _check_outputs(args: argparse.Namespace, output: Path) -> None:
    """Before any work: every output a file of its kind, none an input or another output."""
    pictures = {"--plot": (args.plot, FIGURE_FORMATS), "--record": (args.record, PAGE_FORMATS)}
    # --output may be the --resume model (it is continued in place)
    check_outputs({"--output": (output, MODEL_FORMATS), **pictures}, {"--data": args.data})
    check_outputs(pictures, {"--resume": args.resume})
    most = args.record_max_snapshots
    if most is not None and most < 2:
        msg = f"--record-max-snapshots must be at least 2 (the first and last epochs), got {most}"
        raise UsageError(msg)


def _saved_run(
    args: argparse.Namespace, output: Path
) -> tuple[Network | None, dict[str, Any], list[int]]:
    """With --resume: the saved network, its training state and its sizes; else nothing yet."""
    if not args.resume:
        return None, {}, parse_sizes(args.sizes) if args.sizes else []  # default: default_sizes()
    keep_format(args.resume, output)
    net = load(args.resume)
    training = check_training(net.meta.get("training", {}), args.resume)
    sizes = [len(level) for level in net.levels()]
    if args.sizes and parse_sizes(args.sizes) != sizes:
        msg = f"--sizes {args.sizes} does not match {args.resume}, whose sizes are {sizes}"
        raise UsageError(msg)
    return net, training, sizes


def _settings(
    args: argparse.Namespace, training: dict[str, Any], net: Network | None
) -> dict[str, Any]:
    """The run's settings: each option given, else the saved run's, else the default."""
    if args.epochs is not None and args.epochs < 1:
        msg = f"--epochs must be at least 1 (e.g. --epochs 30), got {args.epochs}"
        raise UsageError(msg)
    settings = {name: _setting(args, training, name) for name in DEFAULTS}
    if net is not None and args.cost is None and "cost" not in training:
        settings["cost"] = get_cost(str(net.meta.get("cost") or DEFAULTS["cost"])).name
    done = int(training.get("epochs", 0))
    if args.epochs is None and args.resume:  # the epochs the run was asked for, not done
        settings["epochs"] = max(int(training.get("epochs_asked", done + 30)) - done, 0)
    settings["done"], settings["asked"] = done, done + settings["epochs"]
    settings["seed"] = args.seed if args.seed is not None else training.get("seed", 0)
    momentum = args.momentum if args.momentum is not None else training.get("momentum", 0.0)
    settings["momentum"] = momentum
    settings["dtype"] = args.dtype or training.get("dtype", "float64")
    return settings


def _setting(args: argparse.Namespace, meta: dict[str, Any], name: str) -> Any:
    value = getattr(args, name)
    return value if value is not None else meta.get(name, DEFAULTS[name])


def _new_network(
    args: argparse.Namespace, sizes: list[int], labels: list[str] | None, seed: int
) -> Network:
    """A fresh layered network of --neuron and --output-layer kinds, --init weights, the labels."""
    head = SoftmaxLayer if args.output_layer == "softmax" else NEURONS[args.output_layer]
    kind = NEURONS[args.neuron]
    return layered(sizes, neuron=kind, output=head, init=args.init, seed=seed, labels=labels)


class _Session:
    """One `neurograph train` run: it trains, saves after every epoch, and reports."""

    def __init__(
        self,
        args: argparse.Namespace,
        net: Network,
        output: Path,
        settings: dict[str, Any],
        training: dict[str, Any],
        evaluation: tuple[Any, Any],
    ) -> None:
        self.args, self.net, self.output, self.settings = args, net, output, settings
        self.evaluation = evaluation
        self.cost = get_cost(settings["cost"])
        self.fast = net.compile(dtype=np.dtype(settings["dtype"]))
        kept = training.get("history", {})
        self.past = History(**{f: kept[f] for f in FIELDS if isinstance(kept.get(f), list)})
        self.progress = _ProgressBar()
        self.saved: list[int] = []  # the epochs saved by this run
        self.recorded: History | None = None  # this run's history, for --record
        self.train_inputs: Any = None  # for the warning when accuracy stays at chance

    def train(self, train: tuple[Any, Any], state: Snapshot | None) -> int:
        """Run SGD from `state` (or from the seed); the exit status."""
        settings = self.settings
        self.train_inputs = train[0]
        try:
            with _one_blas_thread():
                history = self.fast.sgd(
                    train,
                    settings["epochs"],
                    settings["mini_batch_size"],
                    settings["eta"],
                    lmbda=settings["lmbda"],
                    cost=self.cost,
                    evaluation_data=self.evaluation,
                    monitor_evaluation_accuracy=True,
                    monitor_evaluation_cost=True,
                    monitor_training_accuracy=self.args.monitor_training,
                    monitor_training_cost=self.args.monitor_training,
                    seed=None if state is not None else settings["seed"],
                    resume=state,
                    early_stopping=self.args.early_stopping,
                    momentum=settings["momentum"],
                    callback=self.after_epoch,
                    progress=self.progress.update,
                    record=bool(self.args.record),
                )
        except DivergenceError as err:
            raise self.diverged(err) from err
        except KeyboardInterrupt:
            return self.interrupted()
        return self.finished(history)

    def after_epoch(self, epoch: int, history: History) -> None:
        """Save the model (and the plot), then print the book's line: once it shows, it is saved."""
        self.progress.close()
        self.recorded = history
        for name, values in history.to_dict().items():
            if isinstance(values, list) and values:
                getattr(self.past, name).append(values[-1])
        self.save(history.state)
        if self.args.plot:
            self.past.settings = history.settings
            plot_history(self.past, self.args.plot)
        done = self.settings["done"] + epoch + 1  # epochs are counted as completed: 1 … N
        accuracy, n_eval = history.evaluation_accuracy[-1], len(self.evaluation[0])
        line = f"Epoch {done}: {round(accuracy * n_eval)} / {n_eval}"
        print(f"{line}  ({history.seconds[-1]:.2f} s)", flush=True)
        sizes = self.fast.sizes
        if accuracy <= (1.5 / sizes[-1] if sizes[-1] > 2 else 0.55):  # near chance
            print(_chance_hint(self.train_inputs, self.settings["eta"]), file=sys.stderr)

    def save(self, state: Snapshot | None) -> None:
        """Write the trained network with its training state, the one a --resume goes on from."""
        assert state is not None  # sgd keeps it after every epoch
        self.fast.write_back(self.net)
        settings = {name: self.settings[name] for name in DEFAULTS}
        record = {
            "epochs_asked": self.settings["asked"],
            "seed": self.settings["seed"],
            "evaluate": self.args.evaluate,
            "momentum": self.settings["momentum"],
            "dtype": self.settings["dtype"],
            **state_fields(state),
        }
        training = {**settings, **record, "history": self.past.to_dict()}
        self.net.meta = {**self.net.meta, "cost": self.cost.name, "training": training}
        save(self.net, self.output)
        self.saved.append(state.epoch)  # epochs are counted as completed: 1 … N

    def replay(self) -> str:
        """Write the --record page of the snapshots so far; its name for the last message."""
        if not self.args.record or self.recorded is None or not self.recorded.snapshots:
            return ""
        points = self.evaluation if self.fast.sizes[0] == 2 else None
        most = self.args.record_max_snapshots
        with warnings.catch_warnings(record=True) as thinned:
            warnings.simplefilter("always", PageSizeWarning)
            self.recorded.save_html(self.args.record, self.net, points, max_snapshots=most)
        for warning in thinned:  # the page left out snapshots: say so in one line
            print(f"note: {warning.message}", file=sys.stderr)
        return str(self.args.record)

    def diverged(self, err: DivergenceError) -> DivergenceError:
        """The one-line error of a diverged run: which model the output keeps."""
        self.progress.close()
        args, done = self.args, self.settings["done"]
        same_file = args.resume and Path(args.resume).resolve() == self.output.resolve()
        if done and not self.saved and same_file:
            self.saved.append(done)
        kept = f"{self.output} keeps the model of epoch {self.saved[-1]}" if self.saved else ""
        kept = kept or "nothing was saved"
        page = self.replay()
        kept += f" ({page} replays the epochs before)" if page else ""
        msg = (
            f"training diverged in epoch {done + err.epoch + 1}: {err.reason}; {kept}. "
            f"Try a smaller --eta (it was {self.settings['eta']:g})"
        )
        return DivergenceError(msg, done + err.epoch, err.history, err.reason)

    def interrupted(self) -> int:
        """Ctrl-C: say which model the output holds; exit status 130."""
        self.progress.close()
        if self.saved:
            kept = f"{self.output} holds the model after epoch {self.saved[-1]}"
        else:
            kept = "no epoch was completed in this run, so nothing was saved"
        page = self.replay()
        kept += f"; {page} replays the completed epochs" if page else ""
        print(f"neurograph train: interrupted; {kept}", file=sys.stderr)
        return 130

    def finished(self, history: History) -> int:
        """The last lines: why training stopped early, and what was written."""
        if history.stopped:
            print(f"stopped after {history.epochs} epochs ({history.stopped})")
        self.recorded = history
        written = [str(p) for p in (self.args.plot, self.replay()) if p]
        if self.saved:
            print(f"saved {self.output}" + "".join(f" and {p}" for p in written))
        return 0


def _chance_hint(X: Any, eta: float) -> str:
    """The warning for accuracy at chance: inputs far from unit scale, else perhaps η."""
    far = far_from_unit(X)
    if far:
        return (
            f"warning: accuracy is at chance level, and the inputs are far from unit scale "
            f"({far}): sigmoid neurons saturate; standardize them (leave out --no-standardize "
            "for a .csv file) or scale them"
        )
    return f"warning: accuracy is at chance level; eta {eta} may be too large"


def _one_blas_thread() -> Any:
    """Limit BLAS to one thread while training, when threadpoolctl is installed.

    At these matrix sizes a second OpenBLAS thread costs more in synchronization than it
    saves, and on a busy 2-core machine it can make training many times slower.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


class _ProgressBar:
    """A tqdm bar per epoch on stderr (shown only on a terminal)."""

    def __init__(self) -> None:
        self.bar: Any = None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="img", leave=False, file=sys.stderr, disable=None)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            with contextlib.suppress(Exception):
                self.bar.close()
            self.bar = None
