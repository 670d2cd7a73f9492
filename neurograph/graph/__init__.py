"""The graph engine, and the truth: neurons, costs, the `Network`, and the passes over it.

Neurons, activations and costs are written once here; the `Network` wraps a networkx DAG of
neuron objects; the plan orders them; the passes are generators that yield one event per neuron
(BP1–BP4), so the debugger and the players step through the very code that ``forward`` and
``backward`` run. It also builds networks (``layered``), checks gradients against central
differences, and describes a network as a plain document (the JSON spec). It may import only
numpy, networkx and [`neurograph.errors`][]: never the fast engine, Graphviz, a progress bar
or the CLI. What the parts above lend it (``Network.compile``, Jupyter pictures) reaches it
through `neurograph.graph.hooks`.
"""
