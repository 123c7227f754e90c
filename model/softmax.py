"""The softmax classifier of docs/math.md, sections 1-3, in NumPy.

What it is: multinomial logistic regression, z = W x + b, a = softmax(z), loss = -log a_y,
trained by minibatch gradient descent. What it is not: a network with hidden layers, or a
general optimiser library.

Shapes: D features, C classes, B samples in a batch. A batch X is B x D (one sample a row),
so the model computes Z = X W^T + b (B x C). W is C x D and b is C, the sheet's names.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

__all__ = [
    "SoftmaxClassifier",
    "cross_entropy",
    "logsumexp",
    "softmax",
    "softmax_jacobian",
]


def logsumexp(Z: np.ndarray) -> np.ndarray:
    """log sum_l exp(z_l) for each row of Z (B x C -> B), without overflow."""
    m = Z.max(axis=-1, keepdims=True)
    return (m + np.log(np.exp(Z - m).sum(axis=-1, keepdims=True)))[..., 0]


def softmax(Z: np.ndarray) -> np.ndarray:
    """a_i = exp(z_i) / sum_l exp(z_l) for each row of Z (B x C, or one C-vector).

    Computed as softmax(z - max z): the same value (softmax ignores a constant shift),
    but exp never overflows.
    """
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def cross_entropy(Z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """-log a_y for each row, from the logits: logsumexp(z) - z_y (B x C, B -> B)."""
    return logsumexp(Z) - Z[np.arange(len(y)), y]


def softmax_jacobian(a: np.ndarray) -> np.ndarray:
    """J = d a / d z = diag(a) - a a^T for one probability vector a (C -> C x C).

    J_ii = a_i (1 - a_i), J_ij = -a_i a_j (sheet eqs. 12, 15, 16).
    """
    a = np.asarray(a)
    return np.diag(a) - np.outer(a, a)


def checked_sizes(n_features, n_classes) -> tuple[int, int]:
    """(D, C) as ints, or a ValueError naming the bad one."""
    D, C = n_features, n_classes
    if int(D) != D or D < 1:
        raise ValueError(f"n_features must be a positive integer, got {D!r}")
    if int(C) != C or C < 2:
        raise ValueError(f"n_classes must be an integer >= 2, got {C!r}")
    return int(D), int(C)


def initial_parameters(rows: int, n_features: int, init_scale, random_state, dtype):
    """(W, b) to start from: W (rows x D) drawn from N(0, init_scale^2) with random_state, b
    zeros, both of dtype (float32 or float64). The classifier's and the code model's start."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    rng = np.random.default_rng(random_state)
    W = (init_scale * rng.standard_normal((rows, n_features))).astype(dtype)
    return W, np.zeros(rows, dtype=dtype)


class SoftmaxClassifier:
    """Softmax regression trained by minibatch gradient descent (math.md sections 1-3).

    Parameters are stored as given and checked when used, as in scikit-learn.

    n_features: D.  n_classes: C.
    learning_rate: eta of the update W <- W - eta * dW.
    alpha: optional L2 weight decay; the loss gains alpha/2 ||W||^2 and dW gains alpha W
        (b is not decayed). 0 is the sheet's plain update.
    random_state: None, an int seed or a np.random.Generator for the initial weights.
    dtype: np.float64 (default) or np.float32 for W, b and the arithmetic.
    init_scale: standard deviation of the initial normal weights (b starts at 0).
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        learning_rate: float = 0.1,
        alpha: float = 0.0,
        random_state: int | np.random.Generator | None = None,
        dtype=np.float64,
        init_scale: float = 0.01,
    ):
        self.n_features = n_features
        self.n_classes = n_classes
        self.learning_rate = learning_rate
        self.alpha = alpha
        self.random_state = random_state
        self.dtype = dtype
        self.init_scale = init_scale
        self.n_steps_ = 0
        self.last_batch_loss_ = float("nan")
        self._buffers: dict[int, _StepBuffers] = {}
        self.reset()

    # ----------------------------------------------------------------- parameters
    def reset(self) -> SoftmaxClassifier:
        """(Re-)draw W from N(0, init_scale^2) with random_state and set b to 0."""
        D, C = checked_sizes(self.n_features, self.n_classes)
        self._W, self._b = initial_parameters(C, D, self.init_scale, self.random_state, self.dtype)
        self._buffers = {}  # sized for the old W; the setters keep shape and dtype, reset may not
        self.n_steps_ = 0
        self.last_batch_loss_ = float("nan")
        return self

    @property
    def W(self) -> np.ndarray:
        """Weights, C x D: row i is the template the class-i logit matches against x."""
        return self._W

    @W.setter
    def W(self, value) -> None:
        value = np.array(value, dtype=self._W.dtype)  # a copy: the model owns its weights
        if value.shape != self._W.shape:
            raise ValueError(f"W must have shape {self._W.shape} (C x D), got {value.shape}")
        self._W = value

    @property
    def b(self) -> np.ndarray:
        """Biases, C."""
        return self._b

    @b.setter
    def b(self, value) -> None:
        value = np.array(value, dtype=self._b.dtype)
        if value.shape != self._b.shape:
            raise ValueError(f"b must have shape {self._b.shape} (C,), got {value.shape}")
        self._b = value

    # ----------------------------------------------------------------- forward
    def _check_X(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=self._W.dtype)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self._W.shape[1]:
            raise ValueError(
                f"X must be B x D with D = {self._W.shape[1]} features, got shape {X.shape}"
            )
        return X

    def _check_y(self, y, n: int) -> np.ndarray:
        y = np.asarray(y)
        if y.ndim == 0:
            y = y[None]
        if y.shape != (n,):
            raise ValueError(f"y must hold one label per row of X ({n}), got shape {y.shape}")
        if y.dtype.kind not in "iu":  # signed or unsigned integers; a tenth of np.issubdtype's cost
            raise ValueError(f"labels must be integers, got dtype {y.dtype}")
        # One pass checks both ends: read as unsigned integers of the same size, negative labels
        # become huge. y.min() and y.max() would be two passes, each costing a microsecond even
        # on ten labels, and partial_fit runs this on every minibatch.
        if n and np.maximum.reduce(y.view(f"u{y.itemsize}")) >= self._W.shape[0]:
            raise ValueError(f"labels must lie in 0..{self._W.shape[0] - 1}")
        return y

    def decision_function(self, X) -> np.ndarray:
        """Logits Z = X W^T + b (B x D -> B x C)."""
        X = self._check_X(X)
        return X @ self._W.T + self._b

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities A = softmax(Z), B x C; each row sums to 1."""
        return softmax(self.decision_function(X))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row of X (B,)."""
        return self.decision_function(X).argmax(axis=1)

    def loss(self, X, y) -> float:
        """Mean cross-entropy -log a_y over the batch (plus alpha/2 ||W||^2 if alpha > 0)."""
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        value = float(cross_entropy(X @ self._W.T + self._b, y).mean())
        if self.alpha:
            value += 0.5 * self.alpha * float(np.sum(self._W * self._W))
        return value

    def score(self, X, y) -> float:
        """Accuracy: the fraction of rows whose argmax is the label."""
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        return float(np.mean(self.predict(X) == y))

    def loss_and_score(self, X, y) -> tuple[float, float]:
        """`loss` and `score` from one pass over X (the logits are computed once)."""
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        Z = X @ self._W.T + self._b
        value = float(cross_entropy(Z, y).mean())
        if self.alpha:
            value += 0.5 * self.alpha * float(np.sum(self._W * self._W))
        return value, float(np.mean(Z.argmax(axis=1) == y))

    def jacobian(self, x) -> np.ndarray:
        """d a / d z = diag(a) - a a^T for one sample x (D -> C x C)."""
        x = np.asarray(x)
        if x.ndim != 1:
            raise ValueError(f"jacobian takes one sample (a D-vector), got shape {x.shape}")
        return softmax_jacobian(self.predict_proba(x)[0])

    # ----------------------------------------------------------------- learning
    def gradients(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """Batch-mean gradients (dW, db) of the loss, C x D and C (math.md eqs. 20-22).

        d loss / d z = a - e_y for each sample; dW = (A - Y)^T X / B; db = mean of (A - Y).
        """
        X = self._check_X(X)
        y = self._check_y(y, len(X))
        G = self.predict_proba(X)  # A, B x C
        G[np.arange(len(y)), y] -= 1.0  # A - Y, without building Y
        dW = G.T @ X / len(X)
        if self.alpha:
            dW += self.alpha * self._W
        return dW, G.mean(axis=0)

    def partial_fit(self, X, y) -> SoftmaxClassifier:
        """Exactly one minibatch gradient-descent step on (X, y) with the current learning_rate.

        W <- W - eta (A - Y)^T X / B,  b <- b - eta mean(A - Y).  The batch's mean loss
        before the step is kept in `last_batch_loss_`. X (B x D) must be finite and non-empty;
        a step that overflows (a non-finite loss, W or b) is undone and raises ValueError.
        """
        # math.isfinite, not np.isfinite: a ufunc call on a Python float costs 10x more.
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive number, got {self.learning_rate!r}")
        if not (math.isfinite(self.alpha) and self.alpha >= 0):
            raise ValueError(f"alpha must be a number >= 0, got {self.alpha!r}")
        X = self._check_X(X)
        if len(X) == 0:
            raise ValueError("X has no samples: partial_fit needs at least one sample")
        # Checked here, not in _step: TrainingRun calls _step on data a Dataset has checked.
        if not np.isfinite(X).all():
            raise ValueError("X holds NaN or infinity; every feature must be a finite number")
        y = self._check_y(y, len(X))
        W, b, n_steps = self._W.copy(), self._b.copy(), self.n_steps_
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below
            loss = self._step(X, y)
        if not (math.isfinite(loss) and np.isfinite(self._W).all() and np.isfinite(self._b).all()):
            self._W, self._b, self.n_steps_ = W, b, n_steps
            raise ValueError(
                f"the step diverged (batch loss {loss:g}, largest |feature| {np.abs(X).max():g}):"
                f" the {self._W.dtype} arithmetic overflowed, so W and b were left as they were"
                " before the step; scale the features (e.g. into [0, 1]) or lower the"
                " learning rate"
            )
        self.last_batch_loss_ = loss
        return self

    # The step below is `gradients` followed by W -= eta dW, b -= eta db, rearranged for speed;
    # `gradients` stays the readable reference and the tests check the two agree. A step is two
    # matrix products plus O(B C) work, and below B of a few hundred each NumPy call's fixed
    # cost (about a microsecond), not its arithmetic, is what takes the time. So:
    # - every array is a buffer kept from the last step of the same batch size;
    # - the scores are held class-major, G = Z^T (C x B): reductions over the C classes of each
    #   sample then run along the long axis, 3-20x faster at B = 128-1024 than along rows of
    #   length C = 10;
    # - eta / B is folded into the normalisation, so G turns into eta (A - Y)^T / B in one pass;
    # - the entries (y_k, k) are reached through one flat index, cheaper than two index arrays;
    # - reductions call the ufunc's reduce directly (ndarray.max and .sum add a Python layer);
    # - one sample has its own path: vectors, and dW as an outer product.
    def _step(self, X: np.ndarray, y: np.ndarray) -> float:
        """The update of `partial_fit` on validated X (B x D, the model's dtype) and y (B).

        Returns the batch's mean loss before the step.
        """
        B = len(X)
        if B == 1:
            return self._step_one(X[0], int(y[0]))
        if B == 0:
            raise ValueError("partial_fit needs at least one sample")
        Z, G, G_flat, per_sample, scale, columns, flat, dW, db = self._buffers.get(
            B
        ) or self._new_buffers(B)
        W, b, eta = self._W, self._b, self.learning_rate
        # G = Z^T = (X W^T)^T + b. The product is X W^T as math.md writes it: OpenBLAS took up
        # to 1.7x longer over W X^T straight into G in float32. The transposed copy, which adds
        # b on the way, costs little beside it.
        np.matmul(X, W.T, out=Z)
        np.add(Z.T, b[:, None], out=G)
        G -= np.maximum.reduce(G, axis=0, out=per_sample)  # z - max z: exp cannot overflow
        np.multiply(y, B, out=flat)
        flat += columns  # flat[k] is where z_{y_k} sits in G
        z_y = G_flat[flat]  # z_y - max z, for the loss
        np.exp(G, out=G)
        s = np.add.reduce(G, axis=0, out=per_sample)  # sum_l exp(z_l - max z), per sample
        G *= np.divide(eta / B, s, out=scale)  # G = eta A^T / B
        G_flat[flat] -= eta / B  # G = eta (A - Y)^T / B
        np.log(s, out=s)
        s -= z_y  # logsumexp(z) - z_y for each sample
        loss = float(np.add.reduce(s)) / B
        if self.alpha:
            loss += 0.5 * self.alpha * float(np.vdot(W, W))
            W *= 1.0 - eta * self.alpha  # the decay part of W -= eta (dW + alpha W)
        W -= np.matmul(G, X, out=dW)  # eta (A - Y)^T X / B
        b -= np.add.reduce(G, axis=1, out=db)  # eta sum_k (a_k - e_{y_k}) / B
        self.n_steps_ += 1
        return loss

    def _step_one(self, x: np.ndarray, y: int) -> float:
        """`_step` for one sample x (D) with label y: vectors, and dW as an outer product.

        At B = 1 a step's time is all per-call overhead, so this path makes as few calls as it
        can; and OpenBLAS takes 3-5x longer over (C x 1) times (1 x D) as a matrix product
        than NumPy does over the same outer product.
        """
        buffers = self._buffers.get(1) or self._new_buffers(1)
        z, dW = buffers.G_flat, buffers.dW  # G is C x 1 here: G_flat is a C-vector
        W, b, eta = self._W, self._b, self.learning_rate
        np.matmul(W, x, out=z)
        z += b  # z = W x + b
        z -= z.max()  # softmax(z - max z): exp cannot overflow
        z_y = float(z[y])
        np.exp(z, out=z)
        s = float(np.add.reduce(z))
        loss = math.log(s) - z_y  # logsumexp(z) - z_y
        z *= eta / s  # eta a
        z[y] -= eta  # eta (a - e_y)
        if self.alpha:
            loss += 0.5 * self.alpha * float(np.vdot(W, W))
            W *= 1.0 - eta * self.alpha
        W -= np.multiply(z[:, None], x, out=dW)  # eta (a - e_y) x^T
        b -= z
        self.n_steps_ += 1
        return loss

    def _new_buffers(self, B: int) -> _StepBuffers:
        (C, D), dtype = self._W.shape, self._W.dtype
        if len(self._buffers) > 8:  # batch sizes change rarely; keep the cache small
            self._buffers.clear()
        G = np.empty((C, B), dtype=dtype)
        buffers = self._buffers[B] = _StepBuffers(
            Z=np.empty((B, C), dtype=dtype),
            G=G,
            G_flat=G.reshape(-1),
            per_sample=np.empty(B, dtype=dtype),
            scale=np.empty(B, dtype=dtype),
            columns=np.arange(B),
            flat=np.empty(B, dtype=np.intp),
            dW=np.empty((C, D), dtype=dtype),
            db=np.empty(C, dtype=dtype),
        )
        return buffers

    def __repr__(self) -> str:
        return (
            f"SoftmaxClassifier(n_features={self.n_features}, n_classes={self.n_classes}, "
            f"learning_rate={self.learning_rate}, alpha={self.alpha}, "
            f"random_state={self.random_state!r}, dtype={np.dtype(self.dtype).name})"
        )


class _StepBuffers(NamedTuple):
    """The arrays one step at batch size B reuses, so that a step allocates (almost) nothing."""

    Z: np.ndarray  # B x C: X W^T, as the matrix product writes it
    G: np.ndarray  # C x B: Z^T + b, then exp(z - max z), then eta (A - Y)^T / B
    G_flat: np.ndarray  # C*B: G as one vector (a view)
    per_sample: np.ndarray  # B: max z, then sum exp(z - max z)
    scale: np.ndarray  # B: eta / (B sum exp(z - max z))
    columns: np.ndarray  # B: 0..B-1
    flat: np.ndarray  # B: index of z_{y_k} in G_flat
    dW: np.ndarray  # C x D: eta (A - Y)^T X / B
    db: np.ndarray  # C: eta sum_k (a_k - e_{y_k}) / B
