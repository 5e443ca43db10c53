"""The training PNGs the README shows: learning curves and the test confusion matrix."""

import matplotlib

matplotlib.use("Agg")  # files only: no display on servers or CI

import matplotlib.pyplot as plt  # noqa: E402


def plot_curves(history, path, title):
    """Loss and accuracy per epoch, training beside validation."""
    figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(9, 3.5))
    epochs = range(1, len(history["loss"]) + 1)
    for axes, key, label in ((loss_axes, "loss", "loss"), (accuracy_axes, "accuracy", "accuracy")):
        axes.plot(epochs, history[key], marker="o", label="training")
        axes.plot(epochs, history[f"val_{key}"], marker="o", label="validation")
        axes.set_xlabel("epoch")
        axes.set_ylabel(label)
        axes.grid(alpha=0.3)
        axes.legend()
    figure.suptitle(f"{title}: learning curves")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_confusion(matrix, path, title):
    """10x10 counts on the MNIST test set; off-diagonal cells are the mistakes."""
    figure, axes = plt.subplots(figsize=(5.5, 5))
    axes.imshow(matrix, cmap="Blues")
    threshold = matrix.max() / 2
    for true in range(10):
        for predicted in range(10):
            count = matrix[true][predicted]
            color = "white" if count > threshold else "black"
            axes.text(predicted, true, str(count), ha="center", va="center", fontsize=7, color=color)
    axes.set_xticks(range(10))
    axes.set_yticks(range(10))
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(f"{title}: MNIST test confusion")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
