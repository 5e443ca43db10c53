"""The benchmark: start-up, bytes and latency of the page in headless Chromium, against a bare-PyScript
floor and the replaced Streamlit app's Keras model.predict. Run it with `make bench` or `python -m bench`."""
