"""A diverged model on the binary, Jacobian and sample panels (issue 9, item 5): numbers stay
compact, no overflow warning is raised (warnings from gui/ are errors here), and the panels
agree with each other about the selected sample."""

import dataclasses

import numpy as np
import pytest
from PySide6.QtGui import QTextDocumentFragment

from gui.frame import Frame
from gui.panels.binary_output_panel import BinaryOutputPanel
from gui.panels.jacobian_panel import JacobianPanel
from gui.panels.sample_panel import SamplePanel
from gui.plotting import configure_pyqtgraph
from gui.selection import SampleSelection
from model import TrainingRun, load_dataset


@pytest.fixture(scope="module")
def digits():
    dataset = load_dataset("digits")
    run = TrainingRun(dataset, random_state=0)
    run.step(20)
    return dataset, run.snapshot()


@pytest.fixture
def panels(qtbot, digits):
    configure_pyqtgraph()
    dataset, _ = digits
    made = [JacobianPanel(), SamplePanel(SampleSelection(dataset.n_test)), BinaryOutputPanel()]
    for panel in made:
        qtbot.addWidget(panel)
        panel.set_dataset(dataset)
        panel.resize(700, 500)
        panel.show()
    return made


def plain(html: str) -> str:
    return QTextDocumentFragment.fromHtml(html).toPlainText()


@pytest.mark.parametrize("scale", [1e150, np.nan], ids=["huge", "nan"])
def test_panels_stay_compact_and_consistent(panels, digits, scale):
    dataset, snapshot = digits
    with np.errstate(invalid="ignore"):  # inf * 0 in the test's own weights
        W = snapshot.W * scale
    diverged = dataclasses.replace(snapshot, W=W, b=snapshot.b * 0, test_summary=None)
    frame = Frame(diverged, dataset, sample_index=3)
    jacobian, sample, binary = panels
    for panel in panels:
        panel.show_frame(frame)
        panel.grab()
    texts = [
        plain(jacobian.heading.text()), jacobian.note_label.text(), jacobian.hover_label.text(),
        sample.verdict_label.text(), plain(sample.details.top_label.text()),
        plain(sample.details.true_label.text()), plain(binary.stats_label.text()),
        binary.verdict_label.text(), binary.network_view.code_text.toPlainText(),
    ]  # fmt: skip
    for text in texts:
        longest_number = max((len(word) for word in text.split() if word[:1].isdigit()), default=0)
        assert longest_number <= 12, text
    # One story about the sample: the binary verdict names the class the inspector predicts
    # whenever exactly one unit fires.
    predicted = frame.sample_prediction
    if binary.verdict_kind in ("correct", "wrong") and np.isfinite(frame.sample_proba).all():
        assert f"decodes to {predicted}" in binary.verdict_label.text()
        assert f"predicted {predicted}" in sample.verdict_label.text()
