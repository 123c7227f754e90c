"""Training controls: dataset, learning rate, batch size, seed, L2, speed, and the run buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
)

from gui.dataset_dialog import ask_dataset_path, load_or_explain
from gui.frame import Frame
from gui.panel import Panel
from gui.training_client import TrainingClient
from gui.widgets import LogSlider
from model import Dataset
from model.settings import DEFAULT_SPEED_INDEX, SPEEDS

BUILTIN = ("mnist", "digits", "blobs")
OPEN_FILE = "Open IDX/npz..."


def speed_label(speed: float | None) -> str:
    return "as fast as possible" if speed is None else f"{speed:g} steps/s"


class TrainingControlsPanel(Panel):
    """The settings of the training run, written through the TrainingController."""

    title = "Training controls"

    def __init__(self, controller: TrainingClient, parent=None):
        super().__init__(parent)
        self.controller = controller
        run = controller.settings

        self.dataset_box = QComboBox()
        self.dataset_box.addItems([*BUILTIN, OPEN_FILE])
        self.dataset_box.setToolTip(
            "Choose the data to learn: embedded MNIST, the UCI 8x8 digits, a 2-D toy problem, "
            "or your own MNIST-style IDX/.npz file (changing it resets training)."
        )
        self.learning_rate = LogSlider(1e-4, 10.0, run.learning_rate)
        self.learning_rate.setToolTip(
            "Learning rate eta of W <- W - eta dW (log scale); takes effect at the next step."
        )
        self.batch_size = QSpinBox()
        self.batch_size.setToolTip(
            "Samples per minibatch B (the maximum is the full training set: full-batch "
            "gradient descent); takes effect at the next step."
        )
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(controller.seed)
        self.seed.setToolTip(
            "Seed of the initial weights and the epoch shuffling (changing it resets)."
        )
        self.alpha = QDoubleSpinBox()
        self.alpha.setDecimals(5)
        self.alpha.setRange(0.0, 1.0)
        self.alpha.setSingleStep(1e-4)
        self.alpha.setValue(run.alpha)
        self.alpha.setToolTip(
            "Optional L2 weight decay alpha (adds alpha/2 ||W||^2 to the loss); 0 is off."
        )
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(DEFAULT_SPEED_INDEX)
        self.speed.setToolTip(
            "How fast Play trains: from a few steps a second, to watch single steps, "
            "to as fast as possible."
        )
        self.speed_text = QLabel(speed_label(SPEEDS[DEFAULT_SPEED_INDEX]))

        self.play_button = QPushButton("Play")
        self.play_button.setToolTip("Start or pause training (Space).")
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip(
            "Run exactly one minibatch gradient-descent step (Right arrow)."
        )
        self.epoch_button = QPushButton("Step epoch")
        self.epoch_button.setToolTip("Train to the end of the current epoch.")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Re-initialise the weights from the seed and start again (R).")
        self.restart_button = QPushButton("Restart training")
        self.restart_button.setToolTip(
            "The training process ended: start a new one at the same settings, from step 0."
        )
        self.restart_button.hide()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setToolTip("Why training was last reset or paused.")

        form = QFormLayout()
        form.addRow("Dataset", self.dataset_box)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Seed", self.seed)
        form.addRow("L2 (alpha)", self.alpha)
        form.addRow("Speed", self.speed)
        form.addRow("", self.speed_text)
        buttons = QGridLayout()
        buttons.addWidget(self.play_button, 0, 0, 1, 2)
        buttons.addWidget(self.step_button, 1, 0)
        buttons.addWidget(self.epoch_button, 1, 1)
        buttons.addWidget(self.reset_button, 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.restart_button)
        layout.addStretch(1)

        self._dataset_index = 0
        self.set_dataset(controller.dataset)
        self.learning_rate.value_changed.connect(controller.set_learning_rate)
        self.batch_size.valueChanged.connect(controller.set_batch_size)
        self.alpha.valueChanged.connect(controller.set_alpha)
        self.seed.editingFinished.connect(self._seed_edited)
        self.speed.valueChanged.connect(self._speed_moved)
        self.dataset_box.activated.connect(self._dataset_chosen)
        self.play_button.clicked.connect(controller.toggle)
        self.step_button.clicked.connect(lambda: controller.step(1))
        self.epoch_button.clicked.connect(controller.step_epoch)
        self.reset_button.clicked.connect(lambda: controller.reset("Reset by the user"))
        controller.running_changed.connect(self._running_changed)
        controller.run_replaced.connect(self._run_replaced)
        controller.diverged.connect(self.message.setText)
        controller.failed.connect(self._failed)
        controller.rejected.connect(self._rejected)
        self.restart_button.clicked.connect(self._restart)
        controller.set_speed(SPEEDS[self.speed.value()])

    # ------------------------------------------------------------------ panel
    def set_dataset(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self.batch_size.blockSignals(True)
        self.batch_size.setRange(1, dataset.n_train)
        self.batch_size.setValue(min(self.controller.settings.batch_size, dataset.n_train))
        self.batch_size.blockSignals(False)
        self.batch_size.setSuffix(f"  of {dataset.n_train:,}")
        if dataset.name in BUILTIN:
            self._dataset_index = BUILTIN.index(dataset.name)
        else:
            if self.dataset_box.count() == len(BUILTIN) + 1:
                self.dataset_box.insertItem(len(BUILTIN), dataset.name)
            else:
                self.dataset_box.setItemText(len(BUILTIN), dataset.name)
            self._dataset_index = len(BUILTIN)
        self.dataset_box.setCurrentIndex(self._dataset_index)

    def show_frame(self, frame: Frame) -> None:
        diverged = frame.snapshot.diverged
        self.play_button.setEnabled(not diverged)
        self.step_button.setEnabled(not diverged)
        self.epoch_button.setEnabled(not diverged)

    # ------------------------------------------------------------------ settings
    def set_speed_index(self, index: int) -> None:
        self.speed.setValue(index)

    def open_file(self) -> None:
        """Ask for a dataset file and switch to it if it loads (used by File > Open)."""
        path = ask_dataset_path(self)
        if path:
            self.load(path)
        else:
            self.dataset_box.setCurrentIndex(self._dataset_index)

    def load(self, source) -> bool:
        """Load a dataset by name or path; on failure a dialog explains and nothing changes."""
        dataset = load_or_explain(source, self)
        if dataset is None:
            self.dataset_box.setCurrentIndex(self._dataset_index)
            return False
        self.controller.set_dataset(dataset, source)
        return True

    # ------------------------------------------------------------------ slots
    def _dataset_chosen(self, index: int) -> None:
        text = self.dataset_box.itemText(index)
        if text == OPEN_FILE:
            self.open_file()
        elif text in BUILTIN and index != self._dataset_index:
            self.load(text)

    def _seed_edited(self) -> None:
        if self.seed.value() != self.controller.seed:
            self.controller.set_seed(self.seed.value())

    def _speed_moved(self, index: int) -> None:
        speed = SPEEDS[index]
        self.speed_text.setText(speed_label(speed))
        self.controller.set_speed(speed)

    def _run_replaced(self, reason: str) -> None:
        self.message.setText(reason)
        if self.controller.dataset is not self._dataset:
            self.set_dataset(self.controller.dataset)

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self.restart_button.show()

    def _restart(self) -> None:
        self.restart_button.hide()
        self.controller.restart()

    def _rejected(self, message: str) -> None:
        """A refused setting: say why, and show what the run really uses."""
        self.message.setText(message)
        run = self.controller.settings
        for widget, value in (
            (self.learning_rate, run.learning_rate),
            (self.batch_size, run.batch_size),
            (self.alpha, run.alpha),
            (self.seed, run.seed),
        ):
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)

    def _running_changed(self, running: bool) -> None:
        self.play_button.setText("Pause" if running else "Play")
        if running:
            self.message.setText("")
