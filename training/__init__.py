"""digitlens training: MNIST data, Keras models, training and evaluation."""
