"""Chapter 1: a [784, 30, 10] network learns MNIST in ten lines, on the fast path."""

from __future__ import annotations

import argparse

import neurograph as ng


def main() -> None:
    """Train with the book's chapter 1 settings (η = 3.0, mini-batch 10) and test."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 epoch on 10,000 images")
    quick = parser.parse_args().quick

    train, validation, test = ng.datasets.load_mnist()
    if quick:
        train = (train[0][:10_000], train[1][:10_000])
    net = ng.layered([784, 30, 10], seed=0)
    fast = net.compile()
    history = fast.sgd(train, 1 if quick else 10, 10, 3.0, evaluation_data=test,
                       monitor_evaluation_accuracy=True, seed=0)  # fmt: skip
    for epoch, accuracy in enumerate(history.evaluation_accuracy):
        print(f"Epoch {epoch}: {round(accuracy * 10_000)} / 10000")
    net.load_parameters(fast)  # the trained weights, back on the neuron objects
    assert fast.accuracy(test) > (0.85 if quick else 0.94)


if __name__ == "__main__":
    main()
