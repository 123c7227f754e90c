"""WeightsPanel: templates, heatmap, levels, colour bar and blobs regions show the snapshot's W."""

from __future__ import annotations

import dataclasses

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QApplication

from gui.colors import class_color
from gui.frame import Frame
from gui.panels.weights_panel import (
    REGION_GRID,
    WEIGHT_QUANTILE,
    WeightsPanel,
    decision_regions,
    region_centres,
)
from gui.plotting import configure_pyqtgraph
from gui.template_mosaic import template_grid
from model import Dataset, TrainingRun, load_dataset
from tests.gui.clients import laid_out_window


@pytest.fixture(autouse=True, scope="module")
def _pyqtgraph_config():
    configure_pyqtgraph()


@pytest.fixture(scope="module")
def datasets():
    return {name: load_dataset(name) for name in ("digits", "blobs")}


@pytest.fixture
def panel(qtbot):
    panel = WeightsPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 600)  # tall enough for the C x D strip (see test_a_short_panel_...)
    return panel


def trained_frame(dataset: Dataset, steps: int = 50) -> Frame:
    run = TrainingRun(dataset, random_state=0)
    run.step(steps)
    return Frame(run.snapshot(), dataset)


def with_weights(frame: Frame, W: np.ndarray) -> Frame:
    snapshot = dataclasses.replace(frame.snapshot, W=W)
    return Frame(snapshot, frame.dataset)


def scene_item_ids(panel: WeightsPanel) -> set[int]:
    return {id(item) for item in panel.view.scene().items()}


def test_templates_show_rows_of_W_reshaped(panel, datasets):
    digits = datasets["digits"]
    panel.set_dataset(digits)
    frame = trained_frame(digits)
    panel.show_frame(frame)
    W = frame.snapshot.W
    assert len(panel.templates.row_images) == 2  # one image per row of the 2 x 5 grid
    for i in range(10):
        np.testing.assert_array_equal(panel.templates.tile(i), W[i].reshape(8, 8))
    np.testing.assert_array_equal(panel.heatmap.image, W)


def test_levels_symmetric_cover_W_and_shared_by_colorbar_and_images(panel, datasets):
    # The first frame matters: pyqtgraph used to apply stale deferred levels over it.
    digits = datasets["digits"]
    panel.set_dataset(digits)
    frame = trained_frame(digits)
    panel.show_frame(frame)
    lo, hi = panel.levels
    assert lo == -hi
    # (rounded to two significant digits, so that the colour bar changes in steps)
    assert hi == pytest.approx(np.quantile(np.abs(frame.snapshot.W), WEIGHT_QUANTILE), rel=0.05)
    assert hi <= np.abs(frame.snapshot.W).max()  # a few extreme weights may saturate
    assert panel.colorbar.levels() == pytest.approx((lo, hi))
    for image in [*panel.templates.row_images, panel.heatmap]:
        assert tuple(image.getLevels()) == pytest.approx((lo, hi))


def test_levels_jump_up_at_once_and_ease_down_smoothly(panel, datasets):
    digits = datasets["digits"]
    panel.set_dataset(digits)
    frame = trained_frame(digits)
    W = frame.snapshot.W
    small = W / np.quantile(np.abs(W), WEIGHT_QUANTILE) * 0.5  # the levels' target is 0.5
    large = small * 8.0  # target 4
    panel.show_frame(with_weights(frame, small))
    panel.show_frame(with_weights(frame, large))
    assert panel.levels == pytest.approx((-4.0, 4.0))  # grew at once
    panel.show_frame(with_weights(frame, small))
    lo, hi = panel.levels
    assert 0.5 < hi < 4.0  # eased down, but not all the way in one frame
    assert lo == -hi
    assert panel.colorbar.levels() == pytest.approx((lo, hi))
    previous = hi
    for _ in range(100):
        panel.show_frame(with_weights(frame, small))
        assert panel.levels[1] <= previous  # monotone, no flicker
        previous = panel.levels[1]
    assert previous == pytest.approx(0.5, rel=1e-3)


def test_titles_and_ticks_name_classes(panel, datasets):
    digits = datasets["digits"]
    panel.set_dataset(digits)
    frame = trained_frame(digits)
    panel.show_frame(frame)
    for i, name in enumerate(digits.class_names):
        assert panel.templates.names[i].toPlainText() == name
        assert panel.templates.biases[i].toPlainText() == f"b={frame.snapshot.b[i]:+.2f}"
    levels = panel.heatmap_plot.getAxis("left")._tickLevels
    tick_names = sorted(name for level in levels for _, name in level)
    assert tick_names == sorted(digits.class_names)
    assert "pixel index" in panel.heatmap_plot.getAxis("bottom").labelText
    assert panel.colorbar.getAxis("left").labelText == "weight value"


def test_template_grid_shapes():
    assert template_grid(10) == (2, 5)
    assert template_grid(4) == (1, 4)
    rows, cols = template_grid(26)
    assert rows * cols >= 26 and cols > rows


def test_switching_datasets_rebuilds_items(panel, datasets):
    mnist = load_dataset("mnist")
    for dataset, n_templates in [
        (mnist, 10), (datasets["digits"], 10), (datasets["blobs"], 0), (mnist, 10),
    ]:  # fmt: skip
        panel.set_dataset(dataset)
        frame = trained_frame(dataset, steps=5)
        panel.show_frame(frame)
        assert len(panel.templates.names if panel.templates else []) == n_templates
        assert panel.heatmap.image.shape == (dataset.n_classes, dataset.n_features)
        images = [i for i in panel.view.scene().items() if isinstance(i, pg.ImageItem)]
        is_blobs = dataset.image_shape is None
        # templates + heatmap, or regions + heatmap: nothing left over from the last dataset
        assert len(images) == (2 if n_templates else 0) + 1 + is_blobs  # 2 rows of templates
        assert (panel.region_image is not None) == is_blobs
        assert len(panel.scatter_items) == (dataset.n_classes if is_blobs else 0)
        if not is_blobs:
            shape = dataset.image_shape
            np.testing.assert_array_equal(
                panel.templates.tile(3), frame.snapshot.W[3].reshape(shape)
            )


def test_blobs_regions_match_numpy_argmax(panel, datasets):
    blobs = datasets["blobs"]
    panel.set_dataset(blobs)
    frame = trained_frame(blobs, steps=200)
    panel.show_frame(frame)
    W, b = frame.snapshot.W, frame.snapshot.b
    assert len(np.unique(panel.region_classes)) == blobs.n_classes  # every class has a region
    n = REGION_GRID
    for r, c in [(0, 0), (n - 1, n - 1), (0, n - 1), (n - 1, 0), (n // 2, n // 3), (17, 151)]:
        x = np.array([(c + 0.5) / n, (r + 0.5) / n])  # column is feature 1, row is feature 2
        z = W @ x + b
        a = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        expected = int(np.argmax(a))
        assert panel.region_classes[r, c] == expected
        assert tuple(panel.region_image.image[r, c, :3]) == class_color(expected)
    np.testing.assert_allclose(region_centres(4)[1, 2], [2.5 / 4, 1.5 / 4])
    np.testing.assert_array_equal(decision_regions(W, b), panel.region_classes)


def test_blobs_points_drawn_once_by_class(panel, datasets):
    blobs = datasets["blobs"]
    panel.set_dataset(blobs)
    for i, scatter in enumerate(panel.scatter_items):
        x, y = scatter.getData()
        np.testing.assert_array_equal(x, blobs.X_train[blobs.y_train == i, 0])
        np.testing.assert_array_equal(y, blobs.X_train[blobs.y_train == i, 1])
    labels = [label.text for _, label in panel.legend.items]
    assert labels == [f"class {name}" for name in blobs.class_names]
    assert panel.region_plot.getAxis("bottom").labelText == "feature 1"
    assert panel.region_plot.getAxis("left").labelText == "feature 2"


def test_show_frame_creates_no_items(panel, datasets):
    for name in ("digits", "blobs"):
        dataset = datasets[name]
        panel.set_dataset(dataset)
        run = TrainingRun(dataset, random_state=1)
        panel.show_frame(Frame(run.snapshot(), dataset))
        before = scene_item_ids(panel)
        for _ in range(5):
            run.step(10)
            panel.show_frame(Frame(run.snapshot(), dataset))
        assert scene_item_ids(panel) == before


def test_generic_dataset_falls_back_to_heatmap(panel):
    rng = np.random.default_rng(0)
    X = rng.random((40, 5))
    y = np.arange(40) % 3
    dataset = Dataset("five", X[:30], y[:30], X[30:], y[30:], None, ("x", "y", "z"), "test")
    panel.set_dataset(dataset)
    frame = trained_frame(dataset, steps=3)
    panel.show_frame(frame)
    assert panel.templates is None and panel.region_image is None
    np.testing.assert_array_equal(panel.heatmap.image, frame.snapshot.W)
    bottom = panel.heatmap_plot.getAxis("bottom")._tickLevels[0]
    assert [name for _, name in bottom] == ["1", "2", "3", "4", "5"]


def test_stale_snapshot_of_other_shape_is_ignored(panel, datasets):
    panel.set_dataset(datasets["blobs"])
    panel.show_frame(trained_frame(datasets["digits"], steps=1))
    np.testing.assert_array_equal(panel.heatmap.image, np.zeros((4, 2)))  # still the blank
    assert panel.levels == (-1.0, 1.0)


def test_hover_reads_out_weight_and_region(panel, datasets, qtbot):
    digits = datasets["digits"]
    panel.set_dataset(digits)
    panel.show()
    qtbot.waitExposed(panel)
    frame = trained_frame(digits)
    panel.show_frame(frame)
    W = frame.snapshot.W
    QApplication.processEvents()  # let the layout settle before mapping positions
    x, y = panel.templates.tile_origin(7)
    pos = panel.templates.plot.vb.mapViewToScene(QPointF(x + 2.5, y + 3.5))  # col 2, row 3
    assert panel.describe(pos) == (
        f"class 7, pixel (row 3, col 2) = feature 26: W[7, 26] = {W[7, 26]:+.4f}"
    )
    pos = panel.heatmap_plot.vb.mapViewToScene(QPointF(40.5, 4.5))
    assert panel.describe(pos) == f"class 4, feature 40: W[4, 40] = {W[4, 40]:+.4f}"
    panel._on_mouse_moved(pos)
    assert "W[4, 40]" in panel.readout.text

    blobs = datasets["blobs"]
    panel.set_dataset(blobs)
    frame = trained_frame(blobs, steps=200)
    panel.show_frame(frame)
    QApplication.processEvents()  # let the new layout settle before mapping positions
    pos = panel.region_plot.vb.mapViewToScene(QPointF(0.25, 0.75))
    z = frame.snapshot.W @ [0.25, 0.75] + frame.snapshot.b
    text = panel.describe(pos)
    assert text.startswith("feature 1 = 0.25, feature 2 = 0.75: predicted class")
    assert f"class {blobs.class_names[int(np.argmax(z))]}" in text
    pos = panel.heatmap_plot.vb.mapViewToScene(QPointF(1.5, 2.5))  # named "2" on its axis
    W = frame.snapshot.W
    assert panel.describe(pos) == f"class C, feature 2: W[2, 1] = {W[2, 1]:+.4f}"


def test_presentation_mode_enlarges_fonts(panel, datasets):
    panel.set_presentation(True)  # before any dataset: applied when items are built
    panel.set_dataset(datasets["digits"])
    panel.show_frame(trained_frame(datasets["digits"]))
    assert panel.templates.names[0].textItem.font().pointSize() == 20
    assert panel.colorbar.axis.style["tickFont"].pointSize() == 16
    panel.set_presentation(False)
    assert panel.templates.names[0].textItem.font().pointSize() == 11
    assert panel.heatmap_plot.getAxis("left").style["tickFont"].pointSize() == 9


def tile_scene_rect(panel, i):
    x, y = panel.templates.tile_origin(i)
    h, w = panel.dataset.image_shape
    return panel.templates.plot.vb.mapViewToScene(QRectF(x, y, w, h)).boundingRect()


def assert_titles_fit(panel):
    """Each title sits above its own tile, within its width, inside the view, uncut."""
    panel.grab()  # text items place themselves when painted
    view = panel.templates.plot.vb.sceneBoundingRect()
    for i in range(panel.dataset.n_classes):
        tile = tile_scene_rect(panel, i)
        texts = [panel.templates.names[i]]
        if panel.templates.biases[i].isVisible():
            texts.append(panel.templates.biases[i])
        boxes = [t.drawn_rect() for t in texts]
        for box in boxes:
            assert tile.left() - 1 <= box.left() and box.right() <= tile.right() + 1
            assert view.top() - 1.5 <= box.top() and box.bottom() <= tile.top() + 1
        if len(boxes) == 2:
            assert not boxes[0].intersects(boxes[1])


@pytest.mark.parametrize("presentation", [False, True])
@pytest.mark.parametrize("size", [(1280, 720), (1600, 1000)])
def test_template_titles_fit_in_the_main_window(qtbot, size, presentation):
    with laid_out_window(qtbot, size, presentation, front="WeightsPanel") as window:
        panel = window.docks["WeightsPanel"].widget()
        panel.show_frame(trained_frame(panel.dataset))
        QApplication.processEvents()
        assert_titles_fit(panel)
        if size == (1600, 1000) and not presentation:
            shown = [b.isVisible() for b in panel.templates.biases]
            assert all(shown), (panel.size(), panel.compact, shown)  # room for the bias


@pytest.mark.parametrize("width", [250, 400, 700, 1200])
def test_template_titles_fit_at_any_width(panel, datasets, width):
    panel.set_dataset(datasets["digits"])
    panel.resize(width, 500)
    panel.show()
    panel.show_frame(trained_frame(datasets["digits"]))
    QApplication.processEvents()
    assert_titles_fit(panel)


def test_colour_bar_changes_in_steps_not_every_frame(panel, datasets):
    digits = datasets["digits"]
    panel.set_dataset(digits)
    run = TrainingRun(digits, random_state=0)
    run.step(300)  # past the first steps, in which |W| grows fast
    seen = []
    for _ in range(40):
        run.step(2)
        panel.show_frame(Frame(run.snapshot(), digits))
        seen.append(panel.colorbar.levels())
    assert len(set(seen)) < 20


def test_a_short_panel_gives_the_templates_the_whole_height(panel, datasets):
    """Issue 14: at 1280x720 the strip squeezed the ten templates to a few pixels."""
    panel.set_dataset(datasets["digits"])
    panel.show()
    panel.show_frame(trained_frame(datasets["digits"]))
    QApplication.processEvents()
    tall_tile = tile_scene_rect(panel, 0).height()
    assert not panel.compact and panel.heatmap_plot.isVisible()
    panel.resize(700, 300)
    QApplication.processEvents()
    assert panel.compact and not panel.heatmap_plot.isVisible()
    assert tile_scene_rect(panel, 0).height() >= 0.6 * tall_tile  # half the room, not a sliver
    panel.resize(700, 600)
    QApplication.processEvents()
    assert not panel.compact and panel.heatmap_plot.isVisible()


def test_the_templates_heading_takes_the_wording_that_fits(panel, qtbot, datasets):
    """At 1024x768 (a 402 px panel) the heading was cut at both ends (issue 14)."""
    panel.set_dataset(datasets["digits"])
    panel.show()
    panel.show_frame(trained_frame(datasets["digits"]))
    qtbot.waitUntil(lambda: panel.header.text.startswith("Templates: each row of W"))
    panel.resize(330, 600)
    qtbot.waitUntil(lambda: panel.header.text.startswith("Rows of W as 8 × 8"))
    needed = panel.header.item.boundingRect().width()
    assert needed <= panel.header.boundingRect().width() + 1
    panel.resize(700, 600)
    qtbot.waitUntil(lambda: panel.header.text.startswith("Templates: each row of W"))
