"""Chapter 1, exercise 1.3: a fourth layer that writes the recognized digit in binary."""

from __future__ import annotations

import argparse

import numpy as np

import neurograph as ng


def main() -> None:
    """Train a digit classifier, append the bit layer, and read digits as bits."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 epoch on 10,000 images")
    quick = parser.parse_args().quick
    train, _, (X, y) = ng.datasets.load_mnist()
    if quick:
        train = (train[0][:10_000], train[1][:10_000])
    net = ng.layered([784, 30, 10], seed=0)
    fast = net.compile()
    fast.sgd(train, 1 if quick else 5, 10, 3.0, seed=0)
    net.load_parameters(fast)

    bits = ng.binary_output_layer(net)  # outputs bit0 … bit3, least significant first
    a = bits.compile().feedforward(X)
    digits = ng.decode_bits(a)
    for i in range(5):
        shown = "".join(str(int(b > 0.5)) for b in a[i][::-1])
        print(f"test image {i}: label {y[i]}, bits {shown} -> {digits[i]}")
    agreement = np.mean(digits == fast.predict(X))
    print(f"the bits agree with the classifier's argmax on {agreement:.2%} of 10,000 images")
    assert agreement >= 0.999


if __name__ == "__main__":
    main()
