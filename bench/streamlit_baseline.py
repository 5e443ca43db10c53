"""The replaced Streamlit app's way: Keras model.predict on one image in CPython, in its own process so TensorFlow's
threads and memory are gone before the browser runs.

    python -m bench.streamlit_baseline [--model cnn] [--calls 30] [--warmup 3]  (prints JSON)"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def time_predict(model_id, calls, warmup):
    """{"samples": [ms per model.predict call], "weights": where they came from, versions}."""
    from training.cli import import_tensorflow
    from training.models import build

    import_tensorflow()
    import keras
    import numpy as np
    import tensorflow as tf

    trained = REPO / "artifacts" / model_id / "model.keras"
    if trained.is_file():
        model, weights = keras.models.load_model(trained), f"artifacts/{model_id}/model.keras"
    else:
        # Same architecture, fresh weights: predict's time does not depend on the weights' values.
        model, weights = build(model_id), f"untrained training.models.build({model_id!r}) (no {trained.name})"
    image = np.random.default_rng(0).random((1, 28, 28, 1), dtype=np.float32)
    for _ in range(warmup):
        model.predict(image, verbose=0)
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        model.predict(image, verbose=0)
        samples.append((time.perf_counter() - started) * 1000)
    device = "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    return {
        "samples": samples,
        "weights": weights,
        "device": device,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }


def run_streamlit_baseline(model_id, calls, warmup):
    """time_predict in a fresh `python -m bench.streamlit_baseline` process."""
    command = [
        sys.executable,
        "-m",
        "bench.streamlit_baseline",
        "--model",
        model_id,
        "--calls",
        str(calls),
        "--warmup",
        str(warmup),
    ]
    output = subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.streamlit_baseline", description=__doc__.splitlines()[0], allow_abbrev=False
    )
    parser.add_argument("--model", default="cnn")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(time_predict(args.model, args.calls, args.warmup)))


if __name__ == "__main__":
    main()
