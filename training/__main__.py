"""python -m training --model cnn [--epochs N] [--seed S] [--data-dir DIR] [--out DIR]

Defaults live in training/config.py (DEFAULTS); every key is a command-line option and unknown options
are rejected."""

from pathlib import Path

from training.cli import ArgumentParser, import_tensorflow, load_mnist_or_exit
from training.config import DEFAULTS, IMAGENET_MODELS
from training.models import BUILDERS


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
    mnist = load_mnist_or_exit(parser, args.data_dir)  # before anything is written
    import_tensorflow()
    from training.train import WeightsUnavailable, run

    config = {key: getattr(args, key) for key in DEFAULTS}
    config["verbose"] = config["verbose"] if config["verbose"] == "auto" else int(config["verbose"])
    for model_id in BUILDERS if args.all else [args.model]:
        weights = config["weights"] if model_id in IMAGENET_MODELS else "none"
        try:
            run({**config, "model": model_id, "weights": weights}, mnist)
        except WeightsUnavailable as error:
            parser.error(str(error))


if __name__ == "__main__":
    main()
