"""Shared helpers for the softmax tests: small models, batches, finite differences."""

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from model.softmax import (
    SoftmaxClassifier,
)

SETTINGS = settings(max_examples=40, deadline=None)


# ----------------------------------------------------------------- helpers
def make_model(D, C, seed=0, alpha=0.0, eta=0.1, dtype=np.float64, scale=1.0):
    """A model with W and b drawn at `scale`, so tests do not sit at the near-zero init."""
    rng = np.random.default_rng(seed)
    model = SoftmaxClassifier(D, C, learning_rate=eta, alpha=alpha, random_state=seed, dtype=dtype)
    model.W = scale * rng.standard_normal((C, D))
    model.b = scale * rng.standard_normal(C)
    return model


def make_batch(B, D, C, seed=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((B, D)), rng.integers(0, C, size=B)


def reference_softmax(z):
    """One sample, written from a_i = exp(z_i) / sum_l exp(z_l); only for moderate z."""
    e = np.exp(np.asarray(z, dtype=np.float64))
    return e / e.sum()


def relative_error(got, expected):
    return np.linalg.norm(got - expected) / max(np.linalg.norm(got), np.linalg.norm(expected))


def central_difference(f, model, name, h=1e-6):
    """d f / d (model.<name>) by central differences, one entry at a time, via the setters."""
    base = getattr(model, name).copy()
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        step = np.zeros_like(base)
        step[idx] = h
        setattr(model, name, base + step)
        f_plus = f()
        setattr(model, name, base - step)
        f_minus = f()
        grad[idx] = (f_plus - f_minus) / (2 * h)
    setattr(model, name, base)
    return grad


@st.composite
def problems(draw, max_b=8):
    """(model seed, B, D, C, eta, alpha): small random problem sizes and step settings."""
    return (
        draw(st.integers(0, 2**31)),
        draw(st.integers(1, max_b)),
        draw(st.integers(1, 6)),
        draw(st.integers(2, 6)),
        draw(st.floats(1e-3, 1.0)),
        draw(st.sampled_from([0.0, 1e-3, 0.5])),
    )
