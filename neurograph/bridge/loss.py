r"""The book's costs and L2 term as PyTorch losses: autograd's gradients are backpropagation's."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from neurograph.bridge.to_torch import MaskedLevel
from neurograph.errors import ShapeError
from neurograph.graph.costs import Cost, CrossEntropyCost, LogLikelihoodCost, get_cost

__all__ = ["CostLoss", "torch_l2", "torch_loss"]


class CostLoss(nn.Module):
    """A neurograph cost as ``loss(output, target)``: the mean over the mini-batch.

    Made by [`torch_loss`][].
    """

    def __init__(self, cost: Cost) -> None:
        super().__init__()
        self.cost = cost

    def forward(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """The mean cost of a batch.

        Parameters
        ----------
        output : torch.Tensor, shape (m, n_outputs)
            The network's output activations.
        target : torch.Tensor
            Integer labels ``(m,)`` (for several outputs), or targets ``(m, n_outputs)``.

        Returns
        -------
        torch.Tensor
            A scalar.
        """
        y = _targets(output, target)
        if isinstance(self.cost, CrossEntropyCost):  # −Σ [y ln a + (1 − y) ln(1 − a)] (eq. 63)
            per = nn.functional.binary_cross_entropy(output, y, reduction="none").sum(-1)
        elif isinstance(self.cost, LogLikelihoodCost):  # −Σ y ln a, i.e. −ln a_y (eq. 80)
            per = -torch.xlogy(y, output).sum(-1)
        else:  # ½ ‖y − a‖² (eq. 6)
            per = 0.5 * (output - y).square().sum(-1)
        return per.mean()

    def extra_repr(self) -> str:
        return repr(self.cost)


def _targets(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    n_out = output.shape[-1]
    if target.dtype in (torch.int64, torch.int32, torch.int16, torch.uint8) and target.ndim == 1:
        if n_out > 1:
            return nn.functional.one_hot(target.long(), n_out).to(output.dtype)
        return target.to(output.dtype)[:, None]
    if target.ndim == 1 and n_out == 1:
        target = target[:, None]
    if target.shape != output.shape:
        msg = f"expected labels (m,) or targets {tuple(output.shape)}; got {tuple(target.shape)}"
        raise ShapeError(msg)
    return target.to(output.dtype)


def torch_loss(cost: Any) -> CostLoss:
    r"""A PyTorch loss equal to a neurograph cost, averaged over the mini-batch as the book's SGD.

    Parameters
    ----------
    cost : Cost, Cost subclass or str
        ``QuadraticCost``, ``CrossEntropyCost`` or ``LogLikelihoodCost`` (or their names).

    Returns
    -------
    CostLoss
        ``loss(output, target)``: target labels ``(m,)`` or one-hot rows, as neurograph's
        data sets. Autograd's gradients of ``loss(module(X), y)`` equal
        ``FastNetwork.backprop(X, y, cost)`` (to 1e-10 in float64).

    Examples
    --------
    >>> import torch, neurograph as ng
    >>> loss = ng.torch_loss("quadratic")
    >>> loss(torch.tensor([[0.5, 1.0]]), torch.tensor([[1.0, 1.0]])).item()
    0.125
    """
    return CostLoss(get_cost(cost))


def torch_l2(module: nn.Module, lmbda: float, n: int) -> torch.Tensor:
    r"""The book's L2 term $\frac{\lambda}{2n} \sum_w w^2$, over the weights only.

    Parameters
    ----------
    module : torch.nn.Module
        Its ``nn.Linear`` and masked levels give the weights (biases are not decayed).
    lmbda : float
        λ.
    n : int
        The size of the training set, as in the book (not the mini-batch).

    Returns
    -------
    torch.Tensor
        A scalar; its gradient $\frac{\lambda}{n} w$ is the book's weight decay
        $w \to (1 - \eta\lambda/n) w$ (Nielsen, ch. 3, eq. (93)).

    Examples
    --------
    >>> import torch, neurograph as ng
    >>> round(ng.torch_l2(torch.nn.Linear(2, 1), 0.0, 10).item(), 6)
    0.0
    """
    squares = [
        m.weight.square().sum() for m in module.modules() if isinstance(m, (nn.Linear, MaskedLevel))
    ]
    return 0.5 * (lmbda / n) * torch.stack(squares).sum()
