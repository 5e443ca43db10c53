"""The training run's defaults, read by its command line and by export (which writes each model's command);
standard library only, so neither loads TensorFlow to read them."""

# The shipped cnn's run (site/models/models.json), so `python -m training` alone trains it again.
DEFAULTS = {
    "model": "cnn",
    "epochs": 30,
    "batch_size": 128,
    "lr": 0.003,
    "seed": 1,
    "patience": 5,  # epochs without a better validation accuracy before stopping
    "ema": 0.999,  # momentum of the weights' moving average, a candidate checkpoint each epoch (0: none)
    "val_size": 5000,
    "augment": True,
    "hands": True,  # restyle some training 1s, 7s and 4s as other hands write them (training/hands.py)
    "weights": "none",  # or "imagenet": start mobilenetv2/resnet50 from ImageNet weights (downloaded)
    "limit": 0,  # for quick runs: only the first N training and N test digits (0: all)
    "init": None,  # a trained model.keras to start from instead of fresh weights (fine-tuning)
    "extra_data": None,  # a zip of digits taught in the page, added to the training digits
    "data_dir": None,  # else $MNIST_DIR, else downloaded into the user cache
    "out": "artifacts",
    "verbose": "auto",
}


# The keras.applications models, which can start from ImageNet weights.
IMAGENET_MODELS = ("mobilenetv2", "resnet50")
