"""The status bar counts every dropout: the device's underflows and Cowrite's own underruns."""

from __future__ import annotations

from cowrite.audio.output import ManualOutput
from cowrite.audio.player import Player
from cowrite.ui.session import Session
from tests.ui.conftest import open_window


def test_the_status_bar_adds_the_devices_underflows_to_cowrites_underruns(qtbot, song_project):
    output = ManualOutput()
    player = Player(output, threaded=False)
    window = open_window(qtbot, Session(song_project, player))
    assert window.underruns_label.text() == ""
    player.underruns, output.underflows = 2, 3
    window.show_dropouts()
    assert window.underruns_label.text() == "5 dropouts"
    assert "3 reported by the audio device" in window.underruns_label.toolTip()
    assert "2 by Cowrite" in window.underruns_label.toolTip()
    player.close()
