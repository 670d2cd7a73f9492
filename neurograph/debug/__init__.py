"""The step-through debugger: a `Debugger` over the passes' own generators.

The tape records every event so that ``back()`` restores values exactly; breakpoints and
watches are parsed, never evaluated; inspection formats a neuron's values as the CLI prints
them. It reads the graph engine and draws through [`neurograph.pictures`][]; it never imports
the fast engine.
"""
