"""The step-through debugger: a `Debugger` over the passes' own generators.

The tape records every event so that ``back()`` restores values exactly; breakpoints and
watches are parsed, never evaluated; inspection formats a neuron's values as the CLI prints
them; `neurograph.debug.notebook` draws networks and events in Jupyter. It reads the graph
engine and draws through [`neurograph.pictures`][]; it never calls the fast engine itself.
``Debugger.record()`` imports the player that makes the recording (an arrow up, written in
``.importlinter``).
"""
