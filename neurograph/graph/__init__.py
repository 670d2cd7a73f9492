"""The graph engine, and the truth: neurons, costs, the `Network`, and the passes over it.

Neurons, activations and costs are written once here; the `Network` wraps a networkx DAG of
neuron objects; the plan orders them; the passes are generators that yield one event per neuron
(BP1–BP4), so the debugger and the players step through the very code that ``forward`` and
``backward`` run. It also builds networks (``layered``), checks gradients against central
differences, and describes a network as a plain document (the JSON spec). It may import only
numpy, networkx and [`neurograph.errors`][]: never Graphviz, a progress bar or the CLI, and the
fast engine only in ``Network.compile`` (the one arrow up, written in ``.importlinter``). Its
objects draw nothing: in Jupyter they are drawn by `neurograph.debug.notebook`.
"""
