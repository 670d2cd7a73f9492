"""Network files: neurograph's versioned JSON, the book's network2.py format, atomic writes.

Reading only parses: nothing from a file is executed. Writing replaces a file whole or leaves
it untouched. It builds networks through the graph engine's public calls, reads the fast engine's
compiled blocks for the tensor files, and imports nothing above them.
"""
