"""The lab: a live page where the learner edits a network and trains it, offline.

[`Lab`][neurograph.live.lab.Lab] (made by ``ng.lab``) holds a network, its data and the
training settings, and writes them as one self-contained page ([`neurograph.live.page`][]):
the page computes with ``static/engine.js``, the JavaScript twin of the graph engine, and lays
the diagram out with Graphviz compiled to WebAssembly (``vendor/``, pinned, with its licence
and ``scripts/vendor_viz.sh``). It may import the players' page machinery, the files and the
graph engine, never the command line.
"""
