"""Export: the panels' PNG (1x, 2x) and SVG files opened and checked, the context menus, File ->
Export, Ctrl+C and the clipboard, and a file that cannot be written."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QCursor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QMenu

from gui import export_actions
from gui.export_files import FORMATS, PNG, PNG_2X, SVG, export_panel, save_everything, save_picture
from model.export_csv import CODES_CSV_FILES, CSV_FILES
from tests.gui.clients import make_client

SVG_NS = "{http://www.w3.org/2000/svg}"


def pixels(image: QImage) -> np.ndarray:
    """Height x width x 4 bytes (B, G, R, A) of `image` as RGB32."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8)
    rows = buffer.reshape(image.height(), image.bytesPerLine())[:, : 4 * image.width()]
    return rows.reshape(image.height(), image.width(), 4).copy()


def assert_drawn(image: QImage) -> None:
    """Not blank: many colours, and dark pixels (text, lines) on a light background."""
    rgb = pixels(image)[:, :, :3].astype(int)
    colors = (rgb[:, :, 0] << 16) | (rgb[:, :, 1] << 8) | rgb[:, :, 2]
    assert len(np.unique(colors)) > 20
    brightness = rgb.mean(axis=2)
    assert np.median(brightness) > 180  # a light background, not transparent black
    assert (brightness < 100).mean() > 0.002  # something drawn in ink


@pytest.fixture(scope="module")
def window(qapp):
    """A trained window at 1600x1000 (the desk layout), on an in-process client."""
    from gui.main_window import MainWindow
    from gui.plotting import configure_pyqtgraph

    configure_pyqtgraph()
    client = make_client("digits")
    window = MainWindow(client, None)
    window.resize(1600, 1000)
    window.show()
    window._arrange_default_layout()
    client._transport.server.handle(("train", 60))
    client.poll()
    window.mark_dirty()
    window.redraw()
    QApplication.processEvents()
    yield window
    window.close()
    client.shutdown(2000)


@pytest.mark.parametrize("name", ["WeightsPanel", "LossPanel", "BinaryOutputPanel"])
def test_png_at_1x_and_2x_is_the_panel_opaque_and_drawn(window, tmp_path, name):
    dock = window.docks[name]
    panel = dock.widget()
    images = {}
    for fmt in (PNG, PNG_2X):
        path = save_picture(dock, tmp_path / fmt.file_name("panel"), fmt)
        images[fmt.scale] = QImage(str(path))
        assert images[fmt.scale].size() == panel.size() * fmt.scale
        assert not images[fmt.scale].hasAlphaChannel()
        assert_drawn(images[fmt.scale])
    # The 2x picture is the same picture, finer: halved, it is close to the 1x one.
    halved = images[2].scaled(panel.size(), Qt.AspectRatioMode.IgnoreAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)  # fmt: skip
    difference = np.abs(pixels(halved).astype(int) - pixels(images[1]).astype(int))
    assert difference[:, :, :3].mean() < 12
    # ... and said to be twice as dense, so a slide program places it at the same size.
    assert images[2].dotsPerMeterX() == pytest.approx(2 * images[1].dotsPerMeterX(), abs=2)


def test_the_1x_png_is_what_the_screen_shows(window, tmp_path):
    dock = window.docks["JacobianPanel"]
    saved = QImage(str(save_picture(dock, tmp_path / "j.png", PNG)))
    shown = dock.widget().grab().toImage()
    difference = np.abs(pixels(saved).astype(int) - pixels(shown).astype(int)).max(axis=2)
    assert (difference > 40).mean() < 0.01


def svg_tree(path) -> ET.Element:
    return ET.parse(path).getroot()


def test_every_panel_exports_an_svg_of_lines_and_text(window, tmp_path):
    for name, dock in window.docks.items():
        path = export_panel(window, dock, tmp_path / f"{name}.svg", SVG)  # tabs come forward
        root = svg_tree(path)  # parses as XML
        assert root.tag == f"{SVG_NS}svg"
        tags = [element.tag.removeprefix(SVG_NS) for element in root.iter()]
        assert tags.count("text") >= 3, name
        assert tags.count("path") + tags.count("polyline") + tags.count("rect") >= 3, name
        # The plots are painted afresh, not copied from cached pixmaps: no image is as large
        # as a plot (the only images are data: weights, the sample, colour bars).
        for image in root.iter(f"{SVG_NS}image"):
            assert float(image.get("width")) * float(image.get("height")) < 300 * 300, name
        # Fixed-width lines are never in a scaled group: programs without vector-effect would
        # scale them (a 3 px outline became a 68 px bar).
        for group in root.iter(f"{SVG_NS}g"):
            if any(shape.get("vector-effect") for shape in group):
                a, b, c, d = (float(v) for v in group.get("transform")[7:-1].split(",")[:4])
                assert (a, b, c, d) == (1, 0, 0, 1), (name, group.get("transform"))
        families = {e.get("font-family") for e in root.iter() if e.get("font-family")}
        assert families and not any(f == "Sans Serif" for f in families), families
        assert root.get("viewBox") == f"0 0 {dock.widget().width()} {dock.widget().height()}"


def test_the_loss_svg_holds_its_words_and_draws_like_the_png(window, tmp_path):
    dock = window.docks["LossPanel"]
    root = svg_tree(save_picture(dock, tmp_path / "loss.svg", SVG))
    words = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    for expected in ("minibatch step", "accuracy", "test set", "smoothed"):
        assert expected in words
    renderer = QSvgRenderer(str(tmp_path / "loss.svg"))
    assert renderer.isValid()
    drawn = QImage(renderer.viewBox().size(), QImage.Format.Format_RGB32)
    drawn.fill(QColor("magenta"))  # shows wherever the SVG leaves its background open
    painter = QPainter(drawn)
    renderer.render(painter)
    painter.end()
    rgb = pixels(drawn)[:, :, :3].astype(int)
    magenta = (rgb[:, :, 0] == 255) & (rgb[:, :, 1] == 0) & (rgb[:, :, 2] == 255)
    assert not magenta.any()
    assert_drawn(drawn)
    png = pixels(QImage(str(save_picture(dock, tmp_path / "loss.png", PNG))))[:, :, :3]
    assert np.abs(rgb - png.astype(int)).mean() < 12  # text may fall a pixel apart


def test_export_puts_the_plot_caches_back(window, tmp_path):
    dock = window.docks["LossPanel"]
    items = [i for v in dock.widget().findChildren(QGraphicsView) for i in v.items()]
    before = [item.cacheMode() for item in items]
    assert QGraphicsItem.CacheMode.DeviceCoordinateCache in before
    save_picture(dock, tmp_path / "loss.svg", SVG)
    assert [item.cacheMode() for item in items] == before
    assert all(getattr(item, "_exportOpts", False) is False for item in items)


def test_context_menu_offers_png_2x_svg_copy_and_csv(window, tmp_path, monkeypatch):
    dock = window.docks["WeightsPanel"]
    menu = window.exports.context_menu(dock)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "Save Weight matrix W as PNG image, the screen's size...",
        "Save Weight matrix W as PNG image, twice the size (slides)...",
        "Save Weight matrix W as SVG drawing (scalable)...",
        "Copy as image",
        "Data as CSV...",
    ]
    asked = []

    def choose(parent, caption, suggested, filters):
        asked.append((suggested, filters))
        return str(tmp_path / "chosen"), filters[0]  # typed without a suffix

    monkeypatch.setattr(export_actions, "ask_save_path", choose)
    menu.actions()[1].trigger()
    assert asked[0][0].endswith("weights@2x.png") and len(asked[0][1]) == 1
    saved = QImage(str(tmp_path / "chosen.png"))
    assert saved.size() == dock.widget().size() * 2
    assert "Saved" in window.statusBar().currentMessage()
    menu.close()


def popup_menu() -> QMenu:
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def test_a_right_click_on_a_plot_opens_the_panels_menu(window, qtbot):
    view = window.docks["LossPanel"].widget().graphics
    center = view.viewport().rect().center()
    # Qt asks for a context menu on the right press: on a plot that is left alone (the menu
    # would stop a right drag from zooming) ...
    press = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, center, view.mapToGlobal(center))
    QApplication.sendEvent(view.viewport(), press)
    assert QApplication.activePopupWidget() is None
    # ... and the right click opens it.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=center)
    menu = popup_menu()
    assert menu.actions()[0].text().startswith("Save Loss and accuracy as PNG")
    menu.close()


def test_the_menu_key_on_a_panel_opens_its_menu(window):
    label = window.docks["JacobianPanel"].widget().heading.label
    at = label.rect().center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, at, label.mapToGlobal(at))
    QApplication.sendEvent(label, event)
    menu = popup_menu()
    assert menu.actions()[0].text().startswith("Save Softmax Jacobian as PNG")
    menu.close()


def test_file_export_lists_every_panel_and_the_data(window):
    texts = [a.text() for a in window.exports.menu.actions() if not a.isSeparator()]
    titles = [f"{dock.row.title}..." for dock in window.docks.values()]
    assert texts == [*titles, "Data as CSV...", "Everything to a folder..."]
    file_menu = window.menuBar().actions()[0].menu()
    assert window.exports.menu.menuAction() in file_menu.actions()


def test_file_export_of_a_panel_behind_a_tab_brings_it_forward(window, tmp_path, monkeypatch):
    dock = window.docks["ConfusionPanel"]  # a tab behind the loss panel
    window.docks["LossPanel"].raise_()
    QApplication.processEvents()
    assert dock.visibleRegion().isEmpty()
    monkeypatch.setattr(
        export_actions, "ask_save_path", lambda *a: (str(tmp_path / "c.svg"), a[3][0])
    )
    path = window.exports.save_panel(dock)
    assert path == tmp_path / "c.svg"  # the typed suffix chose SVG over the first filter
    words = " ".join(t.text or "" for t in svg_tree(path).iter(f"{SVG_NS}text"))
    assert "predicted class" in words
    assert not dock.visibleRegion().isEmpty()


def test_data_as_csv_writes_the_tables(window, tmp_path, monkeypatch):
    monkeypatch.setattr(export_actions, "ask_directory", lambda *a: str(tmp_path))
    paths = window.exports.save_csv()
    # The codes comparison's tables too once its panel has been seen (an earlier test).
    codes = CODES_CSV_FILES if window.controller.latest_snapshot.codes is not None else ()
    assert [p.name for p in paths] == list(CSV_FILES) + list(codes)
    steps = (tmp_path / "minibatch_loss.csv").read_text().splitlines()
    assert len(steps) == 1 + window.controller.latest_snapshot.step


def test_a_cancelled_dialog_writes_nothing(window, monkeypatch):
    monkeypatch.setattr(export_actions, "ask_save_path", lambda *a: ("", ""))
    monkeypatch.setattr(export_actions, "ask_directory", lambda *a: "")
    assert window.exports.save_panel(window.docks["WeightsPanel"]) is None
    assert window.exports.save_csv() is None
    assert window.exports.save_everything() is None


def test_a_file_that_cannot_be_written_is_named_in_the_banner(window, tmp_path, monkeypatch):
    target = tmp_path / "no such folder" / "weights.png"
    monkeypatch.setattr(export_actions, "ask_save_path", lambda *a: (str(target), a[3][0]))
    assert window.exports.save_panel(window.docks["WeightsPanel"], PNG) is None
    banner = window.banner_bar.banner
    assert banner.has_message and banner.kind == "error"
    assert "Export failed" in banner.title_label.text()
    assert str(target) in banner.text_label.text() and "no such folder" in banner.text_label.text()
    banner.dismiss()


def test_ctrl_c_copies_the_panel_under_the_mouse(window):
    dock = window.docks["JacobianPanel"]
    panel = dock.widget()
    QCursor.setPos(panel.mapToGlobal(panel.rect().center()))
    QApplication.clipboard().clear()
    window.exports.copy_action.trigger()
    image = QApplication.clipboard().image()
    assert image.size() == panel.size() * panel.devicePixelRatio()
    assert_drawn(image)
    assert "Copied Softmax Jacobian" in window.statusBar().currentMessage()
    # The message shows in the training status's place (the timeline bar fills the rest of
    # the row), and the status comes back after it.
    label = window.status.label
    assert label.text().startswith("Copied Softmax Jacobian") and not label.isHidden()
    window.statusBar().clearMessage()
    assert not label.text().startswith("Copied")


def test_ctrl_c_is_the_windows_shortcut_and_away_from_panels_says_what_to_do(window):
    assert window.exports.copy_action.shortcut().toString() == "Ctrl+C"
    assert window.exports.copy_action in window.actions()
    QCursor.setPos(window.mapToGlobal(QPoint(-50, -50)))  # outside the window
    window.exports.copy_under_mouse()
    assert "Point at a panel" in window.statusBar().currentMessage()


def test_everything_exported_while_training_shows_one_step(window, tmp_path):
    client = window.controller
    client.set_speed(400)  # steps a second: training goes on while the files are written
    client.play()
    try:
        paths = save_everything(window, tmp_path / "all")
    finally:
        client.pause()
    # The codes comparison's tables when the frame held had one (its panel seen before).
    tables = {path.name for path in paths if path.suffix == ".csv"}
    assert tables in (set(CSV_FILES), set(CSV_FILES) | set(CODES_CSV_FILES))
    assert len(paths) == 3 * len(window.docks) + len(tables)
    assert window.redraw_timer.isActive()  # held during the export only
    rows = (tmp_path / "all" / "minibatch_loss.csv").read_text().splitlines()[1:]
    step = int(rows[-1].split(",")[0])
    words = " ".join(t.text or "" for t in svg_tree(tmp_path / "all" / "loss.svg").iter())
    assert f"step {step:,} " in words
    assert client.latest_snapshot.step >= step


def test_formats_name_their_files():
    assert [f.file_name("binary-net") for f in FORMATS] == [
        "binary-net.png",
        "binary-net@2x.png",
        "binary-net.svg",
    ]
