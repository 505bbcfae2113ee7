"""The transport bar: it runs on the silent clock when there is no sound card, says so, and keeps one width."""

from __future__ import annotations

import pytest

from cowrite.audio.output import ManualOutput, NullOutput
from cowrite.audio.player import Player
from cowrite.edit import SetMeter, SetTempo
from cowrite.model import PPQ
from cowrite.ui.session import Session
from cowrite.ui.transport_bar import SILENT_TEXT, TransportBar, bar_beat

RATE, BLOCK = 48000, 256




def transport(qtbot, song_project, output) -> TransportBar:
    player = Player(output, BLOCK, RATE, threaded=False)
    session = Session(song_project, player)
    player.load(session.song)
    bar = TransportBar(session)
    qtbot.addWidget(bar)
    bar.show()
    return bar


@pytest.fixture
def silent(qtbot, song_project, clock):
    bar = transport(qtbot, song_project, NullOutput("no output device (Error querying device -1)", clock=clock,
                                                    threaded=False))
    yield bar
    bar.player.close()


def run_for(bar: TransportBar, clock, seconds: float) -> None:
    """Let time pass on the silent clock, the worker rendering ahead, the playhead timer firing."""
    for _ in range(round(seconds / 0.01)):
        clock.now += 0.01
        bar.player.output.catch_up()
        bar.player.fill()
    bar.follow()


def test_play_moves_the_playhead_without_a_device(silent, clock, qtbot):
    silent.play_button.click()
    assert silent.play_button.isChecked() and silent.playing
    with qtbot.waitSignal(silent.playhead_moved) as moved:
        run_for(silent, clock, 1.0)  # two beats at 120 BPM
    tick = moved.args[0]
    assert PPQ < tick <= 2 * PPQ and tick == silent.player.position
    assert silent.position.text() == bar_beat(silent.session.song, tick) != bar_beat(silent.session.song, 0)


def test_stop_stops_the_playhead(silent, clock):
    silent.play()
    run_for(silent, clock, 0.5)
    silent.stop_button.click()
    where = silent.player.position
    run_for(silent, clock, 0.5)
    assert not silent.play_button.isChecked() and silent.player.position == where


def test_the_song_end_releases_play_once_the_last_release_has_rung_out(silent, clock):
    from cowrite.audio.render import render_song
    from cowrite.edit import AddNotes

    last_beat = silent.session.song.end_tick - PPQ
    silent.session.apply(AddNotes("Keys", [(60, last_beat, PPQ, 90)]))  # held to the last bar line
    song = silent.session.song
    end, tail = song.tempo.seconds_at(song.end_tick), render_song(song).seconds
    assert tail > end + 0.3  # the keys' release (0.35 s) rings past the end
    silent.play()
    run_for(silent, clock, end + 0.01)
    assert silent.player.position >= song.end_tick and silent.playing  # the tail is still playing
    run_for(silent, clock, tail - end + 0.05)
    silent.follow()  # the frame after the end
    assert not silent.playing and not silent.play_button.isChecked()


def test_the_badge_says_playback_is_silent_and_why(silent):
    assert not silent.silent_badge.isHidden()
    assert silent.silent_badge.text() == SILENT_TEXT
    assert "no output device" in silent.silent_badge.toolTip()


def test_no_badge_with_a_sound_card(qtbot, song_project):
    bar = transport(qtbot, song_project, ManualOutput())
    assert bar.silent_badge.isHidden()


def test_the_bar_keeps_its_width_whatever_it_shows(silent, clock):
    widths = {silent.sizeHint().width()}
    silent.session.apply(SetTempo(60.0))
    widths.add(silent.sizeHint().width())
    silent.session.apply(SetTempo(187.5))
    silent.session.apply(SetMeter(12, 16))
    widths.add(silent.sizeHint().width())
    silent.play()
    run_for(silent, clock, 3.0)
    widths.add(silent.sizeHint().width())
    far = bar_beat(silent.session.song, 1234 * 12 * PPQ // 4 + 11 * PPQ // 4)  # a four-digit bar, beat 12
    assert far == "1235.12.1"
    silent.position.setText(far)
    widths.add(silent.sizeHint().width())
    assert len(widths) == 1
    assert silent.position.fontMetrics().horizontalAdvance(far) <= silent.position.contentsRect().width()
