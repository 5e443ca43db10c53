"""Keras models to TF.js graph models, the model manifest, the site build and a local server."""
