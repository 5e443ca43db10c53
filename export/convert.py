"""Keras model -> TF.js graph model. Keras 3 models in the TF.js *layers* format do not load in tfjs
4.22, so the path is a SavedModel then tensorflowjs_converter to a graph model."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import keras
import tensorflow as tf

# tensorflowjs_converter's weight quantization flags; None keeps float32.
QUANTIZE_FLAGS = {None: [], "float16": ["--quantize_float16=*"], "uint8": ["--quantize_uint8=*"]}


def convert(model, out_dir, quantize=None):
    """Write `model` (a Keras model) as a TF.js graph model into out_dir, replacing what was there."""
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory() as scratch:
        saved_model = Path(scratch) / "saved_model"
        # An explicit inference endpoint: model.export left batch-norm updates inside the nested
        # keras.applications models, which the converter cannot freeze ("Identity is not in graph").
        archive = keras.export.ExportArchive()
        archive.track(model)
        archive.add_endpoint(
            "serve",
            lambda images: model(images, training=False),
            input_signature=[tf.TensorSpec((None, *model.input_shape[1:]), tf.float32, name="image")],
        )
        archive.write_out(saved_model, verbose=False)
        shutil.rmtree(out_dir, ignore_errors=True)
        command = [
            sys.executable,
            "-m",
            "tensorflowjs.converters.converter",
            "--input_format=tf_saved_model",
            "--output_format=tfjs_graph_model",
            "--signature_name=serving_default",
            "--saved_model_tags=serve",
            *QUANTIZE_FLAGS[quantize],
            str(saved_model),
            str(out_dir),
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"tensorflowjs_converter failed:\n{result.stderr[-3000:]}")
    return out_dir


def download_bytes(model_dir):
    """What the browser downloads for this model: model.json and its weight shards."""
    return sum(file.stat().st_size for file in Path(model_dir).iterdir() if file.is_file())
