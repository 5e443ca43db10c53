"""Keras model -> TF.js graph model. Keras 3 models in the TF.js *layers* format do not load in tfjs
4.22, so the path is model.export (SavedModel) then tensorflowjs_converter to a graph model."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# tensorflowjs_converter's weight quantization flags; None keeps float32.
QUANTIZE_FLAGS = {None: [], "float16": ["--quantize_float16=*"], "uint8": ["--quantize_uint8=*"]}


def convert(model, out_dir, quantize=None):
    """Write `model` (a Keras model) as a TF.js graph model into out_dir, replacing what was there."""
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory() as scratch:
        saved_model = Path(scratch) / "saved_model"
        model.export(saved_model, format="tf_saved_model", verbose=False)
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
