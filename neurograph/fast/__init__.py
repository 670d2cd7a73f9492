"""The fast engine: a network compiled to dense NumPy blocks, batched passes, and SGD.

``compile()`` reads the graph once into one weight block per level (masks where the graph has
no edge); the batched passes run the graph engine's equations on whole mini-batches; the
kernels do the in-place training step; SGD follows the book (mini-batches, L2, shuffling from a
seed) with early stopping, schedules, momentum and a `History`. It may import the graph engine
and [`neurograph.errors`][], never the debugger or the CLI; ``History.plot()`` and
``History.save_html()`` import, when called, the parts that draw them (two arrows up, written in
``.importlinter``).
"""
