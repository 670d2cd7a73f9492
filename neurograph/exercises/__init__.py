"""Constructions that exist for one exercise of the book (exercise 1.3's binary output layer).

Each builds on the graph engine's public calls alone.
"""
