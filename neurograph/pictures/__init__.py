"""Pictures of networks: Graphviz diagrams, their styles, the c → ∞ limit, weight images, plots.

``draw`` turns a network (and whatever its neurons hold: weights, activations, errors,
gradients) into a ``graphviz.Digraph``; ``render`` writes it through the real ``dot``. It reads
the graph engine and writes through [`neurograph.io`][]; the decision maps and the weight
images also read a compiled network (the fast engine's batched trace and its ``w[l]``), never
the debugger. This is the only part (with the players that embed its pictures) that imports
``graphviz``.
"""
