"""Weight initializers in NumPy, seeded explicitly.

Keras' own initializers draw from a global or per-layer seed generator; drawing
here from a `numpy.random.Generator` built from the run's seed makes the starting
weights a pure function of the config, in any thread or process.
"""

from __future__ import annotations

import numpy as np


def _truncated_normal(rng: np.random.Generator, shape, stddev: float) -> np.ndarray:
    """Normal samples redrawn until within two standard deviations, as Keras does."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2
    return values * stddev


def _variance_scaling(scale: float, mode: str, distribution: str):
    def init(rng, fan_in, fan_out):
        fan = {"fan_in": fan_in, "fan_avg": (fan_in + fan_out) / 2}[mode]
        variance = scale / max(1.0, fan)
        if distribution == "uniform":
            limit = np.sqrt(3 * variance)
            return rng.uniform(-limit, limit, (fan_in, fan_out))
        # Keras divides by the std of a normal truncated at ±2 to keep the variance.
        return _truncated_normal(rng, (fan_in, fan_out), np.sqrt(variance) / 0.87962566103423978)

    return init


INITIALIZERS = {
    "glorot_uniform": _variance_scaling(1.0, "fan_avg", "uniform"),
    "glorot_normal": _variance_scaling(1.0, "fan_avg", "normal"),
    "he_uniform": _variance_scaling(2.0, "fan_in", "uniform"),
    "he_normal": _variance_scaling(2.0, "fan_in", "normal"),
    "lecun_uniform": _variance_scaling(1.0, "fan_in", "uniform"),
    "lecun_normal": _variance_scaling(1.0, "fan_in", "normal"),
    # Keras 2's "uniform" and "normal", used by the course: small fixed-range weights.
    "uniform": lambda rng, fan_in, fan_out: rng.uniform(-0.05, 0.05, (fan_in, fan_out)),
    "normal": lambda rng, fan_in, fan_out: rng.normal(0.0, 0.05, (fan_in, fan_out)),
    "zeros": lambda rng, fan_in, fan_out: np.zeros((fan_in, fan_out)),
}


def initial_weights(sizes: tuple[int, ...], initializer: str, seed: int) -> list[np.ndarray]:
    """[W0, b0, W1, b1, ...] in Keras' order for a dense net with these layer sizes; biases 0."""
    if initializer not in INITIALIZERS:
        raise ValueError(f"Unknown initializer {initializer!r}; choose one of {', '.join(INITIALIZERS)}.")
    draw = INITIALIZERS[initializer]
    weights = []
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        rng = np.random.default_rng([seed, 1, layer])
        weights.append(draw(rng, fan_in, fan_out).astype(np.float32))
        weights.append(np.zeros(fan_out, dtype=np.float32))
    return weights
