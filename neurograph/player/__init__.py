"""The players: self-contained HTML pages that step through what neurograph recorded.

A [`Recording`][neurograph.player.recording.Recording] holds every event of one pass (forward,
cost, backward, and with η the update), made by the debugger over the passes' own generators,
with the diagram Graphviz drew for it; [`neurograph.player.training`][] makes the page of a
recorded training run (``History.save_html``); [`neurograph.player.page`][] writes either as
one HTML file (template, CSS and JavaScript are package data in ``static/``, inlined) that
needs no Python, no network and no other file. It may import the debugger, the pictures, the
fast engine, the files and the graph engine, never the command line.
"""
