"""The ensemble: several exported models read the digit and their probabilities are averaged.

Which models take part, and whether the page offers the ensemble at all (only when it reads more than the
best single model), is decided on the training runs' validation split (the same 5,000 held-out training
digits for every model trained with the same seed), never on the test set; the chosen ensemble is then
measured like a single model, on the shipped TF.js files and the 10,000 test digits."""

from itertools import combinations
from pathlib import Path

import numpy as np

from export.tfjs_check import run_tfjs
from training.data import split_validation


def accuracy(probabilities, labels):
    return float((probabilities.argmax(axis=1) == labels).mean())


def choose_members(probabilities, labels, sizes):
    """The set of two or more models whose averaged probabilities are most accurate on these digits;
    among equals, the smallest download. probabilities and sizes are keyed by model id."""
    candidates = [group for count in range(2, len(probabilities) + 1) for group in combinations(probabilities, count)]
    return max(
        candidates,
        key=lambda group: (
            accuracy(np.mean([probabilities[i] for i in group], axis=0), labels),
            -sum(sizes[i] for i in group),
        ),
    )


def measure_ensemble(manifest, site, mnist):
    """models.json's "ensemble" entry: {members, validation_accuracy, accuracy, params, bytes,
    best_single: {id, validation_accuracy, accuracy}, beats_best_single (on the validation split)}; None
    with fewer than two models or when their training runs did not share a validation split of the full
    training set."""
    models = {model["id"]: model for model in manifest["models"]}
    # The split train.py held out: set by the random seed and the size, from the full training set (no --limit).
    splits = {
        tuple(model["training"]["config"].get(key, 0) for key in ("seed", "val_size", "limit"))
        for model in models.values()
    }
    if len(models) < 2 or len(splits) != 1:
        return None
    (seed, val_size, limit) = splits.pop()
    if limit:
        return None
    _, (x_val, y_val) = split_validation(mnist.x_train, mnist.y_train, val_size, seed)

    def run(model_ids, images):
        inputs = images.astype("float32") / 255.0
        return {i: run_tfjs(Path(site) / "models" / i, site, inputs) for i in model_ids}

    on_validation = run(models, x_val)
    members = choose_members(on_validation, y_val, {i: models[i]["bytes"] for i in models})
    validation_accuracy = accuracy(np.mean([on_validation[i] for i in members], axis=0), y_val)
    # Only the members read the test set: the others took no part.
    on_test = run(members, mnist.x_test)
    test_accuracy = round(accuracy(np.mean([on_test[i] for i in members], axis=0), mnist.y_test), 4)
    # The best single model, and whether the ensemble beats it, on the validation digits too.
    alone = {i: accuracy(on_validation[i], y_val) for i in models}
    best = max(models, key=lambda i: alone[i])
    print(
        f"ensemble of {' + '.join(members)} (chosen on {val_size:,} validation digits, {validation_accuracy:.2%}): "
        f"TF.js accuracy {test_accuracy:.2%}; best single model on validation {best} {alone[best]:.2%}"
    )
    return {
        "members": list(members),
        "validation_accuracy": round(validation_accuracy, 4),
        "accuracy": test_accuracy,
        "params": sum(models[i]["params"] for i in members),
        "bytes": sum(models[i]["bytes"] for i in members),
        "best_single": {
            "id": best,
            "validation_accuracy": round(alone[best], 4),
            "accuracy": models[best]["accuracy"],
        },
        "beats_best_single": validation_accuracy > alone[best],
    }
