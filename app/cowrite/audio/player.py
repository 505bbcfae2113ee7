"""The transport: play, stop, seek, loop a range, audition a suggestion in context.

A worker thread renders ahead into a ring buffer; the audio callback only
copies from the ring and moves a counter (no locks, no rendering, no new
buffers), so a busy UI or an assistant at work cannot cause a dropout unless
the worker falls a whole ring behind. Such underruns are counted.
"""

from __future__ import annotations

import copy
import threading

import numpy as np

from cowrite.audio.metronome import with_metronome
from cowrite.audio.stream import BlockRenderer
from cowrite.edit.suggestion_commands import REPLACE, accept_outcome
from cowrite.model import PPQ, Note, Origin, Song, Suggestion, Track


def audition_song(song: Song, suggestion: Suggestion, context: bool = True, mode: str = REPLACE) -> Song:
    """A render-only copy of `song` as accepting the whole pending suggestion in `mode` would leave it.

    The target track's notes and the chord lane come from the same decision the
    accept command makes (`accept_outcome`), so the audition cannot disagree with
    the accept: replaced notes are gone, duplicates merged. With `context` off
    only the target track plays. The copy is never saved and never passes
    through the document: nothing in the song changes until the person accepts.
    """
    outcome = accept_outcome(song, suggestion, mode=mode)
    target = song.track(suggestion.track_id)
    heard = copy.copy(target)
    heard.id, heard.mute, heard.solo = f"audition:{suggestion.id}", False, False  # the id says it is an audition
    gone = {n.id for n in outcome.replaced}
    origin = Origin(suggestion.assistant, suggestion.id)
    heard.notes = {n.id: n for n in target.notes.values() if n.id not in gone}
    heard.notes.update({-i - 1: Note(-i - 1, *suggestion.notes[i], origin) for i in outcome.placed})
    tracks = [heard if t is target else t for t in song.tracks] if context else [heard]
    return Song(title=song.title, tempo=song.tempo, meter=song.meter, key=song.key, length_bars=song.length_bars,
                chords=list(outcome.lane), tracks=tracks)


class Player:
    def __init__(self, output, sample_rate: int = 48000, block: int = 256, ahead: int = 32, threaded: bool = True):
        self.output, self.sample_rate, self.block = output, sample_rate, block
        self._ring = np.zeros((block * ahead, 2), np.float32)
        self._origins = np.zeros(ahead, np.int64)  # song frame at the start of each ring block
        self._written = self._read = 0  # frames, ever increasing: written by the worker, read by the callback
        self.underruns = 0
        self.playing = False
        self._loop: tuple[int, int] | None = None
        self._renderer: BlockRenderer | None = None
        self._song: Song | None = None
        self.metronome = False
        #: a sound to hear once over whatever plays (a key of the piano roll, a sample in the browser)
        self._preview: np.ndarray | None = None
        self._preview_at = 0
        #: the track whose instrument plays previewed notes (the session sets it to the current track)
        self.preview_track: Track | None = None
        self._lock = threading.Lock()  # between the UI thread and the worker; never taken by the callback
        self._wake = threading.Event()
        self._worker = threading.Thread(target=self._run, name="audio render-ahead", daemon=True) if threaded else None
        self._running = threaded
        if self._worker:
            self._worker.start()
        output.start(self._callback, sample_rate, block)

    # -- controls (UI thread) ---------------------------------------------------------

    def load(self, song: Song) -> None:
        """Play `song` from now on (after an edit, or an audition) without a gap.

        What is already rendered ahead keeps playing; the new song takes over
        where it ends, so an edit is heard within one ring (about 170 ms) and
        never costs an underrun.
        """
        renderer = BlockRenderer(with_metronome(song) if self.metronome else song, self.sample_rate)
        with self._lock:
            renderer.seek(self._renderer.position if self._renderer else 0)
            self._song, self._renderer = song, renderer

    def set_metronome(self, on: bool) -> None:
        self.metronome = on
        if self._song is not None:
            self.load(self._song)

    def play(self) -> None:
        """Start with the ring full, so the first callback already has sound to give."""
        self.fill()
        self.playing = True
        self._wake.set()

    def stop(self) -> None:
        self.playing = False

    def seek(self, tick: int) -> None:
        with self._lock:
            if self._song is not None:
                self._restart(round(self._song.tempo.seconds_at(tick) * self.sample_rate))

    def set_loop(self, start_tick: int | None, end_tick: int | None = None) -> None:
        """Loop [start_tick, end_tick); None turns looping off."""
        with self._lock:
            if start_tick is None or self._song is None:
                self._loop = None
                return
            seconds = self._song.tempo.seconds_at
            self._loop = (round(seconds(start_tick) * self.sample_rate), round(seconds(end_tick) * self.sample_rate))

    @property
    def warnings(self) -> list[str]:
        """What the loaded song cannot play as asked (a missing sample, say), to show the person."""
        return self._renderer.warnings if self._renderer else []

    def preview(self, audio: np.ndarray, sample_rate: int) -> None:
        """Hear `audio` (frames, channels) once, now, mixed over the song."""
        audio = np.asarray(audio, np.float32)
        audio = audio[:, None] if audio.ndim == 1 else audio
        audio = np.repeat(audio[:, :1], 2, axis=1) if audio.shape[1] == 1 else audio[:, :2]
        if sample_rate != self.sample_rate:
            length = round(len(audio) * self.sample_rate / sample_rate)
            where = np.arange(length) * (sample_rate / self.sample_rate)
            audio = np.stack([np.interp(where, np.arange(len(audio)), audio[:, c]) for c in (0, 1)], axis=1)
        self._preview_at = 0
        self._preview = np.ascontiguousarray(audio, np.float32)

    def preview_note(self, pitch: int, velocity: int = 100) -> None:
        """Hear one note on the preview track's instrument (the piano roll's keyboard)."""
        from cowrite.audio.render import render_song

        track = self.preview_track or Track("preview", "Preview")
        one = copy.copy(track)
        one.id, one.mute, one.solo, one.volume, one.pan = "preview", False, False, 0.8, 0.0
        one.notes = {1: Note(1, pitch, 0, PPQ // 2, velocity, Origin("preview"))}
        song = Song(tracks=[one], length_bars=1, meter=self._song.meter if self._song else Song().meter)
        audio = render_song(song, self.sample_rate, stems=False).audio
        self.preview(audio[: self.sample_rate], self.sample_rate)

    @property
    def position(self) -> int:
        """The tick being heard now (the playhead)."""
        if self._song is None:
            return 0
        read = self._read
        slot = (read // self.block) % len(self._origins)
        frame = max(0, self._origins[slot] + read % self.block - self._renderer.latency)
        return self._song.tempo.tick_at(frame / self.sample_rate)

    def close(self) -> None:
        self.playing = self._running = False
        self._wake.set()
        self.output.stop()

    # -- rendering ahead (worker thread) -------------------------------------------------

    def _restart(self, frame: int) -> None:
        """Drop what was rendered ahead and render from song `frame` (lock held)."""
        self._renderer.seek(frame)
        self._written = self._read = (self._read // self.block + 1) * self.block

    def fill(self) -> None:
        """Render blocks until the ring is full (the worker's job; tests call it directly)."""
        with self._lock:
            capacity = len(self._ring)
            while self._renderer is not None and self._written - self._read <= capacity - self.block:
                if self._loop and self._renderer.position >= self._loop[1]:
                    self._renderer.seek(self._loop[0])
                slot = (self._written // self.block) % len(self._origins)
                self._origins[slot] = self._renderer.position
                start = self._written % capacity
                self._ring[start:start + self.block] = self._renderer.render_block(self.block)
                self._written += self.block

    def _run(self) -> None:
        while self._running:
            if self.playing:
                self.fill()
            self._wake.wait(self.block / self.sample_rate * 4)
            self._wake.clear()

    # -- the audio callback (the device's thread) -----------------------------------------

    def _callback(self, out: np.ndarray, frames: int) -> None:
        self._play_song(out, frames)
        preview = self._preview  # read once: the UI thread may swap it at any time
        if preview is not None:
            at = self._preview_at
            part = preview[at:at + frames]
            out[:len(part)] += part
            self._preview_at = at + frames
            if self._preview_at >= len(preview) and self._preview is preview:
                self._preview = None

    def _play_song(self, out: np.ndarray, frames: int) -> None:
        if not self.playing:
            out.fill(0)
            return
        if self._written - self._read < frames:
            out.fill(0)
            self.underruns += 1
            self._wake.set()
            return
        capacity = len(self._ring)
        start = self._read % capacity
        first = min(frames, capacity - start)
        out[:first] = self._ring[start:start + first]
        out[first:] = self._ring[:frames - first]
        self._read += frames
        self._wake.set()
