"""Chapter 3: a softmax output layer with the log-likelihood cost, on MNIST.

The ten output units form one SoftmaxLayer: their activations are a probability
distribution over the digits, and the output error is simply a − y (eq. 84).
"""

from __future__ import annotations

import argparse

import numpy as np

import neurograph as ng


def main() -> None:
    """Train, then show the probabilities the network gives one test image."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 epoch on 10,000 images")
    quick = parser.parse_args().quick
    train, _, (X, y) = ng.datasets.load_mnist()
    if quick:
        train = (train[0][:10_000], train[1][:10_000])
    net = ng.layered([784, 30, 10], output=ng.SoftmaxLayer, seed=0)
    fast = net.compile()
    epochs = 1 if quick else 10
    fast.sgd(train, epochs, 10, 0.5, lmbda=5.0, cost=ng.LogLikelihoodCost(), seed=0)
    print(f"test accuracy: {fast.accuracy((X, y)):.2%}")
    net.load_parameters(fast)
    p = net.forward(X[0])  # the graph engine, on the trained objects
    print(f"test image 0 is a {y[0]}; probabilities:", np.round(p, 3).tolist())
    assert abs(p.sum() - 1) < 1e-12 and int(np.argmax(p)) == int(fast.predict(X[:1])[0])
    assert fast.accuracy((X, y)) > (0.85 if quick else 0.95)


if __name__ == "__main__":
    main()
