"""The playground: experiments that train many small runs and compare them, as chapter 3 does.

[`compare`][neurograph.playground.compare.compare] reproduces the learning slowdown that motivates
the cross-entropy cost (one sigmoid neuron, the book's two starting points) and compares costs,
momentum or L2 on any network and data set. It sits above the fast engine, which trains the
runs, and the pictures (its figures use matplotlib); it never imports the debugger or the CLI.
"""
