"""`neurograph train`: train a network on MNIST (or any IDX data set) with the fast engine."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.commands.data import N_TOY, check_fit, default_sizes, load_data, parse_sizes
from neurograph.commands.resume import check_training, generator, keep_format, saved_velocity
from neurograph.datasets import TOY_NAMES
from neurograph.errors import UsageError
from neurograph.fast.history import DivergenceError, History
from neurograph.graph.builders import layered
from neurograph.graph.costs import COSTS, get_cost
from neurograph.graph.network import Network
from neurograph.graph.neurons import BUILT_IN, SoftmaxLayer
from neurograph.io.atomic import check_output_path
from neurograph.io.files import load, save
from neurograph.pictures.curves import plot_history
from neurograph.pictures.diagram import check_path
from neurograph.pictures.figures import FIGURE_FORMATS

__all__ = ["register", "run"]

DEFAULTS = {"epochs": 30, "mini_batch_size": 10, "eta": 3.0, "lmbda": 0.0, "cost": "quadratic"}
FIELDS = [f.name for f in dataclasses.fields(History) if f.name != "stopped"]
#: The kinds of neuron `--neuron` and `--output-layer` name: the built-in ones that learn.
NEURONS = {kind: cls for kind, cls in BUILT_IN.items() if cls.differentiable}


def register(subparsers: Any) -> None:
    """Add the `train` subcommand."""
    parser = subparsers.add_parser(
        "train",
        help="train a layered network on MNIST with the fast engine, saving it every epoch",
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
    add("--seed", type=int, help="seed of the initial weights and the shuffles (default 0)")
    add(
        "--data",
        metavar="PATH|NAME",
        help="a folder of the 4 IDX files, a .csv file with one example per row and its "
        f"label in the last column, or a 2-D toy data set: {', '.join(TOY_NAMES)} "
        f"({N_TOY[0]} training and {N_TOY[1]} held-out evaluation points, 2 classes; default "
        "sizes 2,8,2, for spiral 2,16,16,2) (default: the bundled MNIST)",
    )
    add(
        "--holdout",
        type=float,
        default=0.2,
        metavar="F",
        help="for a .csv --data: the fraction of its rows (the last ones) kept as the test set "
        "(default 0.2)",
    )
    add(
        "--evaluate",
        choices=("test", "validation"),
        default="test",
        help="evaluate each epoch on the test set (default, as chapter 1) or the validation "
        "split (the last 10,000 training images, as chapter 3)",
    )
    add(
        "--limit", type=int, metavar="N", help="use only the first N training and evaluation images"
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
        "--resume",
        metavar="FILE",
        help="continue a saved run exactly (its settings, shuffles and momentum) up to the epochs "
        "it was asked for, or --epochs N more; give the same data options",
    )
    parser.set_defaults(func=run)


def _setting(args: argparse.Namespace, meta: dict[str, Any], name: str) -> Any:
    value = getattr(args, name)
    return value if value is not None else meta.get(name, DEFAULTS[name])


def run(args: argparse.Namespace) -> int:
    """Train; returns the exit status (130 when interrupted)."""
    net: Network
    output = Path(args.output or args.resume or "model.json")
    for page in (output, args.plot, args.record):
        if page is not None:
            check_output_path(page)  # before any work: no device, FIFO, directory
    if args.resume:
        keep_format(args.resume, output)
        net = load(args.resume)
        training = check_training(net.meta.get("training", {}), args.resume)
        sizes = [len(level) for level in net.levels()]
        if args.sizes and parse_sizes(args.sizes) != sizes:
            msg = f"--sizes {args.sizes} does not match {args.resume}, whose sizes are {sizes}"
            raise UsageError(msg)
    else:
        training = {}
        sizes = parse_sizes(args.sizes) if args.sizes else []  # default: default_sizes()
    settings = {name: _setting(args, training, name) for name in DEFAULTS}
    if args.epochs is not None and args.epochs < 1:
        msg = f"--epochs must be at least 1 (e.g. --epochs 30), got {args.epochs}"
        raise UsageError(msg)
    if args.resume and args.cost is None and "cost" not in training:
        settings["cost"] = get_cost(str(net.meta.get("cost") or DEFAULTS["cost"])).name
    done = int(training.get("epochs", 0))
    if args.epochs is None and args.resume:  # the epochs the run was asked for, not done
        settings["epochs"] = max(int(training.get("epochs_asked", done + 30)) - done, 0)
    asked = done + settings["epochs"]
    if args.resume and settings["epochs"] == 0:
        print(f"{args.resume} is trained for the {done} epochs asked; --epochs N trains N more")
        return 0
    seed = args.seed if args.seed is not None else training.get("seed", 0)
    momentum = args.momentum if args.momentum is not None else training.get("momentum", 0.0)
    dtype = args.dtype or training.get("dtype", "float64")
    cost = get_cost(settings["cost"])
    train, evaluation, classes = load_data(args.data, args.evaluate, args.limit, args.holdout)
    sizes = sizes or default_sizes(args.data, train[0].shape[1], classes)
    check_fit(sizes, train, evaluation, classes)
    if args.plot:
        check_path(args.plot, FIGURE_FORMATS)
    if not args.resume:
        head = SoftmaxLayer if args.output_layer == "softmax" else NEURONS[args.output_layer]
        digits = [str(c) for c in range(classes)]  # MNIST's classes are the digits 0..9
        kind = NEURONS[args.neuron]
        net = layered(sizes, neuron=kind, output=head, init=args.init, seed=seed, labels=digits)
    fast = net.compile(dtype=np.dtype(dtype))
    rng = generator(training, seed, str(args.resume))
    velocity = saved_velocity(fast, training, momentum, str(args.resume))
    kept_history = training.get("history", {})
    past = History(**{f: kept_history[f] for f in FIELDS if isinstance(kept_history.get(f), list)})
    label = args.evaluate
    progress = _ProgressBar()
    saved: list[int] = []  # the epochs saved by this run
    recorded: list[History] = []  # this run's history, for --record when training stops early

    def replay() -> str:
        """Write the --record page of the snapshots so far; its name for the last message."""
        if not args.record or not recorded or not recorded[0].snapshots:
            return ""
        points = evaluation if sizes[0] == 2 else None
        steps = done * -(-len(train[0]) // settings["mini_batch_size"])  # before a --resume
        run = recorded[0].snapshots
        shifted = [dataclasses.replace(s, epoch=s.epoch + done, step=s.step + steps) for s in run]
        dataclasses.replace(recorded[0], snapshots=shifted).save_html(args.record, net, points)
        return str(args.record)

    def after_epoch(epoch: int, history: History) -> None:
        """Save the model (and the plot), then print the book's line: once it shows, it is saved."""
        progress.close()
        recorded[:] = [history]
        for name, values in history.to_dict().items():
            if isinstance(values, list) and values:
                getattr(past, name).append(values[-1])
        fast.write_back(net)
        record = {
            "epochs": done + epoch + 1,
            "epochs_asked": asked,
            "seed": seed,
            "evaluate": label,
            "momentum": momentum,
            "dtype": dtype,
            "rng": rng.bit_generator.state,  # for the next epoch's shuffle
            "velocity": velocity.tolist() if velocity is not None else [],
        }
        net.meta = {
            **net.meta,
            "cost": cost.name,
            "training": {**settings, **record, "history": past.to_dict()},
        }
        save(net, output)
        saved.append(done + epoch)
        if args.plot:
            past.settings = history.settings
            plot_history(past, args.plot)
        accuracy, n_eval = history.evaluation_accuracy[-1], len(evaluation[0])
        line = f"Epoch {done + epoch}: {round(accuracy * n_eval)} / {n_eval}"
        print(f"{line}  ({history.seconds[-1]:.2f} s)", flush=True)
        if accuracy <= (1.5 / sizes[-1] if sizes[-1] > 2 else 0.55):  # near chance
            hint = f"warning: accuracy is at chance level; eta {settings['eta']} may be too large"
            print(hint, file=sys.stderr)

    try:
        with _one_blas_thread():
            history = fast.sgd(
                train,
                settings["epochs"],
                settings["mini_batch_size"],
                settings["eta"],
                lmbda=settings["lmbda"],
                cost=cost,
                evaluation_data=evaluation,
                monitor_evaluation_accuracy=True,
                monitor_evaluation_cost=True,
                monitor_training_accuracy=args.monitor_training,
                monitor_training_cost=args.monitor_training,
                seed=rng,
                early_stopping=args.early_stopping,
                momentum=momentum,
                velocity=velocity,
                callback=after_epoch,
                progress=progress.update,
                record=bool(args.record),
            )
    except DivergenceError as err:
        progress.close()
        if args.resume and done and not saved and Path(args.resume).resolve() == output.resolve():
            saved.append(done - 1)
        kept = f"{output} keeps the model of epoch {saved[-1]}" if saved else "nothing was saved"
        page = replay()
        kept += f" ({page} replays the epochs before)" if page else ""
        msg = (
            f"training diverged in epoch {done + err.epoch}: {err.reason}; {kept}. "
            f"Try a smaller --eta (it was {settings['eta']:g})"
        )
        raise DivergenceError(msg, done + err.epoch, err.history, err.reason) from err
    except KeyboardInterrupt:
        progress.close()
        if saved:
            kept = f"{output} holds the model after epoch {saved[-1]}"
        else:
            kept = "no epoch was completed in this run, so nothing was saved"
        page = replay()
        kept += f"; {page} replays the completed epochs" if page else ""
        print(f"neurograph train: interrupted; {kept}", file=sys.stderr)
        return 130
    if history.stopped:
        print(f"stopped after {history.epochs} epochs ({history.stopped})")
    recorded[:] = [history]
    written = [str(p) for p in (args.plot, replay()) if p]
    if saved:
        print(f"saved {output}" + "".join(f" and {p}" for p in written))
    return 0


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
