"""The assistants dock: pick an assistant, set its parameters, and hear, keep or throw away what it proposes.

The assistant thinks on a worker thread, from a request built here on the UI
thread (a read-only copy of the song's context), so the window never freezes
and the document is only ever touched on the UI thread. Its draft comes back
and is proposed in the assistant's own name; everything after that (accept,
accept some, reject) is the person's, through the session.
"""

from __future__ import annotations

import html
import secrets
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
                               QHBoxLayout, QLabel, QProgressBar, QPushButton, QSlider, QSpinBox, QTextBrowser,
                               QToolButton, QVBoxLayout, QWidget)

from cowrite.assistants import registry
from cowrite.assistants.assistant import Assistant
from cowrite.assistants.parameters import Boolean, Choice, FloatRange, IntRange, ParameterError, resolve
from cowrite.assistants.request import Draft, Request, build_request
from cowrite.assistants.runner import run, to_suggestion
from cowrite.attribution.actors import Actor
from cowrite.attribution.ledger import LedgerError
from cowrite.edit import LAYER, REPLACE, AcceptSuggestion, EditError, ProposeSuggestion, RejectSuggestion
from cowrite.model import PPQ, Song, Track
from cowrite.theory.chord_detect import melody_track
from cowrite.ui.workers import run_in_thread

FLOAT_STEPS = 100  # a FloatRange slider's resolution
IDLE = ("<p style='color:gray'>Choose an assistant, its settings, a track and bars, then Generate. "
        "Its suggestion appears as ghost notes: hear it, keep all or some of it, or reject it. "
        "Nothing in the song changes until you accept.</p>")


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


class FloatControl(QWidget):
    """A slider for a FloatRange, with its value shown beside it."""

    def __init__(self, parameter: FloatRange, parent=None):
        super().__init__(parent)
        self.parameter = parameter
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, FLOAT_STEPS)
        self.shown = QLabel()
        self.shown.setMinimumWidth(self.shown.fontMetrics().horizontalAdvance("0.00") + 4)
        self.shown.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.shown)
        self.slider.valueChanged.connect(lambda _: self.shown.setText(f"{self.value():.2f}"))
        self.set_value(parameter.default)

    def value(self) -> float:
        p = self.parameter
        return round(p.low + (p.high - p.low) * self.slider.value() / FLOAT_STEPS, 4)

    def set_value(self, value: float) -> None:
        p = self.parameter
        self.slider.setValue(round((value - p.low) / ((p.high - p.low) or 1) * FLOAT_STEPS))
        self.shown.setText(f"{self.value():.2f}")


def parameter_control(parameter) -> tuple[QWidget, Callable[[], object]]:
    """A control for one parameter and a function reading its typed value."""
    if isinstance(parameter, Choice):
        box = QComboBox()
        box.addItems(list(parameter.choices))
        box.setCurrentText(parameter.default)
        return box, box.currentText
    if isinstance(parameter, IntRange):
        spin = QSpinBox()
        spin.setRange(parameter.low, parameter.high)
        spin.setValue(parameter.default)
        return spin, spin.value
    if isinstance(parameter, FloatRange):
        control = FloatControl(parameter)
        return control, control.value
    if isinstance(parameter, Boolean):
        check = QCheckBox()
        check.setChecked(parameter.default)
        return check, check.isChecked
    raise TypeError(f"no control for a {type(parameter).__name__} parameter")


class CardDialog(QDialog):
    """An assistant's card: what it does, what kind of model it is, and what it learned from."""

    def __init__(self, assistant: Assistant, parent=None):
        super().__init__(parent)
        card = assistant.card
        self.setWindowTitle(f"{card.name} assistant")
        self.setMinimumWidth(520)
        model = card.model
        sources = "".join(
            f"<tr><td>{html.escape(s.name)}</td><td>{html.escape(s.licence)}</td>"
            f"<td align='right'>{s.share * 100:.0f}%</td><td>{html.escape(s.url)}</td>"
            f"<td>{'your own music' if s.user_data else ''}</td></tr>" for s in model.training_data)
        training = (f"<table cellspacing='0' cellpadding='4'><tr><th align='left'>Source</th>"
                    f"<th align='left'>Licence</th><th align='right'>Share</th><th align='left'>Where</th>"
                    f"<th></th></tr>"
                    f"{sources}</table>" if sources else "<p>Nothing: it follows written rules.</p>")
        text = QLabel(
            f"<h3>{html.escape(card.name)} <small>({html.escape(card.id)}@{html.escape(card.version)})</small></h3>"
            f"<p>{html.escape(card.description)}</p>"
            f"<p><b>Model:</b> {html.escape(model.type)}. {html.escape(model.summary)}</p>"
            f"<p><b>Its notes are labelled:</b> {html.escape(model.source_type)} (IPTC digital source type)</p>"
            f"<p><b>Learned from:</b></p>{training}")
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)


class AssistantDock(QWidget):
    """Ask, hear, keep: the panel for one assistant at a time."""

    suggestion_shown = Signal(str)  # a new pending suggestion is on screen (the window focuses the editor)
    audition_wanted = Signal(bool)  # start or stop playing what the player was given

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.entries = registry.discover()
        self._readers: dict[str, Callable[[], object]] = {}
        self._closed = False
        self._described: str | None = None  # the suggestion the explanation shows
        self._picked_source: str | None = None  # a source track the person chose, kept over the default
        self.busy = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)

        top = QHBoxLayout()
        self.picker = QComboBox()
        self.picker.setToolTip("The assistant to ask")
        model = QStandardItemModel(self.picker)
        self.picker.setModel(model)
        for entry in self.entries:
            if entry.broken:
                self.picker.addItem(f"{entry.name} (broken: {entry.error[:48]})")
                item = model.item(self.picker.count() - 1)
                item.setEnabled(False)
                item.setToolTip(f"{entry.target}: {entry.error}")
            else:
                card = entry.assistant.card
                self.picker.addItem(f"{card.name} ({card.model.type})")
        self.card_button = QToolButton()
        self.card_button.setText("Card…")
        self.card_button.setToolTip("What this assistant is, and what its model learned from")
        self.card_button.clicked.connect(self.show_card)
        top.addWidget(self.picker, 1)
        top.addWidget(self.card_button)
        layout.addLayout(top)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._params_box = QWidget()
        self._params_box.setLayout(self.form)
        layout.addWidget(self._params_box)

        where = QGridLayout()
        where.setHorizontalSpacing(6)
        self.target = QComboBox()
        self.target.setToolTip("The track the suggestion is for")
        self.source_label = QLabel("Reads")
        self.source = QComboBox()
        self.source.setToolTip("The track the assistant reads (harmony: the melody)")
        self.source.activated.connect(lambda _: setattr(self, "_picked_source", self.source.currentData()))
        self.first_bar, self.last_bar = QSpinBox(), QSpinBox()
        for spin, tip in ((self.first_bar, "First bar"), (self.last_bar, "Last bar")):
            spin.setToolTip(tip)
        bars = QHBoxLayout()
        bars.addWidget(self.first_bar)
        bars.addWidget(QLabel("to"))
        bars.addWidget(self.last_bar)
        bars.addStretch(1)
        where.addWidget(QLabel("Track"), 0, 0, Qt.AlignmentFlag.AlignRight)
        where.addWidget(self.target, 0, 1)
        where.addWidget(self.source_label, 1, 0, Qt.AlignmentFlag.AlignRight)
        where.addWidget(self.source, 1, 1)
        where.addWidget(QLabel("Bars"), 2, 0, Qt.AlignmentFlag.AlignRight)
        where.addLayout(bars, 2, 1)
        where.setColumnStretch(1, 1)
        layout.addLayout(where)

        ask = QHBoxLayout()
        self.generate_button = QPushButton("Generate")
        self.generate_button.setObjectName("primary")
        self.generate_button.setToolTip("Ask the assistant for a suggestion (nothing changes until you accept)")
        self.generate_button.clicked.connect(lambda: self.generate())
        self.spinner = QProgressBar()
        self.spinner.setRange(0, 0)  # busy, length unknown
        self.spinner.setMaximumHeight(6)
        self.spinner.setTextVisible(False)
        self.spinner.hide()
        ask.addWidget(self.generate_button)
        ask.addWidget(self.spinner, 1)
        layout.addLayout(ask)

        self.explanation = QTextBrowser()
        self.explanation.setObjectName("explanation")
        self.explanation.setOpenLinks(False)
        self.explanation.setMinimumHeight(90)  # with the accept-mode row, the dock fits a 700 px screen
        self.explanation.setHtml(IDLE)
        layout.addWidget(self.explanation, 1)

        self.audition_button = QPushButton("Audition")
        self.audition_button.setCheckable(True)
        self.audition_button.setToolTip("Hear the suggestion before deciding")
        self.audition_button.toggled.connect(self.audition)
        self.solo = QCheckBox("Solo")
        self.solo.setToolTip("Hear the suggestion's track alone instead of with the other tracks")
        self.solo.toggled.connect(lambda _: self._reaudition())
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip("Keep every note of the suggestion (Enter)")
        self.accept_button.clicked.connect(self.accept)
        self.accept_mode = QComboBox()
        self.accept_mode.addItem("Replace", REPLACE)
        self.accept_mode.addItem("Layer", LAYER)
        self.accept_mode.setToolTip("Replace: the suggestion takes the place of the track's notes in its bars "
                                    "(a partial accept: only in the bars of the notes you picked). "
                                    "Layer: the track's notes stay. Either way no note is doubled. "
                                    "Audition plays the same.")
        self.accept_mode.currentIndexChanged.connect(lambda _: self._reaudition())
        self.accept_some_button = QPushButton("Accept selected")
        self.accept_some_button.setToolTip("Keep only the ghost notes you clicked (Shift+Enter)")
        self.accept_some_button.clicked.connect(self.accept_selected)
        self.reject_button = QPushButton("Reject")
        self.reject_button.setToolTip("Throw the suggestion away (Esc); the history keeps that it was offered")
        self.reject_button.clicked.connect(self.reject)
        self.regenerate_button = QPushButton("Regenerate")
        self.regenerate_button.setToolTip("Reject this one and ask again with a new seed")
        self.regenerate_button.clicked.connect(self.regenerate)
        decide = QGridLayout()
        decide.setSpacing(6)
        decide.setHorizontalSpacing(4)  # three buttons abreast fit the window's narrowest dock (300 px)
        decide.addWidget(self.audition_button, 0, 0)
        decide.addWidget(self.solo, 0, 1)
        decide.addWidget(self.regenerate_button, 0, 2)
        decide.addWidget(self.accept_button, 1, 0)
        decide.addWidget(self.accept_some_button, 1, 1)
        decide.addWidget(self.reject_button, 1, 2)
        mode_row = QHBoxLayout()  # right under Accept, in a row of its own so the dock stays narrow
        mode_row.addWidget(QLabel("Accept by"))
        mode_row.addWidget(self.accept_mode)
        mode_row.addStretch(1)
        decide.addLayout(mode_row, 2, 0, 1, 3)
        layout.addLayout(decide)
        self.silence = QLabel()
        self.silence.setObjectName("silence")
        self.silence.setWordWrap(True)
        self.silence.hide()
        layout.addWidget(self.silence)

        self.picker.currentIndexChanged.connect(self._on_pick)
        self.target.currentIndexChanged.connect(lambda _: self._fill_sources())
        self.source.currentIndexChanged.connect(lambda _: self._show_state())  # Generate needs a source chosen
        session.changed.connect(self._on_change)
        session.current_track_changed.connect(lambda _: self._fill_tracks())
        session.suggestion_changed.connect(self._show_state)
        first = next((i for i, e in enumerate(self.entries) if not e.broken), -1)
        self.picker.setCurrentIndex(first)
        self._on_pick(first)

    # -- what is asked -------------------------------------------------------------------------

    @property
    def assistant(self) -> Assistant | None:
        index = self.picker.currentIndex()
        entry = self.entries[index] if 0 <= index < len(self.entries) else None
        return entry.assistant if entry else None

    def pick(self, name: str) -> None:
        """Choose the assistant registered (or carded) as `name`."""
        for i, entry in enumerate(self.entries):
            if not entry.broken and name in (entry.name, entry.assistant.card.id):
                self.picker.setCurrentIndex(i)
                return
        raise ValueError(f"no working assistant {name!r}")

    def _on_pick(self, _index: int) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._readers = {}
        assistant = self.assistant
        self.card_button.setEnabled(assistant is not None)
        if assistant is not None:
            for parameter in assistant.parameters:
                control, read = parameter_control(parameter)
                control.setToolTip(parameter.help)
                label = QLabel(_label(parameter.name))
                label.setToolTip(parameter.help)
                self.form.addRow(label, control)
                self._readers[parameter.name] = read
        self._fill_tracks()
        if assistant is not None:  # a track named for what the assistant writes ("Bass") is its likely target
            named = self.target.findText(assistant.card.kind, Qt.MatchFlag.MatchContains)
            if named >= 0:
                self.target.setCurrentIndex(named)
        self._show_state()

    def show_card(self) -> None:
        if self.assistant is not None:
            CardDialog(self.assistant, self).exec()

    def set_value(self, name: str, value) -> None:
        """Set a parameter's control by name, as the person would."""
        row = list(self._readers).index(name)
        control = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
        if isinstance(control, QComboBox):
            control.setCurrentText(value)
        elif isinstance(control, QSpinBox):
            control.setValue(value)
        elif isinstance(control, FloatControl):
            control.set_value(value)
        else:
            control.setChecked(value)

    def values(self) -> dict:
        return {name: read() for name, read in self._readers.items()}

    def _fits(self, track: Track) -> bool:
        wanted = self.assistant.target_kind if self.assistant else ""
        return not wanted or track.kind.value == wanted

    def _fill_tracks(self) -> None:
        """Targets the assistant can write to (the current track first choice), and tracks it can read."""
        song, current = self.session.song, self.session.current_track_id
        chosen = self.target.currentData()
        fitting = [t for t in song.tracks if self._fits(t)]
        self.target.clear()
        for track in fitting:
            self.target.addItem(track.name, track.id)
        if not fitting:
            kind = self.assistant.target_kind if self.assistant else "instrument"
            self.target.addItem(f"(no {kind} track: add one in Tracks)", None)
        ids = [t.id for t in fitting]
        pick = current if current in ids else chosen if chosen in ids else None
        if pick is not None:
            self.target.setCurrentIndex(ids.index(pick))
        fresh = self.last_bar.minimum() == 0  # the first fill asks for the whole song; later, the person's range stays
        for spin in (self.first_bar, self.last_bar):
            spin.setRange(1, song.length_bars)
        if fresh:
            self.last_bar.setValue(song.length_bars)
        self._fill_sources()

    def _fill_sources(self) -> None:
        needs = bool(self.assistant and self.assistant.needs_source)
        self.source.setVisible(needs)
        self.source_label.setVisible(needs)
        song, target = self.session.song, self.target.currentData()
        self.source.clear()
        readable = [t for t in song.tracks if not t.is_drums and t.id != target]
        readable.sort(key=lambda t: not t.notes)  # tracks with notes first: there is something to read
        for track in readable:
            self.source.addItem(track.name, track.id)
        ids = [t.id for t in readable]
        melody = melody_track(song.tracks, target)
        wanted = self._picked_source if self._picked_source in ids else melody.id if melody else None
        # no melody (only a bass line to read): nothing is chosen for the person
        self.source.setCurrentIndex(ids.index(wanted) if wanted else -1)
        self._show_state()

    def _on_change(self, change) -> None:
        if change.track_list or change.track_settings or "length_bars" in change.song_fields:
            self._fill_tracks()
        elif change.suggestions:
            self._show_state()

    # -- asking, off the UI thread ------------------------------------------------------------------

    def request(self, seed: int) -> Request:
        """The read-only context the assistant gets, built here on the UI thread."""
        song, assistant = self.session.song, self.assistant
        target = song.find_track(self.target.currentData() or "")
        if assistant is None or target is None:
            raise EditError("choose an assistant and a track for it to write to")
        source = None
        if assistant.needs_source:
            source = song.find_track(self.source.currentData() or "")
            if source is None:
                raise EditError(f"{assistant.card.name} needs a track to read: choose one under Reads")
        first, last = self.first_bar.value() - 1, self.last_bar.value() - 1
        if first > last:
            raise EditError(f"bars {first + 1} to {last + 1}: the first bar comes after the last")
        parameters = resolve(assistant.parameters, self.values())
        return build_request(song, target, source, first, last, parameters, seed)

    def generate(self, seed: int | None = None) -> bool:
        """Ask for a suggestion; False (and a message) when the question cannot be asked."""
        if self.busy:
            return False
        assistant = self.assistant
        try:
            request = self.request(secrets.randbelow(2 ** 31) if seed is None else seed)
        except (EditError, ParameterError) as e:
            self.session.failed.emit(str(e))
            return False
        self._set_busy(True, f"Asking {assistant.card.name}…")
        run_in_thread(f"{assistant.card.id} suggestion", lambda: run(assistant, request),
                      lambda draft: self._propose(assistant, request, draft), self._on_failed)
        return True

    def _propose(self, assistant: Assistant, request: Request, draft: Draft) -> None:
        """Back on the UI thread: propose the draft in the assistant's own name, and show it."""
        if self._closed:
            return
        self._set_busy(False)
        card = assistant.card
        try:
            self.session.document.apply(ProposeSuggestion(to_suggestion(assistant, request, draft)),
                                        Actor.assistant(card.id, card.version))
        except (EditError, LedgerError) as e:
            self.session.failed.emit(str(e))
            return
        suggestion_id = f"s{self.session.song.next_suggestion_id - 1}"
        self.session.set_current_track(request.target.id)
        self.session.show_suggestion(suggestion_id)
        self.suggestion_shown.emit(suggestion_id)

    def _on_failed(self, message: str) -> None:
        if not self._closed:
            self._set_busy(False)
            self.explanation.setHtml(f"<p>No suggestion: {html.escape(message)}</p>")
            self.session.failed.emit(message)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.spinner.setVisible(busy)
        if busy:
            self.explanation.setHtml(f"<p><i>{html.escape(text)}</i></p>")
        self._show_state()

    # -- deciding -----------------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """How accepting (and auditioning) treats the track's notes: replace or layer."""
        return self.accept_mode.currentData()

    def accept(self) -> bool:
        s = self.session.suggestion
        return s is not None and self._decide(AcceptSuggestion(s.id, mode=self.mode),
                                              f"Kept all {len(s.notes)} notes.")

    def accept_selected(self) -> bool:
        s = self.session.suggestion
        if s is None:
            return False
        chosen = sorted(self.session.ghost_selection)
        if not chosen:
            self.session.failed.emit("no ghost notes selected: click the ones to keep, then Accept selected")
            return False
        return self._decide(AcceptSuggestion(s.id, chosen, self.mode), f"Kept {len(chosen)} of {len(s.notes)} notes.")

    def reject(self) -> bool:
        s = self.session.suggestion
        return s is not None and self._decide(RejectSuggestion(s.id),
                                              "Rejected; the history keeps that it was offered.")

    def regenerate(self) -> bool:
        """Turn the suggestion down (so the ledger says so) and ask again with a new seed."""
        s = self.session.suggestion
        if s is not None and not self._decide(RejectSuggestion(s.id), ""):
            return False
        return self.generate()

    def _decide(self, command, outcome: str) -> bool:
        self.audition_button.setChecked(False)
        if not self.session.apply(command):
            return False
        self.session.show_suggestion(None)
        if outcome:
            self.explanation.setHtml(f"<p>{html.escape(outcome)}</p>")
        return True

    def audition(self, on: bool) -> None:
        """Play the song as accepting the pending suggestion (in the chosen mode) would leave it, from its
        first bar, with the other tracks or its own alone; never saved. Without a sound device it says why
        nothing is heard, and the transport runs all the same."""
        from cowrite.audio.player import audition_song

        player, s = self.session.player, self.session.suggestion
        reason = silence_reason(player) if on and s is not None else ""
        self.silence.setText(f"Audition is silent: {reason}" if reason else "")
        self.silence.setVisible(bool(reason))
        if player is None:
            return
        if on and s is not None:
            player.load(audition_song(self.session.song, s, context=not self.solo.isChecked(), mode=self.mode))
            player.seek(self.session.song.meter.bar_start(s.bars[0] - 1))
            self.audition_wanted.emit(True)
        else:
            self.audition_wanted.emit(False)
            player.load(self.session.song)

    def _reaudition(self) -> None:
        """The mode or Solo changed while auditioning: hear the new outcome."""
        if self.audition_button.isChecked():
            self.audition(True)

    # -- what is on screen --------------------------------------------------------------------------

    def _show_state(self) -> None:
        pending = self.session.suggestion is not None
        ready = self.assistant is not None and self.target.currentData() is not None
        if self.assistant is not None and self.assistant.needs_source:
            ready = ready and self.source.currentData() is not None
        self.generate_button.setEnabled(ready and not self.busy)
        for button in (self.audition_button, self.accept_button, self.reject_button, self.regenerate_button):
            button.setEnabled(pending and not self.busy)
        self.accept_some_button.setEnabled(pending and not self.busy and bool(self.session.ghost_selection))
        if not pending and self.audition_button.isChecked():
            self.audition_button.setChecked(False)
        if pending and not self.busy and self._described != self.session.suggestion_id:
            self.explanation.setHtml(describe(self.session.suggestion, self.session.song))
        if not pending and not self.busy and self._described is not None:
            self.explanation.setHtml(IDLE)
        self._described = self.session.suggestion_id if pending else None

    def shutdown(self) -> None:
        """The window is moving to another song: a late result must not land in it."""
        self._closed = True


def silence_reason(player) -> str:
    """Why an audition cannot be heard (no player, or an output without a device), or "" when it can."""
    if player is None:
        return "this window has no player, so nothing can sound"
    output = player.output
    return "" if output.available else (output.reason or "there is no audio device")


def describe(suggestion, song: Song) -> str:
    """The suggestion as the dock shows it: who, how many notes where, why, and what else was weighed."""
    who = Actor.parse(suggestion.assistant).label
    track = song.find_track(suggestion.track_id)
    first, last = suggestion.bars
    chords = f", {len(suggestion.chords)} chords" if suggestion.chords else ""
    parts = [f"<p><b>{html.escape(who)}</b> proposes {len(suggestion.notes)} notes{chords} for "
             f"<b>{html.escape(track.name if track else suggestion.track_id)}</b>, bars {first}–{last} "
             f"<span style='color:gray'>(seed {suggestion.seed})</span></p>",
             f"<p>{html.escape(suggestion.explanation)}</p>"]
    if suggestion.alternatives:
        rows = []
        for alt in suggestion.alternatives[:16]:
            bar = song.meter.bar_at(alt["start"])
            beat = (alt["start"] - song.meter.bar_start(bar)) // (PPQ * 4 // song.meter.at(alt["start"]).denominator)
            others = ", ".join(f"{html.escape(label)} {p * 100:.0f}%" for label, p in alt["options"]
                               if label != alt["chosen"])
            rows.append(f"<tr><td>{bar + 1}.{beat + 1}</td><td><b>{html.escape(alt['chosen'])}</b></td>"
                        f"<td>{others}</td></tr>")
        parts.append("<p><b>Also weighed</b></p><table cellpadding='2'><tr><th align='left'>Bar.beat</th>"
                     "<th align='left'>Chose</th><th align='left'>Other options</th></tr>" + "".join(rows) + "</table>")
    parts.append("<p style='color:gray'>Click ghost notes to pick some; Enter keeps all, Esc rejects.</p>")
    return "".join(parts)
