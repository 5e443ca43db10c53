"""What the command lines share: a mistake is one line on stderr (exit status 2), and TensorFlow loads
without the CUDA chatter it prints on a machine with no GPU. Only the standard library: importing this
module must stay fast, so that --help and a mistyped option answer at once."""

import argparse
import os
import sys
import tempfile

# Lines TensorFlow's CUDA build writes to stderr as it loads and looks for a GPU: its own factories
# registered twice (on every machine), and no GPU found.
TENSORFLOW_NOISE = (
    "Unable to register cu",
    "computation placer already registered",
    "before absl::InitializeLog() is called",
    "failed call to cuInit",
)


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser, reporting a mistake in one line on stderr (exit status 2) rather than usage and all,
    and taking no abbreviated options (a typo is never read as another option)."""

    def __init__(self, **options):
        super().__init__(allow_abbrev=False, **options)

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def load_mnist_or_exit(parser, data_dir):
    """MNIST from data_dir (training.data.load_mnist), or the parser's one-line error. Read before
    TensorFlow loads, a bad data folder is told at once."""
    from training.data import DataError, load_mnist

    try:
        return load_mnist(data_dir)
    except DataError as error:
        parser.error(str(error))


def import_tensorflow():
    """Load TensorFlow and let it look for a GPU, passing on to stderr what it writes there less
    TENSORFLOW_NOISE. Its C++ writes to the file descriptor, not sys.stderr, so that is what is caught."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # its INFO and WARNING logging, too
    sys.stderr.flush()
    stderr = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            import tensorflow as tf

            tf.config.list_physical_devices()
        finally:
            sys.stderr.flush()
            os.dup2(stderr, 2)
            os.close(stderr)
            caught.seek(0)
            lines = caught.read().decode(errors="replace").splitlines(keepends=True)
            sys.stderr.write("".join(line for line in lines if not any(noise in line for noise in TENSORFLOW_NOISE)))
