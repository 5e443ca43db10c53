"""Model builders. Every model takes MODEL_INPUT (float32 [N, 28, 28, 1] in 0..1, white ink on black)
and returns 10 softmax probabilities; anything a model needs beyond that (normalisation, resizing) is in
its graph.

Keras is imported inside the builders: the command lines read BUILDERS' ids without loading TensorFlow."""

# The input every model takes, recorded with each model in site/models/models.json (which the page reads).
MODEL_INPUT = {"shape": [28, 28, 1], "range": [0, 1], "ink": "white-on-black"}

# MNIST training-set pixel statistics (scaled to 0..1), from the data README.
MNIST_MEAN = 0.1306604763
MNIST_STD = 0.3081078039


def conv_block(x, filters, size=3, strides=1, padding="same"):
    """Convolution, batch norm, ReLU: batch norm lets a small net train fast and generalise."""
    from keras import layers

    x = layers.Conv2D(filters, size, strides=strides, padding=padding, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.ReLU()(x)


def build_cnn(width=32, dropout=0.4):
    """Two stages of two 3x3 convolutions and a strided 5x5 one (learned downsampling instead of pooling),
    each with batch norm and dropout, then a 4x4 convolution and a ten-way softmax."""
    import keras
    from keras import layers

    inputs = keras.Input(tuple(MODEL_INPUT["shape"]), name="image")
    x = layers.Normalization(mean=MNIST_MEAN, variance=MNIST_STD**2)(inputs)
    for filters in (width, width * 2):  # 28x28 -> 14x14 -> 7x7
        x = conv_block(x, filters)
        x = conv_block(x, filters)
        x = conv_block(x, filters, size=5, strides=2)
        x = layers.Dropout(dropout)(x)
    x = conv_block(x, width * 4, size=4, padding="valid")  # 7x7 -> 4x4
    x = layers.Flatten()(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(10, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="cnn")


def build_dnn(units=(512, 256), dropout=0.3):
    """The Streamlit app's dense network with dropout, with batch norm and wider layers."""
    import keras
    from keras import layers

    inputs = keras.Input(tuple(MODEL_INPUT["shape"]), name="image")
    x = layers.Normalization(mean=MNIST_MEAN, variance=MNIST_STD**2)(inputs)
    x = layers.Flatten()(x)
    for width in units:
        x = layers.Dense(width, use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(10, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="dnn")


def application_input(inputs, size):
    """MNIST's 28x28 grey as a keras.applications net needs it: resized (they need at least 32x32), the
    grey repeated into three channels, scaled to -1..1."""
    from keras import layers

    x = layers.Resizing(size, size, interpolation="bilinear")(inputs)
    x = layers.Concatenate()([x, x, x])
    return layers.Rescaling(2.0, offset=-1.0)(x)


def build_application(name, application, size=32, weights=None, **options):
    """A keras.applications architecture on MNIST, its own top replaced by a ten-way softmax."""
    import keras
    from keras import layers

    inputs = keras.Input(tuple(MODEL_INPUT["shape"]), name="image")
    base = application(input_shape=(size, size, 3), include_top=False, weights=weights, pooling="avg", **options)
    # keras.applications set batch-norm momentum 0.999, made for long ImageNet runs: over a few MNIST
    # epochs the moving statistics would lag the weights and inference would read chance.
    for layer in base.layers:
        if isinstance(layer, layers.BatchNormalization):
            layer.momentum = 0.9
    outputs = layers.Dense(10, activation="softmax", name="probabilities")(base(application_input(inputs, size)))
    return keras.Model(inputs, outputs, name=name)


def build_mobilenetv2(size=32, weights=None, alpha=1.0):
    import keras

    return build_application("mobilenetv2", keras.applications.MobileNetV2, size, weights, alpha=alpha)


def build_resnet50(size=32, weights=None):
    import keras

    return build_application("resnet50", keras.applications.ResNet50, size, weights)


# id -> (display name, builder). The page lists models in this order.
BUILDERS = {
    "cnn": ("Compact CNN", build_cnn),
    "dnn": ("Dense network with dropout", build_dnn),
    "mobilenetv2": ("MobileNetV2", build_mobilenetv2),
    "resnet50": ("ResNet50", build_resnet50),
}


def build(model_id, **options):
    """Build a fresh, uncompiled model by id; options go to the builder (small sizes for tests)."""
    if model_id not in BUILDERS:
        raise ValueError(f"unknown model {model_id!r}; choose from {', '.join(BUILDERS)}")
    return BUILDERS[model_id][1](**options)
