"""Training controls: dataset, learning rate, batch size, seed, L2, speed, and the run buttons."""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.dataset_choice import DatasetChoice
from gui.dataset_dialog import ask_dataset_path, load_or_explain
from gui.frame import Frame
from gui.message_label import MessageLabel
from gui.panel import Panel
from gui.speed import Speed
from gui.training_client import TrainingClient
from gui.widgets import LogSlider
from model import Dataset
from model.datasets.downloads import named_datasets
from model.settings import SETTINGS, SPEEDS, clamped

OPEN_FILE = "Open IDX/npz..."


def name_control(widget, label: str) -> None:
    """The accessible name screen readers (and UI tests) find the control by: its label."""
    widget.setAccessibleName(label)
    for part in widget.findChildren(QWidget):  # a composite's slider and box say it too
        part.setAccessibleName(label)


def speed_label(speed: float | None) -> str:
    return "full speed" if speed is None else f"{speed:g} steps/s"


def speed_text(speed: float | None, measured: float, playing: bool) -> str:
    """The speed's label, and the real rate where it is not what the label says (a machine
    too slow for the pace) or where the label gives none (full speed)."""
    label = speed_label(speed)
    if not playing or measured <= 0:
        return label
    if speed is None:
        return f"full: {measured:,.0f}/s"
    if abs(measured - speed) > 0.1 * speed:
        return f"{label} ({measured:,.0f})"
    return label


class TrainingControlsPanel(Panel):
    """The settings of the training run, written through the TrainingClient.

    The speed and the dataset in use are small models (`speed_setting`, `dataset_choice`) that
    the controls show and write; the window saves them from there.
    """

    #: A dataset that could not be loaded: the loader's message, naming the file.
    load_failed = Signal(str)


    title = "Training controls"

    def __init__(
        self,
        controller: TrainingClient,
        speed: Speed | None = None,
        dataset_choice: DatasetChoice | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.controller = controller
        self.speed_setting = speed if speed is not None else Speed(parent=self)
        self.dataset_choice = dataset_choice or DatasetChoice(controller.dataset.name, self)
        run = controller.settings

        self.dataset_box = QComboBox()
        self._names = named_datasets()  # the built-in ones and those downloaded
        self.dataset_box.addItems([*self._names, OPEN_FILE])
        self.dataset_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.dataset_box.setMinimumContentsLength(7)
        self.dataset_box.setToolTip(
            "Choose the data to learn: embedded MNIST, the UCI 8x8 digits, a 2-D toy problem, "
            "or your own MNIST-style IDX/.npz file (changing it resets training)."
        )
        # Lesson 3's classic mistake, a setting of the data: W sees the 0-255 pixels.
        self.raw_inputs = QCheckBox("raw 0-255")
        self.raw_inputs.setToolTip(
            "Train on the raw 0-255 pixel values instead of pixels scaled to 0-1 (a classic "
            "mistake: every gradient step is 255 times larger). Changing it resets training."
        )
        self.raw_inputs.setChecked(run.input_scale == "raw")
        rates = SETTINGS["learning_rate"]
        self.learning_rate = LogSlider(rates.low, rates.high, run.learning_rate)
        self.learning_rate.setToolTip(
            "Learning rate eta of W <- W - eta dW (log scale); takes effect at the next step."
        )
        self.batch_size = QSpinBox()
        self.batch_size.setToolTip(
            "Samples per minibatch B (the maximum is the full training set: full-batch "
            "gradient descent); takes effect at the next step."
        )
        self.batch_size.setRange(1, SETTINGS["batch_size"].high)  # the dataset caps it below
        self.batch_size.setValue(run.batch_size)
        self.seed = QSpinBox()
        self.seed.setRange(SETTINGS["seed"].low, SETTINGS["seed"].high)
        self.seed.setValue(controller.seed)
        self.seed.setToolTip(
            "Seed of the initial weights and the epoch shuffling (changing it resets)."
        )
        self.alpha = QDoubleSpinBox()
        self.alpha.setDecimals(5)
        self.alpha.setRange(SETTINGS["alpha"].low, SETTINGS["alpha"].high)
        self.alpha.setSingleStep(1e-4)
        self.alpha.setValue(run.alpha)
        self.alpha.setToolTip(
            "Optional L2 weight decay alpha (adds alpha/2 ||W||^2 to the loss); 0 is off."
        )
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(self.speed_setting.index)
        self.speed.setToolTip(
            "How fast Play trains: from a few steps a second, to watch single steps, "
            "to as fast as possible."
        )
        self.speed_text = QLabel(speed_label(self.speed_setting.steps_per_second))

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
        self.restart_button.setAccessibleName("Restart training")
        self.restart_button.hide()
        self.message = MessageLabel(lines=1)

        # A strip across the top of the window: the commands and the dataset, the numbers
        # of the run, and the last message, each a row.
        self.labels: dict[str, QLabel] = {}
        commands = QHBoxLayout()
        for button in (self.play_button, self.step_button, self.epoch_button, self.reset_button):
            name_control(button, button.text())
            commands.addWidget(button)
        numbers = QHBoxLayout()
        # Speed and seed are one group, L2 another: on a narrow window (a projector's 1024 px
        # at presentation fonts) they move to a third row (see _fit_rows).
        self.speed_group, self.alpha_group = QWidget(), QWidget()
        speed_row, alpha_row = QHBoxLayout(self.speed_group), QHBoxLayout(self.alpha_group)
        for group_row in (speed_row, alpha_row):
            group_row.setContentsMargins(0, 0, 0, 0)
        for row, label, field in (
            (commands, "Dataset", self.dataset_box),
            (speed_row, "Speed", self.speed),
            (speed_row, "Seed", self.seed),
            (numbers, "Learning rate", self.learning_rate),
            (numbers, "Batch size", self.batch_size),
            (alpha_row, "L2 (alpha)", self.alpha),
        ):
            self.labels[label] = QLabel(label)
            self.labels[label].setBuddy(field)
            row.addSpacing(8)
            row.addWidget(self.labels[label])
            row.addWidget(field, 1 if field in (self.speed, self.learning_rate) else 0)
            name_control(field, label)
        self._fit_speed_text()
        self.learning_rate.slider.setMinimumWidth(40)
        self.speed.setMinimumWidth(40)
        speed_row.insertWidget(speed_row.indexOf(self.speed) + 1, self.speed_text)
        # Beside the batch size, under the dataset: on the first row it pushed the speed to a
        # third row at 1280 px in presentation mode, and the window past a 720 px screen.
        numbers.insertWidget(numbers.indexOf(self.batch_size) + 1, self.raw_inputs)
        name_control(self.raw_inputs, "Raw 0-255 inputs")
        commands.addWidget(self.speed_group, 1)
        commands.addWidget(self.restart_button)
        commands.addStretch(1)
        self._commands, self._third_row = commands, QHBoxLayout()
        self._third_row.addStretch(1)
        numbers.addWidget(self.alpha_group)
        # The last message ends the second row (cut to fit; the whole of it in the tooltip).
        numbers.addSpacing(16)
        numbers.addWidget(self.message, 1)
        # A typed value is taken on Enter (or when the box loses focus), not digit by digit.
        for box in (self.learning_rate.spin, self.batch_size, self.seed, self.alpha):
            box.setKeyboardTracking(False)
        # A strip as tall as its rows: the plots get every other pixel.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(4)
        layout.addLayout(commands)
        layout.addLayout(numbers)
        layout.addLayout(self._third_row)
        #: Groups that leave their row for the third when the window is narrow; in their
        #: rows each is followed by two items (the restart button and a stretch; a spacing
        #: and the message).
        self._movable = ((self.speed_group, commands), (self.alpha_group, numbers))

        self.dataset_choice.changed.connect(self._show_dataset_choice)
        self.set_dataset(controller.dataset)
        self._agree_with_the_run(run)
        self.learning_rate.value_changed.connect(controller.set_learning_rate)
        self.learning_rate.spin.clamped.connect(self._learning_rate_clamped)
        self.batch_size.valueChanged.connect(controller.set_batch_size)
        self.alpha.valueChanged.connect(controller.set_alpha)
        self.seed.editingFinished.connect(self._seed_edited)
        self.speed.valueChanged.connect(self.speed_setting.set_index)
        self.speed_setting.changed.connect(self._speed_changed)
        self.dataset_box.activated.connect(self._dataset_chosen)
        self.raw_inputs.toggled.connect(self._raw_inputs_toggled)
        self.play_button.clicked.connect(self.toggle)
        self.step_button.clicked.connect(self.step)
        self.epoch_button.clicked.connect(self.step_epoch)
        self.reset_button.clicked.connect(self.reset)
        controller.running_changed.connect(self._running_changed)
        controller.run_replaced.connect(self._run_replaced)
        controller.diverged.connect(self.message.setText)
        controller.failed.connect(self._failed)
        controller.rejected.connect(self._rejected)
        self.restart_button.clicked.connect(self._restart)

    # ------------------------------------------------------------------ panel
    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fit_speed_text()
            self._fit_rows()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_rows()

    @property
    def rows(self) -> int:
        """2, or 3 where a group (speed and seed, L2) has moved under the others."""
        return 3 if self._third_row.count() > 1 else 2

    def _fit_rows(self) -> None:
        """Each movable group in its own row where that row still fits the width, else in a
        third row; the strip's minimum width is that of three rows."""
        margins = self.layout().contentsMargins()
        margins = margins.left() + margins.right()
        third = self._third_row.spacing() * len(self._movable)
        places = []
        for group, home in self._movable:
            width = group.minimumSizeHint().width() + home.spacing()
            base = home.minimumSize().width() - (width if home.indexOf(group) >= 0 else 0)
            places.append((group, home, base, width))
            third += width
        self.setMinimumWidth(max(max(p[2] for p in places), third) + margins)
        for k, (group, home, base, width) in enumerate(places):
            fits = base + width + margins <= self.width()
            at_home = home.indexOf(group) >= 0
            if fits and not at_home:
                self._third_row.removeWidget(group)
                home.insertWidget(home.count() - 2, group, 1)
            elif not fits and at_home:
                home.removeWidget(group)
                before = sum(self._third_row.indexOf(g) >= 0 for g, _ in self._movable[:k])
                self._third_row.insertWidget(before, group, 1)

    def _fit_speed_text(self) -> None:
        """The speed text as wide as its longest text, so a new speed never moves the row;
        number boxes as wide as the numbers a lesson uses (their default fits the largest
        allowed value: a ten-digit seed)."""
        metrics = self.speed_text.fontMetrics()
        self.speed_text.setMinimumWidth(metrics.horizontalAdvance("1000 steps/s (1,000)") + 4)
        arrows = 2 * metrics.height()
        for box, text in ((self.seed, "0000000"), (self.alpha, "0.00000")):
            box.setMinimumWidth(metrics.horizontalAdvance(text) + arrows)
            box.setMaximumWidth(metrics.horizontalAdvance(text + "00") + arrows)

    def set_dataset(self, dataset: Dataset) -> None:
        self._dataset = dataset
        batch_size = self.batch_size.value()  # what the run uses
        self.batch_size.blockSignals(True)
        self.batch_size.setRange(1, dataset.n_train)
        self.batch_size.setValue(min(batch_size, dataset.n_train))
        self.batch_size.blockSignals(False)
        if self.batch_size.value() != batch_size:  # capped: full-batch descent on this data
            self.controller.set_batch_size(self.batch_size.value())
        self.batch_size.setSuffix(f"  of {dataset.n_train:,}")
        self.dataset_choice.set_name(dataset.name)
        self._show_dataset_choice()

    def _show_dataset_choice(self, *_) -> None:
        """The box shows the dataset in use (a file's name in the row before "Open")."""
        name, n = self.dataset_choice.name, len(self._names)
        if name not in self._names:
            if self.dataset_box.count() == n + 1:
                self.dataset_box.insertItem(n, name)
            else:
                self.dataset_box.setItemText(n, name)
        self.dataset_box.setCurrentIndex(self._dataset_index())

    def _dataset_index(self) -> int:
        """The box's row of the dataset in use."""
        name = self.dataset_choice.name
        return self._names.index(name) if name in self._names else len(self._names)

    def refresh_dataset_list(self) -> None:
        """List the datasets by name again (one was downloaded); the one in use stays chosen."""
        self._names = named_datasets()
        with QSignalBlocker(self.dataset_box):
            self.dataset_box.clear()
            self.dataset_box.addItems([*self._names, OPEN_FILE])
            self._show_dataset_choice()

    def show_frame(self, frame: Frame) -> None:
        self.speed_text.setText(
            speed_text(
                self.controller.speed, frame.snapshot.steps_per_second, self.controller.playing
            )
        )
        diverged = frame.snapshot.diverged
        self.play_button.setEnabled(not diverged)
        self.step_button.setEnabled(not diverged)
        self.epoch_button.setEnabled(not diverged)

    # ------------------------------------------------------------------ commands
    def commit_edits(self) -> None:
        """Take a half-typed value (no Enter yet) before a command acts on the run.

        A box whose text is no number gets its last value back, visibly.
        """
        for box in (self.learning_rate.spin, self.batch_size, self.alpha, self.seed):
            box.interpretText()  # the value follows the text; valueChanged tells the run
        self._seed_edited()

    def toggle(self) -> None:
        self.commit_edits()
        self.controller.toggle()

    def step(self) -> None:
        self.commit_edits()
        self.controller.step(1)

    def step_epoch(self) -> None:
        self.commit_edits()
        self.controller.step_epoch()

    def reset(self) -> None:
        self.commit_edits()
        self.controller.reset("Reset by the user")

    # ------------------------------------------------------------------ settings
    def set_speed_index(self, index: int) -> None:
        self.speed_setting.set_index(index)

    def values(self) -> dict:
        """The run's settings as the controls hold them (they always agree with the run)."""
        return {
            "learning_rate": self.learning_rate.value(),
            "batch_size": self.batch_size.value(),
            "seed": self.seed.value(),
            "alpha": self.alpha.value(),
        }

    def apply_settings(self, values: dict) -> None:
        """Set learning_rate, batch_size ("full": the training set), alpha and seed as if typed
        (a lesson step): the boxes show them and tell the run; a new seed is a new run."""
        boxes = {"learning_rate": self.learning_rate, "alpha": self.alpha}
        for name, box in boxes.items():
            if name in values:
                box.setValue(values[name])
        if "batch_size" in values:
            batch = values["batch_size"]
            self.batch_size.setValue(self._dataset.n_train if batch == "full" else batch)
        if "seed" in values:
            self.seed.setValue(values["seed"])
            self._seed_edited()

    def _agree_with_the_run(self, run) -> None:
        """Where a control cannot show the run's value exactly (0.123456 in a box of five
        decimals), the run takes the control's value: what is shown is what trains."""
        c = self.controller
        if self.learning_rate.value() != run.learning_rate:
            c.set_learning_rate(self.learning_rate.value())
        if self.batch_size.value() != run.batch_size:
            c.set_batch_size(self.batch_size.value())
        if self.alpha.value() != run.alpha:
            c.set_alpha(self.alpha.value())
        if self.seed.value() != c.seed:
            c.set_seed(self.seed.value())
        c.set_speed(self.speed_setting.steps_per_second)

    def open_file(self) -> None:
        """Ask for a dataset file and switch to it if it loads (used by File > Open)."""
        with self._paused():
            path = ask_dataset_path(self)
            if path:
                self.load(path)
            else:
                self.dataset_box.setCurrentIndex(self._dataset_index())

    def load(self, source) -> bool:
        """Load a dataset by name or path; on failure nothing changes, training goes on, and
        `load_failed` carries the loader's message (the window shows it in its banner)."""
        dataset, why = load_or_explain(source)
        if dataset is None:
            self.dataset_box.setCurrentIndex(self._dataset_index())
            self.message.setText(
                f"Could not load {source}; still training on {self.controller.dataset.name}."
            )
            self.load_failed.emit(why)
            return False
        self.controller.set_dataset(dataset, source)
        return True

    @contextmanager
    def _paused(self):
        """Nothing trains unseen behind a dialog: pause, and play again afterwards."""
        playing = self.controller.playing
        if playing:
            self.controller.pause()
        try:
            yield
        finally:
            if playing and not self.controller.playing:
                self.controller.play()

    # ------------------------------------------------------------------ slots
    def _dataset_chosen(self, index: int) -> None:
        text = self.dataset_box.itemText(index)
        if text == OPEN_FILE:
            self.open_file()
        elif text in self._names and index != self._dataset_index():
            self.load(text)

    def _seed_edited(self) -> None:
        if self.seed.value() != self.controller.seed:
            self.controller.set_seed(self.seed.value())

    def _learning_rate_clamped(self, typed: float, used: float) -> None:
        self.message.setText(clamped("learning_rate", typed, "learning rate")[1])

    def _speed_changed(self, index: int) -> None:
        speed = self.speed_setting.steps_per_second
        with QSignalBlocker(self.speed):  # it shows the choice; it need not write it back
            self.speed.setValue(index)
        self.speed_text.setText(speed_label(speed))
        self.controller.set_speed(speed)

    def _raw_inputs_toggled(self, raw: bool) -> None:
        self.controller.set_input_scale("raw" if raw else "unit")

    def _run_replaced(self, reason: str) -> None:
        self.message.setText(reason)
        with QSignalBlocker(self.raw_inputs):  # it shows what the new run uses
            self.raw_inputs.setChecked(self.controller.settings.input_scale == "raw")
        if self.controller.dataset is not self._dataset:
            self.set_dataset(self.controller.dataset)
        self._show_run_settings()  # a loaded run brings its own

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self.restart_button.show()

    def _restart(self) -> None:
        self.restart_button.hide()
        self.controller.restart()

    def _rejected(self, message: str) -> None:
        """A refused setting: say why, and show what the run really uses."""
        self.message.setText(message)
        self._show_run_settings()

    def _show_run_settings(self) -> None:
        """The boxes show the settings the run uses (without sending them back)."""
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
        self.play_button.setAccessibleName(self.play_button.text())
        if running:
            self.message.setText("")
