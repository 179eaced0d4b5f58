"""Keras 3 on JAX (XLA-compiled) running Descent's benchmark workloads W1-W6.

Usage: .venv-bench/bin/python Benchmarks/keras_peer.py [W1 ...] [--reps 5] [--threads 1]
Same shapes, parameter counts, batch sizes, float32 and Adam (Keras defaults) as
`descent bench`; a final sigmoid/softmax is folded into the loss (from_logits=True), as Descent
does. W6 is minGPT's gpt-nano on sort built from keras.layers.MultiHeadAttention and
LayerNormalization (85,728 parameters, as Descent's), its loss ignoring the unscored targets (-1),
Adam at 5e-4 as minGPT's demo. The first epoch (tracing and XLA compilation) is the warm-up; each later epoch is timed by
a callback, so the figures are Keras' steady state inside `model.fit`.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import WORKLOADS, data, parse_args, rates, report  # noqa: E402

args = parse_args(__doc__.splitlines()[0], list(WORKLOADS))
os.environ["KERAS_BACKEND"] = "jax"
if args.threads == 1:   # XLA's CPU client otherwise runs an Eigen pool with one thread per core
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                               + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))

import time  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402


def model_for(name):
    if name == "W1":
        body = [keras.Input((784,)), layers.Dense(256, activation="relu"),
                layers.Dense(128, activation="relu"), layers.Dense(10)]
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    elif name == "W2":
        body = [keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10)]
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    elif name == "W3":
        body = [keras.Input((2,)), layers.Dense(8, activation="tanh"),
                layers.Dense(8, activation="tanh"), layers.Dense(1)]
        loss = keras.losses.BinaryCrossentropy(from_logits=True)
    elif name == "W4":
        body = [keras.Input((100,), dtype="int32"), layers.Embedding(10_000, 16),
                layers.GlobalAveragePooling1D(), layers.Dense(16, activation="relu"), layers.Dense(1)]
        loss = keras.losses.BinaryCrossentropy(from_logits=True)
    elif name == "W6":
        return gpt_nano()
    else:
        body = [keras.Input((50, 8)), layers.SimpleRNN(32, activation="tanh"), layers.Dense(1)]
        loss = keras.losses.MeanSquaredError()
    model = keras.Sequential(body)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss=loss)
    return model


class PositionEmbedding(layers.Layer):
    """A learned vector per position, added to the token embedding (minGPT's wpe)."""

    def build(self, input_shape):
        self.table = self.add_weight(shape=(input_shape[1], input_shape[2]), initializer="random_normal")

    def call(self, x):
        return x + self.table


def gpt_nano(vocabulary=3, block=11, blocks=3, heads=3, width=48):
    """minGPT's GPT: token + position embedding, pre-norm blocks (causal attention, 4x GELU MLP),
    a final LayerNorm, a head without bias. Keras' MultiHeadAttention has the same parameters as
    minGPT's c_attn + c_proj: 3 (d·d + d) + d·d + d."""
    tokens = keras.Input((block,), dtype="int32")
    x = PositionEmbedding()(layers.Embedding(vocabulary, width)(tokens))
    for _ in range(blocks):
        h = layers.LayerNormalization(epsilon=1e-5)(x)
        x = x + layers.MultiHeadAttention(heads, width // heads)(h, h, use_causal_mask=True)
        h = layers.LayerNormalization(epsilon=1e-5)(x)
        x = x + layers.Dense(width)(layers.Dense(4 * width, activation="gelu")(h))
    logits = layers.Dense(vocabulary, use_bias=False)(layers.LayerNormalization(epsilon=1e-5)(x))
    model = keras.Model(tokens, logits)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=5e-4),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1))
    return model


class EpochTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def run(name):
    batch, _, epochs_per_rep, _ = WORKLOADS[name]
    epochs_per_rep = args.epochs_per_rep or epochs_per_rep
    keras.utils.set_random_seed(1)
    x, y = data(name, np.random.default_rng(1))
    model = model_for(name)
    timer = EpochTimer()
    model.fit(x, y, batch_size=batch, epochs=epochs_per_rep * (args.reps + 1), shuffle=True,
              verbose=0, callbacks=[timer])
    per_epoch = timer.seconds[epochs_per_rep:]
    seconds = [sum(per_epoch[i:i + epochs_per_rep]) for i in range(0, len(per_epoch), epochs_per_rep)]
    report("keras-jax", name, model.count_params(), args.threads, rates(name, seconds, epochs_per_rep))


for workload in args.workloads:
    run(workload)
