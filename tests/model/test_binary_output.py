"""Independent checks of model/binary_output.py against docs/math.md, section 4.

The code matrix is written out literally, thresholds are probed at and around their edges, and
the vectorised sweep is compared with a plain loop over samples and thresholds.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.binary_output import (
    BinaryOutputNetwork,
    binary_code_matrix,
    format_code,
    n_bits_for,
    summarize_probabilities,
)

SETTINGS = settings(max_examples=60, deadline=None)

# M[j, i] = bit j of i, least significant bit first (row 0 is d_0). Columns are the digits 0..9.
DIGIT_CODES = np.array(
    [
        # 0  1  2  3  4  5  6  7  8  9
        [0, 1, 0, 1, 0, 1, 0, 1, 0, 1],  # d_0, bit 0
        [0, 0, 1, 1, 0, 0, 1, 1, 0, 0],  # d_1, bit 1
        [0, 0, 0, 0, 1, 1, 1, 1, 0, 0],  # d_2, bit 2
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 1],  # d_3, bit 3
    ]
)


def probabilities(C=10, **entries):
    """A probability row with the given entries (u<i>=value) and the rest spread evenly."""
    a = np.zeros(C)
    for name, value in entries.items():
        a[int(name[1:])] = value
    rest = [i for i in range(C) if f"u{i}" not in entries]
    a[rest] = (1.0 - a.sum()) / len(rest)
    return a


# ----------------------------------------------------------------- the code layer M
def test_digit_code_matrix_written_out():
    np.testing.assert_array_equal(binary_code_matrix(10), DIGIT_CODES)
    np.testing.assert_array_equal(BinaryOutputNetwork(10).weights, DIGIT_CODES)
    # the sheet's two examples: 7 feeds d_0..d_3 with 1, 1, 1, 0 and 9 with 1, 0, 0, 1
    np.testing.assert_array_equal(DIGIT_CODES[:, 7], [1, 1, 1, 0])
    np.testing.assert_array_equal(DIGIT_CODES[:, 9], [1, 0, 0, 1])


def test_weights_are_read_only():
    with pytest.raises(ValueError):
        BinaryOutputNetwork(10).weights[0, 0] = 5


@pytest.mark.parametrize(
    "C, bits", [(2, 1), (3, 2), (4, 2), (5, 3), (8, 3), (9, 4), (10, 4), (16, 4), (17, 5)]
)
def test_n_bits_is_ceil_log2_of_classes(C, bits):
    assert n_bits_for(C) == bits
    assert BinaryOutputNetwork(C).n_bits == bits
    M = binary_code_matrix(C)
    assert M.shape == (bits, C)
    # reading each column as a number (bit j worth 2^j) gives back its class
    np.testing.assert_array_equal((2 ** np.arange(bits)) @ M, np.arange(C))


def test_format_code_writes_most_significant_bit_first():
    assert format_code([1, 1, 1, 0]) == "0111"  # 7
    assert format_code(DIGIT_CODES[:, 9]) == "1001"
    assert format_code([0, 0, 0, 0]) == "0000"
    assert format_code([2, 1, 1, 1]) == "1112"  # a sum of codes keeps its digits
    for i in range(10):
        assert format_code(DIGIT_CODES[:, i]) == format(i, "04b")


# ----------------------------------------------------------------- the step layer, case by case
def test_unit_exactly_at_threshold_does_not_fire():
    net = BinaryOutputNetwork(10, threshold=0.25)
    a = np.array([0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(net.hidden(a), np.zeros((1, 10)))
    net.threshold = 0.125  # just below: all four fire now
    np.testing.assert_array_equal(net.hidden(a)[0], [1, 1, 1, 1, 0, 0, 0, 0, 0, 0])


def test_no_unit_fired_reads_as_0000_a_silent_wrong_answer():
    net = BinaryOutputNetwork(10, threshold=0.5)
    out = net.decode(np.full(10, 0.1))
    np.testing.assert_array_equal(out.outputs, [[0, 0, 0, 0]])
    assert out.n_fired[0] == 0 and out.fired_class[0] == -1 and out.value[0] == 0
    assert format_code(out.outputs[0]) == "0000"
    # it reads as the digit 0, but it is not a right answer even for a true 0
    assert not out.correct([0])[0]


@pytest.mark.parametrize("digit", range(10))
def test_exactly_one_unit_fired_gives_its_code(digit):
    net = BinaryOutputNetwork(10, threshold=0.5)
    out = net.decode(probabilities(**{f"u{digit}": 0.91}))
    np.testing.assert_array_equal(out.outputs[0], DIGIT_CODES[:, digit])
    np.testing.assert_array_equal(
        net.forward(probabilities(**{f"u{digit}": 0.91}))[0], DIGIT_CODES[:, digit]
    )
    assert out.n_fired[0] == 1 and out.fired_class[0] == digit
    assert out.value[0] == digit and out.valid[0]
    assert out.correct([digit])[0] and not out.correct([(digit + 1) % 10])[0]


def test_several_fired_can_sum_to_a_component_of_two():
    net = BinaryOutputNetwork(10, threshold=0.2)
    out = net.decode(probabilities(u7=0.4, u9=0.4))
    # 7 = (1,1,1,0) and 9 = (1,0,0,1), LSB first: d = (2,1,1,1), no valid code
    np.testing.assert_array_equal(out.outputs[0], [2, 1, 1, 1])
    assert out.n_fired[0] == 2 and out.fired_class[0] == -1
    assert not out.valid[0]
    assert out.value[0] == 2 * 1 + 2 + 4 + 8  # d read as sum_j d_j 2^j
    assert not out.correct([7])[0] and not out.correct([9])[0]


def test_several_fired_can_look_like_a_third_digit():
    net = BinaryOutputNetwork(10, threshold=0.3)
    out = net.decode(probabilities(u1=0.45, u2=0.45))
    # 1 = (1,0,0,0) and 2 = (0,1,0,0): d = (1,1,0,0), the code of 3
    np.testing.assert_array_equal(out.outputs[0], DIGIT_CODES[:, 3])
    assert out.valid[0] and out.value[0] == 3
    assert out.n_fired[0] == 2 and out.fired_class[0] == -1
    assert not out.correct([3])[0]  # looks like 3, but no single unit said so


def test_several_fired_with_bits_only_can_still_name_no_class():
    # 2 = 0010 and 8 = 1000 give 1010 = 10: every d_j is 0 or 1, but there is no class 10
    out = BinaryOutputNetwork(10, threshold=0.3).decode(probabilities(u2=0.45, u8=0.45))
    np.testing.assert_array_equal(out.outputs[0], [0, 1, 0, 1])
    assert out.value[0] == 10 and not out.valid[0]


def test_three_classes_two_bits():
    net = BinaryOutputNetwork(3, threshold=0.3)
    out = net.decode(np.array([[0.1, 0.45, 0.45], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]))
    np.testing.assert_array_equal(out.outputs, [[1, 1], [0, 0], [0, 1]])
    np.testing.assert_array_equal(out.valid, [False, True, True])  # 11 = 3 is no class
    np.testing.assert_array_equal(out.fired_class, [-1, 0, 2])


def test_two_halves_at_one_half_fire_nothing_and_just_below_fire_both():
    a = np.zeros(10)
    a[[3, 5]] = 0.5
    net = BinaryOutputNetwork(10, threshold=0.5)
    assert net.decode(a).n_fired[0] == 0
    net.threshold = np.nextafter(0.5, 0.0)  # 0.5 is the smallest threshold with the guarantee
    assert net.decode(a).n_fired[0] == 2


@st.composite
def probability_rows(draw, C=10, max_rows=20):
    """Rows of non-negative weights normalised to sum 1, with exact ties and zeros likely."""
    n = draw(st.integers(1, max_rows))
    weights = st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(0.0, 1.0))
    rows = draw(st.lists(st.lists(weights, min_size=C, max_size=C), min_size=n, max_size=n))
    W = np.array(rows)
    W[W.sum(axis=1) == 0, 0] = 1.0
    return W / W.sum(axis=1, keepdims=True)


@SETTINGS
@given(probability_rows(), st.one_of(st.just(0.5), st.floats(0.5, 1.0)))
def test_at_most_one_unit_fires_when_threshold_is_at_least_one_half(A, p):
    out = BinaryOutputNetwork(10, threshold=p).decode(A)
    assert np.all(out.n_fired <= 1)
    assert np.all(out.outputs <= 1)


@SETTINGS
@given(probability_rows(), st.floats(0.0, 1.0))
def test_decode_fields_agree_with_each_other(A, p):
    out = BinaryOutputNetwork(10, threshold=p).decode(A)
    np.testing.assert_array_equal(out.hidden, (A > p).astype(int))  # strictly greater
    np.testing.assert_array_equal(out.outputs, out.hidden @ DIGIT_CODES.T)
    np.testing.assert_array_equal(out.n_fired, out.hidden.sum(axis=1))
    np.testing.assert_array_equal(out.value, out.outputs @ [1, 2, 4, 8])


# ----------------------------------------------------------------- threshold validation
@pytest.mark.parametrize("p", [-0.01, 1.01, float("nan"), float("inf"), -float("inf")])
def test_threshold_outside_unit_interval_is_a_ValueError(p):
    net = BinaryOutputNetwork(10, threshold=0.3)
    with pytest.raises(ValueError, match=r"threshold p must lie in \[0, 1\]"):
        net.threshold = p
    assert net.threshold == 0.3
    with pytest.raises(ValueError, match="threshold"):
        BinaryOutputNetwork(10, threshold=p)


@pytest.mark.parametrize("p", [0.0, 0.5, 1.0])
def test_threshold_accepts_the_closed_interval(p):
    assert BinaryOutputNetwork(10, threshold=p).threshold == p


# ----------------------------------------------------------------- sweep and outcomes
def brute_force_fractions(net, A, y, thresholds):
    """For each p: decode() at p, then count every sample's outcome in a plain loop."""
    rows = []
    for p in thresholds:
        net.threshold = p
        out = net.decode(A)
        counts = dict(correct=0, wrong=0, none_fired=0, several_fired=0)
        for k in range(len(A)):
            if out.n_fired[k] == 0:
                counts["none_fired"] += 1
            elif out.n_fired[k] >= 2:
                counts["several_fired"] += 1
            elif out.fired_class[k] == y[k]:
                counts["correct"] += 1
            else:
                counts["wrong"] += 1
        rows.append({key: count / len(A) for key, count in counts.items()})
    return rows


def argmax_accuracy(A, y):
    hits = 0
    for a, label in zip(A, y, strict=True):
        best = max(range(len(a)), key=lambda i: (a[i], -i))  # first of the largest
        hits += best == label
    return hits / len(A)


def assert_sweep_matches_brute_force(net, A, y, thresholds):
    sweep = net.sweep(A, y, thresholds)
    p_values = sweep.thresholds
    expected = brute_force_fractions(net, A, y, p_values)
    for i, row in enumerate(expected):
        for key, fraction in row.items():
            assert getattr(sweep, key)[i] == pytest.approx(fraction, abs=1e-12), (key, p_values[i])
    total = sweep.correct + sweep.wrong + sweep.none_fired + sweep.several_fired
    np.testing.assert_allclose(total, 1.0, atol=1e-12)
    assert sweep.argmax_accuracy == pytest.approx(argmax_accuracy(A, y))
    assert np.all(sweep.correct <= sweep.argmax_accuracy + 1e-12)
    return sweep


@SETTINGS
@given(probability_rows(), st.data())
def test_sweep_matches_brute_force_including_ties_at_thresholds(A, data):
    y = np.array(data.draw(st.lists(st.integers(0, 9), min_size=len(A), max_size=len(A))))
    # thresholds on a 1/16 grid plus the entries of A themselves, so a_i == p happens often
    grid = list(np.arange(17) / 16)
    extra = data.draw(st.lists(st.sampled_from(sorted(set(A.ravel()))), max_size=5))
    assert_sweep_matches_brute_force(BinaryOutputNetwork(10), A, y, grid + extra)


def test_sweep_default_thresholds_on_softmax_like_rows():
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((60, 10)) * rng.choice([0.5, 3.0, 10.0], size=(60, 1))
    A = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    y = np.where(rng.random(60) < 0.7, A.argmax(axis=1), rng.integers(0, 10, 60))
    sweep = assert_sweep_matches_brute_force(BinaryOutputNetwork(10), A, y, None)
    np.testing.assert_allclose(sweep.thresholds, np.linspace(0, 1, 101))


def test_sweep_hand_example():
    A = np.array(
        [
            [0.7, 0.2, 0.1],  # clear 0
            [0.4, 0.4, 0.2],  # tie between 0 and 1
            [0.1, 0.3, 0.6],  # 2, labelled 1
        ]
    )
    y = np.array([0, 1, 1])
    sweep = BinaryOutputNetwork(3).sweep(A, y, [0.0, 0.25, 0.4, 0.5, 0.7])
    # p = 0:    every unit fires in every row                 -> all several
    # p = 0.25: rows 0 (only 0.7), 1 (0.4, 0.4), 2 (0.3, 0.6) -> correct, several, several
    # p = 0.4:  row 0 -> 0 (right), row 1 none (0.4 == p), row 2 -> 2 (wrong)
    # p = 0.5:  row 0 right, row 1 none, row 2 wrong
    # p = 0.7:  nothing fires anywhere (0.7 == p)
    close = dict(atol=1e-12)  # wrong = some - several - correct is float arithmetic
    np.testing.assert_allclose(sweep.correct, [0, 1 / 3, 1 / 3, 1 / 3, 0], **close)
    np.testing.assert_allclose(sweep.wrong, [0, 0, 1 / 3, 1 / 3, 0], **close)
    np.testing.assert_allclose(sweep.none_fired, [0, 0, 1 / 3, 1 / 3, 1], **close)
    np.testing.assert_allclose(sweep.several_fired, [1, 2 / 3, 0, 0, 0], **close)
    # argmax: row 0 right, row 1 picks the first of the tie (0, wrong), row 2 wrong
    assert sweep.argmax_accuracy == pytest.approx(1 / 3)


@pytest.mark.parametrize("p", [0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
def test_outcomes_equal_the_sweep_at_the_current_threshold(p):
    rng = np.random.default_rng(1)
    A = rng.dirichlet(np.full(10, 0.3), size=40)
    # some rows with entries exactly at 0.25 or 0.5, to hit a_i == p
    A[0] = probabilities(u0=0.5, u1=0.5)
    A[1] = probabilities(u2=0.5, u3=0.25)
    A[2] = probabilities(u4=0.25, u5=0.25, u6=0.25, u7=0.25)
    y = rng.integers(0, 10, 40)
    net = BinaryOutputNetwork(10, threshold=p)
    got = net.outcomes(A, y)
    sweep = net.sweep(A, y, [p])
    assert got.correct == pytest.approx(sweep.correct[0])
    assert got.wrong == pytest.approx(sweep.wrong[0])
    assert got.none_fired == pytest.approx(sweep.none_fired[0])
    assert got.several_fired == pytest.approx(sweep.several_fired[0])
    assert got.argmax_accuracy == pytest.approx(sweep.argmax_accuracy)
    expected = brute_force_fractions(BinaryOutputNetwork(10), A, y, [p])[0]
    assert got.correct == pytest.approx(expected["correct"])


def test_sweep_rejects_labels_of_the_wrong_shape():
    with pytest.raises(ValueError, match="one label per row"):
        BinaryOutputNetwork(3).sweep(np.full((2, 3), 1 / 3), [0, 1, 2])


@pytest.mark.parametrize("bad_label", [-1, 3])
def test_sweep_rejects_labels_outside_the_classes(bad_label):
    # Labels are checked when used, as in SoftmaxClassifier. Unchecked, -1 indexes the last
    # column: sweep([[0.1, 0.1, 0.8]], [-1], [0.5]) reports correct 1.0 > argmax_accuracy 0.0.
    with pytest.raises(ValueError):
        BinaryOutputNetwork(3).sweep(np.full((2, 3), 1 / 3), [0, bad_label])


# ----------------------------------------------------------------- from a summary
def old_sweep(A, y, p):
    """The sweep as computed from the whole of A before the summary (kept as the reference)."""
    rows = np.arange(len(A))
    top2 = np.partition(A, -2, axis=1)[:, -2:]
    a_y = A[rows, y]
    others = A.copy()
    others[rows, y] = -np.inf
    best_other = others.max(axis=1)
    P = p[:, None]
    some = (top2[:, 1] > P).mean(axis=1)
    several = (top2[:, 0] > P).mean(axis=1)
    correct = ((a_y > P) & (best_other <= P)).mean(axis=1)
    wrong = np.clip(some - several - correct, 0.0, 1.0)
    accuracy = float(np.mean(A.argmax(axis=1) == y))
    return correct, wrong, 1.0 - some, several, accuracy


def assert_summary_sweep_is_the_old_one(A, y, p):
    sweep = BinaryOutputNetwork(A.shape[1]).summary_sweep(summarize_probabilities(A, y), p)
    correct, wrong, none, several, accuracy = old_sweep(A, y, np.asarray(p, float))
    for got, expected in (
        (sweep.correct, correct),
        (sweep.wrong, wrong),
        (sweep.none_fired, none),
        (sweep.several_fired, several),
    ):
        np.testing.assert_array_equal(got, expected)  # bit for bit
    assert sweep.argmax_accuracy == accuracy


@SETTINGS
@given(probability_rows(), st.data())
def test_the_summary_gives_the_old_fractions_bit_for_bit(A, data):
    y = np.array(data.draw(st.lists(st.integers(0, 9), min_size=len(A), max_size=len(A))))
    extra = data.draw(st.lists(st.sampled_from(sorted(set(A.ravel()))), max_size=5))
    assert_summary_sweep_is_the_old_one(A, y, [*np.linspace(0, 1, 101), *extra])


def test_the_summary_gives_the_old_fractions_on_a_test_set_and_a_diverged_model():
    rng = np.random.default_rng(2)
    Z = rng.standard_normal((2000, 10)) * rng.choice([0.5, 3.0, 30.0], size=(2000, 1))
    A = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    y = np.where(rng.random(2000) < 0.8, A.argmax(axis=1), rng.integers(0, 10, 2000))
    A[:5] = 0.1  # uniform rows: every class ties
    A[5:9] = np.nan  # a diverged model's rows
    A[9, 3] = np.nan
    p = np.concatenate([np.linspace(0, 1, 101), A[10:20].ravel()])
    with np.errstate(invalid="ignore"):
        assert_summary_sweep_is_the_old_one(A, y, p)


def test_the_summary_is_what_the_panels_read():
    A = np.array([[0.7, 0.2, 0.1], [0.4, 0.4, 0.2], [0.1, 0.3, 0.6]])
    s = summarize_probabilities(A, np.array([0, 1, 1]))
    np.testing.assert_array_equal(s.largest, [0.7, 0.4, 0.6])
    np.testing.assert_array_equal(s.second, [0.2, 0.4, 0.3])
    np.testing.assert_array_equal(s.predicted, [0, 0, 2])
    np.testing.assert_array_equal(s.right, [True, False, False])  # a tie is no right answer
    assert s.argmax_accuracy == pytest.approx(1 / 3)
    net = BinaryOutputNetwork(3, threshold=0.5)
    assert net.summary_outcomes(s) == net.outcomes(A, [0, 1, 1])


def test_a_summary_travels_with_its_sorted_arrays():
    """The training process sorts (the window's sweep only searches): the sorted arrays are
    made with the summary and survive the pipe's pickling."""
    import pickle

    rng = np.random.default_rng(4)
    A = rng.dirichlet(np.ones(10), size=500)
    y = rng.integers(0, 10, size=500)
    summary = summarize_probabilities(A, y)
    assert "_sorted" in vars(summary)
    received = pickle.loads(pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL))
    assert "_sorted" in vars(received)
    for sent, got in zip(summary._sorted, received._sorted, strict=True):
        np.testing.assert_array_equal(sent, got)
    p = np.linspace(0, 1, 101)
    fresh = summarize_probabilities(A, y)
    for a, b in zip(received.counts(p), fresh.counts(p), strict=True):
        np.testing.assert_array_equal(a, b)
