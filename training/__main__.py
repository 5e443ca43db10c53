"""python -m training --model cnn [--epochs N] [--seed S] [--data-dir DIR] [--out DIR]

Defaults live in DEFAULTS; every key is a command-line option and unknown options are rejected."""

from pathlib import Path

from training.cli import ArgumentParser, import_tensorflow, load_mnist_or_exit
from training.models import BUILDERS

# The shipped cnn's run (site/models/models.json), so `python -m training` alone trains it again.
DEFAULTS = {
    "model": "cnn",
    "epochs": 30,
    "batch_size": 128,
    "lr": 0.003,
    "seed": 1,
    "patience": 5,  # epochs without a better validation accuracy before stopping
    "ema": 0.999,  # momentum of the weights' moving average, which is what is kept (0: the last step's)
    "val_size": 5000,
    "augment": True,
    "hands": True,  # restyle some training 1s, 7s and 4s as other hands write them (training/hands.py)
    "weights": "none",  # or "imagenet": start mobilenetv2/resnet50 from ImageNet weights (downloaded)
    "limit": 0,  # for quick runs: see --limit below
    "data_dir": None,  # else $MNIST_DIR, else downloaded into the user cache
    "out": "artifacts",
    "verbose": "auto",
}


# The keras.applications models, which can start from ImageNet weights.
IMAGENET_MODELS = ("mobilenetv2", "resnet50")


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
