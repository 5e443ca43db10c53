"""python -m training --model cnn [--epochs N] [--seed S] [--data-dir DIR] [--out DIR]

Defaults live in training/config.py (DEFAULTS); every key is a command-line option and unknown options
are rejected.

Above the command, what every command line here shares (export's, evaluate's, the photo set's, the
bench's): a mistake is one line on stderr (exit status 2), and TensorFlow loads without the CUDA chatter
it prints on a machine with no GPU. Importing this module loads only the standard library and the model names, so
--help and a mistyped option answer at once."""

import argparse
import os
import sys
import tempfile
from pathlib import Path

from training.config import DEFAULTS, IMAGENET_MODELS
from training.models import BUILDERS

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


def argument_parser():
    """Options from DEFAULTS, with their types; unknown ones are rejected."""
    parser = ArgumentParser(prog="python -m training", description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=list(BUILDERS), default=DEFAULTS["model"])
    parser.add_argument("--all", action="store_true", help="train every model in turn")
    parser.add_argument("--epochs", type=int, default=DEFAULTS["epochs"])
    parser.add_argument("--batch-size", type=int, default=DEFAULTS["batch_size"])
    parser.add_argument("--lr", type=float, default=DEFAULTS["lr"])
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    parser.add_argument("--patience", type=int, default=DEFAULTS["patience"])
    parser.add_argument("--ema", type=float, default=DEFAULTS["ema"])
    parser.add_argument("--val-size", type=int, default=DEFAULTS["val_size"])
    parser.add_argument("--no-augment", dest="augment", action="store_false")
    parser.add_argument("--no-hands", dest="hands", action="store_false", help="no flagged 1s, barred 7s, open 4s")
    parser.add_argument("--weights", choices=["none", "imagenet"], default=DEFAULTS["weights"])
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULTS["limit"],
        metavar="N",
        help="only the first N training and N test digits (0: all)",
    )
    parser.add_argument(
        "--init", default=DEFAULTS["init"], metavar="MODEL.keras", help="start from this trained model (fine-tune)"
    )
    parser.add_argument(
        "--extra-data",
        default=DEFAULTS["extra_data"],
        metavar="ZIP",
        help='digits taught in the page (its "Download what I taught" zip), added to the training digits',
    )
    parser.add_argument("--data-dir", default=DEFAULTS["data_dir"])
    parser.add_argument("--out", default=DEFAULTS["out"])
    parser.add_argument(
        "--verbose", choices=["auto", "0", "1", "2"], default=DEFAULTS["verbose"], help="Keras progress output"
    )
    return parser


def parse_args(argv=None):
    return argument_parser().parse_args(argv)


def main(argv=None):
    parser = argument_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.ema < 1:
        parser.error(f"--ema {args.ema}: a moving average's momentum is from 0 (none) to below 1")
    if args.weights == "imagenet" and not args.all and args.model not in IMAGENET_MODELS:
        parser.error(f"--weights imagenet is for {' and '.join(IMAGENET_MODELS)}, not {args.model}")
    out = Path(args.out)
    if any(path.exists() and not path.is_dir() for path in (out, *out.parents)):
        parser.error(f"--out {out}: a file is in the way of that folder")
    if args.init and not Path(args.init).is_file():
        parser.error(f"--init {args.init}: no such model file")
    if args.init and args.all:
        parser.error("--init starts one model from a trained one: give --model, not --all")
    if args.extra_data:
        from training.data import DataError
        from training.taught import made_record, read_taught

        try:
            read_taught(args.extra_data)  # a bad zip is said now, not after TensorFlow has loaded
            made_record(args.extra_data)
        except DataError as error:
            parser.error(str(error))
    mnist = load_mnist_or_exit(parser, args.data_dir)  # before anything is written
    import_tensorflow()
    from training.train import StartingModelError, WeightsUnavailable, run

    config = {key: getattr(args, key) for key in DEFAULTS}
    config["verbose"] = config["verbose"] if config["verbose"] == "auto" else int(config["verbose"])
    for model_id in BUILDERS if args.all else [args.model]:
        weights = config["weights"] if model_id in IMAGENET_MODELS else "none"
        try:
            run({**config, "model": model_id, "weights": weights}, mnist)
        except (WeightsUnavailable, StartingModelError) as error:
            parser.error(str(error))
