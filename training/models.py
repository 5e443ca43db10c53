"""Model builders. Every model takes float32 [N, 28, 28, 1] in 0..1, white ink on black, and returns
10 softmax probabilities; anything a model needs beyond that (normalisation, resizing) is in its graph."""

import keras
from keras import layers

# MNIST training-set pixel statistics (scaled to 0..1), from the data README.
MNIST_MEAN = 0.1306604763
MNIST_STD = 0.3081078039


def conv_block(x, filters):
    """3x3 convolution, batch norm, ReLU: batch norm lets a small net train fast and generalise."""
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.ReLU()(x)


def build_cnn(width=32, dense=128, dropout=0.4):
    """The seed's Conv32-Pool-Conv64-Pool-Dense128-Dense10, with batch norm, one more conv and dropout."""
    inputs = keras.Input((28, 28, 1), name="image")
    x = layers.Normalization(mean=MNIST_MEAN, variance=MNIST_STD**2)(inputs)
    x = conv_block(x, width)
    x = layers.MaxPooling2D()(x)
    x = conv_block(x, width * 2)
    x = conv_block(x, width * 2)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(dropout)(x)
    x = layers.Dense(dense, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(10, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="cnn")


# id -> (display name, builder). The page lists models in this order.
BUILDERS = {
    "cnn": ("Compact CNN", build_cnn),
}


def build(model_id, **options):
    """Build a fresh, uncompiled model by id; options go to the builder (small sizes for tests)."""
    if model_id not in BUILDERS:
        raise ValueError(f"unknown model {model_id!r}; choose from {', '.join(BUILDERS)}")
    return BUILDERS[model_id][1](**options)
