"""Train one model on MNIST and write what it learned: data, model, train, evaluate, save.

Writes to <out>/<model>/: model.keras, metrics.json (test accuracy, per-class accuracy, confusion
matrix, the config and the data checksums), history.json, curves.png and confusion.png."""

import json
import os
import platform
import socket
import subprocess
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from training.data import split_validation
from training.hands import other_hands
from training.models import BUILDERS, build
from training.plots import plot_confusion, plot_curves
from training.taught import made_record, read_taught

# Taught digits (--extra-data) are repeated until they are at least this share of the training digits,
# so that a few dozen count against 55,000 (each repeat is augmented differently).
EXTRA_SHARE = 0.02


def to_float(images):
    """uint8 [N, 28, 28] -> float32 [N, 28, 28, 1] in 0..1: the input every model takes."""
    return (images.astype("float32") / 255.0)[..., None]


def augmenter(seed):
    """Small shifts, rotations and zooms: the ways real handwriting differs from MNIST's framing."""
    return keras.Sequential(
        [
            keras.layers.RandomRotation(0.04, fill_mode="constant", seed=seed),
            keras.layers.RandomZoom(0.1, fill_mode="constant", seed=seed + 1),
            keras.layers.RandomTranslation(0.08, 0.08, fill_mode="constant", seed=seed + 2),
        ],
        name="augment",
    )


def vary_ink(images):
    """Per digit, sometimes: a thicker or thinner stroke (pens, fingers), a blur (focus) and sensor noise,
    the ways photos and drawings differ from MNIST's scans."""
    count = tf.shape(images)[0]
    thicker = tf.nn.max_pool2d(images, 2, 1, "SAME")
    thinner = -tf.nn.max_pool2d(-images, 2, 1, "SAME")
    stroke = tf.random.uniform([count, 1, 1, 1])
    images = tf.where(stroke < 0.15, thicker, tf.where(stroke > 0.85, thinner, images))
    # A coarse scan: about 8 cells across the digit (11 across the frame), as coarse as 8x8 digit sets.
    coarse = tf.image.resize(tf.image.resize(images, [11, 11], method="area"), [28, 28], method="bilinear")
    images = tf.where(tf.random.uniform([count, 1, 1, 1]) < 0.1, coarse, images)
    blurred = tf.nn.avg_pool2d(images, 3, 1, "SAME")
    images = tf.where(tf.random.uniform([count, 1, 1, 1]) < 0.15, 0.5 * images + 0.5 * blurred, images)
    noise = tf.random.normal(tf.shape(images)) * tf.random.uniform([count, 1, 1, 1], 0, 0.04)
    return tf.clip_by_value(images + noise, 0.0, 1.0)


def train_dataset(x, y, batch_size, seed, augment):
    """Shuffled, batched and (optionally) augmented training batches."""
    data = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed).batch(batch_size)
    if augment:
        layer = augmenter(seed)
        data = data.map(lambda images, labels: (vary_ink(layer(images, training=True)), labels))
    return data.prefetch(tf.data.AUTOTUNE)


# The validation accuracies of the checkpoints a run chooses from: the last step's weights and their average.
VALIDATION_SCORES = ("val_accuracy", "val_ema_accuracy")


class BestCheckpoint(keras.callbacks.Callback):
    """Each epoch, two candidates are read on the validation split: the last step's weights (Keras' own
    val_accuracy) and the optimizer's moving average of them (EMA: smoother, but it lags in a short run).
    Keeps the best of all (the average on a tie) and stops after `patience` epochs without a better one."""

    def __init__(self, x_val, y_val, patience):
        super().__init__()
        self.x_val, self.y_val, self.patience = x_val, y_val, patience
        self.best, self.best_weights, self.waited = -1.0, None, 0

    def on_epoch_end(self, epoch, logs=None):
        last = self.model.get_weights()
        self.model.optimizer.finalize_variable_values(self.model.trainable_variables)
        scores = self.model.evaluate(self.x_val, self.y_val, batch_size=500, verbose=0, return_dict=True)
        logs["val_ema_accuracy"] = scores["accuracy"]
        candidates = [(scores["accuracy"], self.model.get_weights()), (logs["val_accuracy"], last)]
        self.model.set_weights(last)
        accuracy, weights = max(candidates, key=lambda candidate: candidate[0])
        if accuracy > self.best:
            self.best, self.best_weights, self.waited = accuracy, weights, 0
        else:
            self.waited += 1
            self.model.stop_training = self.waited >= self.patience

    def on_train_end(self, logs=None):
        self.model.set_weights(self.best_weights)


class WeightsUnavailable(Exception):
    """The ImageNet weights a model was asked to start from could not be downloaded."""


class StartingModelError(Exception):
    """The trained model given to start from (--init) cannot be loaded, or is another kind of model."""


def starting_model(config):
    """The model to train: fresh (build_model), or the trained one config["init"] names."""
    if not config["init"]:
        return build_model(config["model"], config["weights"])
    try:
        model = keras.models.load_model(config["init"])
    except (OSError, ValueError) as error:
        raise StartingModelError(
            f"--init {config['init']}: not a Keras model: {' '.join(str(error).split())}"
        ) from error
    if model.name != config["model"]:
        raise StartingModelError(f"--init {config['init']} is a {model.name} model, not --model {config['model']}")
    return model


def build_model(model_id, weights):
    """A fresh model; with weights="imagenet", its keras.applications base starts from ImageNet's weights."""
    if weights != "imagenet":
        return build(model_id)
    socket.setdefaulttimeout(30)  # a network that drops packets fails in seconds instead of hanging
    try:
        return build(model_id, weights="imagenet")
    except Exception as error:  # keras.utils.get_file raises a bare Exception for any fetch failure
        raise WeightsUnavailable(
            f"could not download the ImageNet weights for {model_id}: {error}. "
            "Without a network, train from scratch: --weights none"
        ) from error


def code_version():
    """The git commit the training code came from ("+changes" when the tree differs), or "unknown"."""
    repo = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True)
        status = subprocess.run(["git", "status", "--porcelain", "training"], cwd=repo, capture_output=True, text=True)
    except OSError:  # no git installed
        return "unknown"
    if commit.returncode != 0:
        return "unknown"
    return commit.stdout.strip() + ("+changes" if status.stdout.strip() else "")


def confusion_matrix(labels, predicted):
    """10x10 counts: rows are true digits, columns predicted digits."""
    matrix = np.zeros((10, 10), dtype=int)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def run(config, mnist):
    """Train config["model"] on `mnist` (training.data.load_mnist) and write its artifacts; returns the
    metrics dict."""
    keras.utils.set_random_seed(config["seed"])
    # Read before training: the code that trains, not what the tree holds by the time it ends.
    code = code_version()

    # Data: 60k training digits less a validation split, and the 10k test digits.
    x_train, y_train = to_float(mnist.x_train), mnist.y_train.astype("int32")
    x_test, y_test = to_float(mnist.x_test), mnist.y_test.astype("int32")
    if config["limit"]:
        x_train, y_train = x_train[: config["limit"]], y_train[: config["limit"]]
        x_test, y_test = x_test[: config["limit"]], y_test[: config["limit"]]
    val_size = min(config["val_size"], len(x_train) // 10)
    (x_train, y_train), (x_val, y_val) = split_validation(x_train, y_train, val_size, config["seed"])
    print(f"data: {len(x_train)} train, {len(x_val)} validation, {len(x_test)} test from {mnist.source}")
    if config["hands"]:
        # Flagged 1s, barred 7s, open 4s, drawn once on the training split (never validation or test).
        x_train, changed = other_hands(x_train, y_train, config["seed"])
        print(f"other hands: {changed.sum()} training digits restyled (training/hands.py)")
    extra_made = None
    if config["extra_data"]:
        taught, labels = read_taught(config["extra_data"])
        extra_made = made_record(config["extra_data"])
        repeats = int(np.ceil(EXTRA_SHARE * len(x_train) / len(taught)))
        x_train = np.concatenate([x_train, np.tile(to_float(taught), (repeats, 1, 1, 1))])
        y_train = np.concatenate([y_train, np.tile(labels.astype("int32"), repeats)])
        print(f"extra digits: {len(taught)} from {config['extra_data']}, each {repeats} times")

    # Model: built by id (or a trained one to fine-tune), Adam with a cosine-decaying learning rate and
    # (--ema) a moving average of the weights.
    model = starting_model(config)
    steps = config["epochs"] * -(-len(x_train) // config["batch_size"])
    schedule = keras.optimizers.schedules.CosineDecay(config["lr"], decay_steps=steps, alpha=0.01)
    average = {"use_ema": True, "ema_momentum": config["ema"]} if config["ema"] else {}
    model.compile(
        optimizer=keras.optimizers.Adam(schedule, **average),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )

    # Made once there are data and a model to write, before the long part: a folder that cannot be made fails now.
    out_dir = Path(config["out"]) / config["model"]
    out_dir.mkdir(parents=True, exist_ok=True)

    # Train: stop when validation accuracy stops improving, keeping the best weights (or their average).
    started = time.perf_counter()
    history = model.fit(
        train_dataset(x_train, y_train, config["batch_size"], config["seed"], config["augment"]),
        validation_data=(x_val, y_val),
        epochs=config["epochs"],
        shuffle=False,  # the dataset shuffles itself; Keras' flag is for arrays
        callbacks=[
            BestCheckpoint(x_val, y_val, config["patience"])
            if config["ema"]
            else keras.callbacks.EarlyStopping(
                monitor="val_accuracy", patience=config["patience"], restore_best_weights=True
            )
        ],
        verbose=config["verbose"],
    )
    train_seconds = time.perf_counter() - started

    # Evaluate on the untouched test set.
    predicted = model.predict(x_test, batch_size=500, verbose=0).argmax(axis=1)
    confusion = confusion_matrix(y_test, predicted)
    per_class = confusion.diagonal() / confusion.sum(axis=1).clip(min=1)
    metrics = {
        "model": config["model"],
        "name": BUILDERS[config["model"]][0],
        "params": model.count_params(),
        "test_accuracy": float(confusion.trace() / confusion.sum()),
        "test_size": int(confusion.sum()),
        "per_class_accuracy": [round(float(a), 4) for a in per_class],
        "confusion_matrix": confusion.tolist(),
        "best_val_accuracy": float(max(max(history.history.get(key, [0.0])) for key in VALIDATION_SCORES)),
        "epochs_run": len(history.history["loss"]),
        "train_seconds": round(train_seconds, 1),
        "config": config,
        "extra_data_made": extra_made,
        "data": {"source": mnist.source, "sha256": mnist.checksums},
        "environment": {
            "code": code,
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
        },
    }
    tested = f"{len(x_test):,} test digits"
    if len(x_test) < len(mnist.x_test):
        tested = f"the first {len(x_test):,} of {len(mnist.x_test):,} test digits, cut by --limit"
    print(
        f"test accuracy: {metrics['test_accuracy']:.4%} on {tested}"
        f" ({metrics['params']:,} params, {train_seconds:.0f} s)"
    )

    # Save the model, the numbers and the plots the README shows.
    model.save(out_dir / "model.keras")
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    (out_dir / "history.json").write_text(json.dumps(history.history, indent=1) + "\n")
    plot_curves(history.history, out_dir / "curves.png", title=metrics["name"])
    plot_confusion(confusion, out_dir / "confusion.png", title=metrics["name"])
    return metrics
