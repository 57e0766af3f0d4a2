"""Speed of the gradient-descent page's computations, as ratios measured in this run.

1. The 2-weight loss surface: one batched NumPy evaluation against a Python loop
   over the grid points (what `lib.surface.grid` avoids).
2. Training with per-layer gradient/update norms recorded (`lib.training.train`, the
   engine) against Keras' `model.fit` on the same config and data, epoch for epoch.

Run: python bench/bench_gradient_descent.py
"""

import numpy as np
from common import seconds, summary

from lib import surface
from lib.datasets import load_dataset
from lib.keras_model import build_model
from lib.training import DEEPER_LESSON, split, train

dataset = load_dataset("banknotes")
data = surface.problem(dataset, surface.Plane(("skewness", "kurtosis")))
batched = seconds(lambda: surface.grid(data, (0.0, 0.0, 4.0), size=101))
points = np.stack(np.meshgrid(np.linspace(-4, 4, 101), np.linspace(-4, 4, 101)), -1).reshape(-1, 2)
looped = seconds(lambda: [surface.loss_at(data, w) for w in points])
print(
    f"surface 101×101: batched {batched * 1e3:.1f} ms, loop {looped * 1e3:.0f} ms, "
    f"ratio {looped / batched:.0f}×"
)
summary(
    "loss surface 101×101, batched",
    batched * 1e3,
    "ms",
    baseline="one pair at a time",
    ratio=batched / looped,
)

train(dataset, DEEPER_LESSON)  # trace once
ours = seconds(lambda: train(dataset, DEEPER_LESSON))
run = train(dataset, DEEPER_LESSON)
norms = run.grad_norms.to_numpy()
assert norms.shape == (DEEPER_LESSON.epochs, 3) and np.isfinite(norms).all()
assert np.isfinite(run.update_norms.to_numpy()).all()

parts = split(dataset, DEEPER_LESSON)
model, _ = build_model(DEEPER_LESSON, 4, 2)
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
x = np.concatenate([parts.x_fit, parts.x_val])
y = np.concatenate([parts.y_fit, parts.y_val]).astype("float32")
fit = lambda: model.fit(x, y, epochs=DEEPER_LESSON.epochs, batch_size=16, validation_split=0.3, verbose=0)
fit()
keras_time = seconds(fit)
print(
    f"train DEEPER_LESSON (25 epochs, norms recorded): engine {ours:.3f} s, "
    f"keras model.fit {keras_time:.3f} s, ratio {keras_time / ours:.1f}× faster; "
    f"norms {norms.shape} finite"
)
summary(
    "training with gradient norms recorded",
    ours,
    "s",
    baseline=f"Keras model.fit ({keras_time:.3f} s)",
    ratio=ours / keras_time,
)
