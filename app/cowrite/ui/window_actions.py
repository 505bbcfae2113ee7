"""The studio's commands as Qt actions, and the menus and toolbars that show them.

One QAction a command, made once for the window's life (songs come and go,
actions stay), so a shortcut, a menu item and a toolbar button can never
disagree. Each action calls the window, which knows the current song's panels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QStyle, QToolBar

from cowrite.ui.theme import PALETTES

#: keys the standard bindings add on X11 for Sun-style keyboards (Undo = F14, Copy = F16...): nobody has them
_RARE_KEYS = {getattr(Qt.Key, f"Key_F{n}") for n in range(13, 36)}


def _usable(sequences: list[QKeySequence]) -> list[QKeySequence]:
    return [s for s in sequences if s.count() and s[0].key() not in _RARE_KEYS]


class WindowActions:
    """Every action of the studio window, as attributes named after what they do."""

    def __init__(self, window):
        self.window = window
        w = window
        K = QKeySequence.StandardKey
        a = self._action
        self.new = a("&New…", lambda: w.files.new_song(), K.New, "Start a new song")
        self.open = a("&Open…", lambda: w.files.open_dialog(), K.Open, "Open a song")
        self.save = a("&Save", lambda: w.files.save(), K.Save, "Save the song")
        self.save_as = a("Save &As…", lambda: w.files.save_as(), K.SaveAs,
                         "Save the song (and its ledger) under a new name")
        self.import_midi = a("&Import MIDI…", lambda: w.files.import_midi(), "Ctrl+Shift+I",
                             "Add a MIDI file's tracks")
        self.exports = {kind: a(text, lambda _=False, k=kind: w.exporter.ask(k))
                        for kind, text in (("midi", "MIDI…"), ("musicxml", "MusicXML…"), ("wav", "WAV (mix)…"),
                                           ("stems", "Stems (one WAV a track)…"))}
        self.preferences = a("&Preferences…", w.show_preferences, "Ctrl+,")
        self.quit = a("&Quit", w.close, K.Quit)
        self.undo = a("&Undo", lambda: w.session.undo(), K.Undo)
        self.redo = a("&Redo", lambda: w.session.redo(), ["Ctrl+Shift+Z", "Ctrl+Y"])
        self.cut = a("Cu&t", lambda: w.piano.cut(), K.Cut, "Cut the selected notes")
        self.copy = a("&Copy", lambda: w.piano.copy(), K.Copy, "Copy the selected notes")
        self.paste = a("&Paste", lambda: w.piano.paste(), K.Paste, "Paste at the last click or the playhead")
        self.select_all = a("Select &All", lambda: w.piano.select_all(), K.SelectAll)
        self.quantize = a("&Quantize…", w.quantize_dialog, "Ctrl+Shift+Q",
                          "Pull the selected notes (or the whole track) to a grid")
        self.play = a("Play / Stop", lambda: w.transport.toggle_play(), "Space", "Play or stop (Space)")
        self.loop = a("Loop", lambda: w.transport.set_looping(not w.transport.loop_button.isChecked()),
                      "L", "Loop the selected notes' bars (or the first 4 bars)")
        self.record = a("Record from MIDI", w.toggle_recording, "Ctrl+R", checkable=True)
        self.generate = a("&Generate", lambda: w.assistant.generate(), "Ctrl+G",
                          "Ask the chosen assistant for a suggestion")
        # Enter and Esc decide while a suggestion is pending and no text field has focus (see key_rules)
        self.accept = a("&Accept", lambda: w.assistant.accept(), ["Return", "Enter"], "Keep the suggestion (Enter)")
        self.accept_some = a("Accept &Selected Notes", lambda: w.assistant.accept_selected(),
                             ["Shift+Return", "Shift+Enter"], "Keep only the ghost notes you picked")
        self.reject = a("&Reject", lambda: w.assistant.reject(), "Esc", "Throw the suggestion away (Esc)")
        self.regenerate = a("Re&generate", lambda: w.assistant.regenerate(), "Ctrl+Shift+G",
                            "Reject this suggestion and ask again with a new seed")
        self.enter_chord = a("&Type a Chord…", w.enter_chord_here, "Ctrl+K",
                             "Type a chord symbol at the playhead (or double-click the chord lane)")
        self.detect_chords = a("&Detect Chords from Tracks", w.detect_chords, tip=(
            "Name the chords the tracks play, a chord a bar, over the selected notes' bars (or the whole song)"))
        self.clear_chords = a("C&lear Chords", w.clear_chords,
                              tip="Take the chords off the selected notes' bars (or the whole song)")
        self.colour = a("&Colour Notes by Origin", w.set_colour_by_origin, "Ctrl+B",
                        "Colour every note by who wrote it", checkable=True)
        self.colour.setIconText("Colour by origin")  # the toolbar's short name for it
        self.credits = a("&Credits…", lambda: w.attribution.show_credits(), "Ctrl+Shift+C",
                         "Who wrote what, and the disclosure label")
        self.reset_layout = a("Reset &Layout", w.reset_layout, tip="Put the panels back where they started")
        self.shortcuts = a("&Keyboard Shortcuts", w.show_shortcuts, K.HelpContents)
        self.about = a("&About Cowrite", w.show_about)
        self.themes = QActionGroup(window)
        for name in PALETTES:
            action = QAction(name.capitalize(), window, checkable=True)
            action.triggered.connect(lambda _=False, n=name: w.set_theme(n))
            self.themes.addAction(action)

    def _action(self, text: str, slot, keys=None, tip: str = "", checkable: bool = False) -> QAction:
        """An action whose shortcut works anywhere in the window (the menu bar hidden too)."""
        action = QAction(text, self.window)
        if isinstance(keys, QKeySequence.StandardKey):
            action.setShortcuts(_usable(QKeySequence.keyBindings(keys)))
        elif keys:
            action.setShortcuts([QKeySequence(k) for k in ([keys] if isinstance(keys, str) else keys)])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.window.addAction(action)
        return action

    def all(self) -> list[QAction]:
        return [a for a in vars(self).values() if isinstance(a, QAction)] + list(self.exports.values())

    def show_theme(self, name: str) -> None:
        for action in self.themes.actions():
            action.setChecked(action.text().lower() == name)

    def fill_menus(self, bar, view_extras: list[QAction]) -> None:
        """The menu bar; `view_extras` (the docks' show/hide actions) end the View menu."""
        file = bar.addMenu("&File")
        file.addActions([self.new, self.open])
        self.window.recent_menu = file.addMenu("Open &Recent")
        self.window.recent_menu.aboutToShow.connect(lambda: self.window.files.fill_recent(self.window.recent_menu))
        file.addActions([self.save, self.save_as])
        file.addSeparator()
        file.addAction(self.import_midi)
        file.addMenu("&Export").addActions(list(self.exports.values()))
        file.addSeparator()
        file.addActions([self.preferences, self.quit])
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.cut, self.copy, self.paste, self.select_all])
        edit.addSeparator()
        edit.addAction(self.quantize)
        bar.addMenu("&Transport").addActions([self.play, self.loop, self.record])
        bar.addMenu("&Chords").addActions([self.enter_chord, self.detect_chords, self.clear_chords])
        bar.addMenu("&Suggestion").addActions([self.generate, self.accept, self.accept_some, self.reject,
                                               self.regenerate])
        view = bar.addMenu("&View")
        view.addAction(self.colour)
        view.addMenu("&Theme").addActions(self.themes.actions())
        view.addAction(self.credits)
        view.addSeparator()
        view.addActions(view_extras)
        view.addAction(self.reset_layout)
        bar.addMenu("&Help").addActions([self.shortcuts, self.about])

    def make_toolbars(self) -> QToolBar:
        """The file/edit and attribution toolbars; returns the (empty) transport toolbar each song fills."""
        w = self.window
        main = _toolbar("File and edit")
        main.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)  # the transport needs the row's width
        style = w.style()
        for action, icon in ((self.open, "SP_DialogOpenButton"), (self.save, "SP_DialogSaveButton"),
                             (self.undo, "SP_ArrowBack"), (self.redo, "SP_ArrowForward")):
            action.setIcon(style.standardIcon(getattr(QStyle.StandardPixmap, icon)))
        main.addActions([self.open, self.save])
        main.addSeparator()
        main.addActions([self.undo, self.redo])
        w.addToolBar(main)
        transport = _toolbar("Transport")
        w.addToolBar(transport)
        view = _toolbar("Attribution")
        view.addActions([self.colour, self.credits])
        w.addToolBar(view)
        return transport

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(keys, what) of every action with a shortcut, read from the actions so the list cannot go stale."""
        return [(", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()),
                 action.text().replace("&", "").rstrip("…"))
                for action in self.all() if action.shortcuts()]


def _toolbar(title: str) -> QToolBar:
    bar = QToolBar(title)
    bar.setObjectName(title.lower() + " toolbar")
    bar.setMovable(False)
    return bar
