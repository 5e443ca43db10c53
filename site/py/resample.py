"""Rows of pixels drawn to another size by area-averaging, as MNIST's digits were fitted into their box:
what preprocess.py fits a digit with and splitter.py shapes a piece of ink with.

Standard library only: Pyodide runs this module in the browser and CPython imports it unchanged."""


def resampled(rows, new_width, new_height):
    """Rows of pixels area-averaged to new_height rows of new_width cells, each cell the coverage-weighted
    mean of its pixels."""
    across, down = _spans(len(rows[0]), new_width), _spans(len(rows), new_height)
    rows = [_resize_line(row, across, new_width) for row in rows]
    columns = [_resize_line(column, down, new_height) for column in zip(*rows, strict=True)]
    # Rounding in the averages could overshoot 1 by a hair.
    return [[min(value, 1.0) for value in row] for row in zip(*columns, strict=True)]


def _spans(size, new_size):
    """For each cell of a line resized from size to new_size: the input pixels it covers, and how much.

    Each span is (first, last, first_part, last_part): pixels strictly between first and last are
    covered fully, the two end pixels partly. Weights are in units of 1/new_size, so they are exact
    integers and a cell's weights add up to exactly size.
    """
    spans = []
    for cell in range(new_size):
        start, stop = cell * size, (cell + 1) * size
        first, last = start // new_size, (stop - 1) // new_size
        first_part = min(stop, (first + 1) * new_size) - start
        last_part = stop - last * new_size if last > first else 0
        spans.append((first, last, first_part, last_part))
    return spans


def _resize_line(line, spans, new_size):
    """One row or column resampled to new_size cells, each the coverage-weighted mean of its pixels."""
    size = len(line)
    return [
        (line[first] * first_part + sum(line[first + 1 : last]) * new_size + line[last] * last_part) / size
        for first, last, first_part, last_part in spans
    ]
