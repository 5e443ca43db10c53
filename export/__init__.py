"""Keras models to TF.js graph models: conversion, the parity and accuracy checks in Chromium, the
ensemble, the model manifest, and the evaluation of the exported models on image sets."""
