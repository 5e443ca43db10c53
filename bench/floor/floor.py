"""The floor's Python: nothing, so the floor times Pyodide's start alone."""

__export__ = []
