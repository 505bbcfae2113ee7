"""The transport: play, stop, seek, loop a range, audition a suggestion in context, and keys played live.

A worker thread does all the work: it builds the renderer of each song
`load()` hands it (after every edit, off the UI thread), lets it take over
seamlessly from the one playing, renders ahead into a ring buffer, renders
previewed notes, and keeps the keys held on a MIDI keyboard rendered a little
ahead. The output's callback only copies from the ring, adds previews and keys,
and moves counters (no locks, no rendering, no new buffers), so a busy UI or
an assistant at work cannot cause a dropout unless the worker falls a whole
ring behind. Such underruns are counted.

Threads share state by swapping references (a song wanted, a tuple of keys, a
key's window of audio): each side reads a reference once and works on what
it got, so nothing the callback does ever waits.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass

import numpy as np

from cowrite.audio.metronome import with_metronome
from cowrite.audio.mixer import channel_gains
from cowrite.audio.output import NullOutput
from cowrite.audio.render import render_song
from cowrite.audio.schedule import schedule
from cowrite.audio.song_samples import load_song_samples
from cowrite.audio.stream import BlockRenderer
from cowrite.audio.voice import Engine
from cowrite.edit.suggestion_commands import REPLACE, accept_outcome
from cowrite.model import PPQ, Note, Origin, Song, Suggestion, Track

#: blocks whose (output frame, song frame) the callback keeps, so `position_at` can look back past the latency
HISTORY = 128
#: the newest blocks of HISTORY that are read: the rest may be being overwritten by a burst of pulls
HISTORY_READ = 96
#: frames of a live key rendered at a time; the worker renders the next while half of one is still to play
KEY_WINDOW = 8192
#: how far past what the output has taken a key's release starts: the release is rendered before it is due
RELEASE_MARGIN = 1024
#: a key held with no note-off yet: its gate, in samples
HELD = 1 << 40


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


@dataclass
class _Key:
    """A key played live (`Player.monitor_on`): one voice, rendered a window at a time.

    `window` is (the voice's sample at its first frame, (frames, 2) audio with
    the track's gains), swapped whole by the worker or a note-off; `cursor`
    is the voice's next sample to play, moved only by the output's callback.
    """

    pitch: int
    engine: Engine
    program: int
    velocity: int
    gains: np.ndarray  # (1, 2) float32
    gate: int  # samples held: HELD until note-off (a drum's one-shot gate never changes)
    length: int  # samples from note-on until silent, given `gate`
    rings_out: bool  # a drum hit: note-off does not cut it
    window: tuple[int, np.ndarray] = (0, np.zeros((0, 2), np.float32))
    cursor: int = 0

    def render(self, start: int, frames: int) -> np.ndarray:
        """Samples [start, start + frames) of the voice (cut at its length), (frames, 2) float32."""
        n = np.arange(start, min(start + frames, self.length))
        return self.engine.render(n, self.program, self.pitch, self.velocity, self.gate)[:, None] * self.gains

    @property
    def silent(self) -> bool:
        return self.cursor >= self.length


class Player:
    """Plays songs through `output` at `sample_rate` (None: the output's own rate), `block` frames a pull."""

    def __init__(self, output, block: int = 256, sample_rate: int | None = None, ahead: int = 32,
                 threaded: bool = True):
        sample_rate = output.preferred_rate() if sample_rate is None else sample_rate
        if not (8000 <= sample_rate <= 384000 and 16 <= block <= 8192):  # Player(output, 48000, 256) reads wrongly
            raise ValueError(f"Player(output, block={block}, sample_rate={sample_rate}): "
                             "block is 16..8192 frames and the rate 8..384 kHz")
        self.output, self.sample_rate, self.block = output, sample_rate, block
        self._ring = np.zeros((block * ahead, 2), np.float32)
        self._origins = np.zeros(ahead, np.int64)  # song frame at the start of each ring block
        self._written = self._read = 0  # frames, ever increasing: written by the worker, read by the callback
        self._flowing = False  # the ring has played since play or seek: from now on an empty ring is an underrun
        self.underruns = 0
        self.playing = False
        self._loop: tuple[int, int] | None = None
        self._renderer: BlockRenderer | None = None
        self._song: Song | None = None  # the song last loaded (what seek and loop convert ticks with)
        self._wanted: tuple[Song, bool] | None = None  # (song, metronome) for the worker to build
        self._built: tuple[Song, bool] | None = None  # the one whose renderer plays
        self._start = 0  # song frame to start from, when seek comes before the first renderer
        self.metronome = False
        #: a sound to hear once over whatever plays (a key of the piano roll, a sample in the browser)
        self._preview: np.ndarray | None = None
        self._preview_at = 0
        self._note_wanted: tuple | None = None  # (pitch, velocity, track) for the worker to render
        self._note_done: tuple | None = None
        #: the track whose instrument plays previewed notes (the session sets it to the current track)
        self.preview_track: Track | None = None
        self._keys: tuple[_Key, ...] = ()
        self._instruments: dict[int, tuple[Track, object]] = {}  # id(track) -> (track, its samples)
        # what the callback heard, block by block: output frame, song frame, and whether the song moved
        self._heard_out = np.zeros(HISTORY, np.int64)
        self._heard_song = np.zeros(HISTORY, np.int64)
        self._heard_moving = np.zeros(HISTORY, np.bool_)
        self._blocks = self._pulled = self._next = 0
        self._lock = threading.Lock()  # between the UI thread and the worker; never taken by the callback
        self._keys_lock = threading.Lock()  # between whoever plays keys and the worker; never the callback
        self._built_changed = threading.Condition()
        self._wake = threading.Event()
        self._worker = threading.Thread(target=self._run, name="audio render-ahead", daemon=True) if threaded else None
        self._running = threaded
        if self._worker:
            self._worker.start()
        self._start_output()

    def _start_output(self) -> None:
        """Start the output; if it will not start (a rate it refuses, a device gone), keep time on a silent one."""
        try:
            self.output.start(self._callback, self.sample_rate, self.block)
        except Exception as e:  # PortAudioError, or anything else a driver raises: never a traceback
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            self.output = NullOutput(f"no audio playback: {getattr(self.output, 'name', 'the output')} "
                                     f"would not start ({first}). Everything else works.")
            self.output.start(self._callback, self.sample_rate, self.block)

    # -- controls (UI thread) ---------------------------------------------------------

    def load(self, song: Song) -> None:
        """Play `song` from now on (after an edit, or an audition) without a gap; returns at once.

        The worker builds the song's renderer and lets it take over where the
        rendering ahead has got to (`BlockRenderer.take_over`), so an edit is
        heard within one ring (about 170 ms), never costs an underrun, and the
        UI thread never waits for voices to be scheduled or samples loaded.
        """
        self._song = song
        self._wanted = (song, self.metronome)
        self._wake.set()

    def set_metronome(self, on: bool) -> None:
        self.metronome = on
        if self._song is not None:
            self.load(self._song)

    def wait_until_loaded(self, timeout: float | None = None) -> bool:
        """Until the song last loaded plays (its renderer built); False if `timeout` seconds pass first."""
        if self._worker is None:
            self._build_wanted()
        with self._built_changed:
            return self._built_changed.wait_for(lambda: self._built is self._wanted, timeout)

    def play(self) -> None:
        """Play from where the music is; the output plays silence until the ring is half full."""
        self._flowing = False
        if self._worker is None:
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
        """What the loaded song cannot play as asked (a missing sample, say), to show the person.

        Waits (a few seconds at most) for the song last loaded to be built: its warnings are found then.
        """
        self.wait_until_loaded(timeout=10)
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
        """Hear one note on the preview track's instrument (the piano roll's keyboard); the worker renders it."""
        self._note_wanted = (pitch, velocity, self.preview_track)
        self._wake.set()

    # -- live keys (a MIDI keyboard's thread, or the UI) ------------------------------------

    def monitor_on(self, pitch: int, velocity: int, track: Track | None = None) -> None:
        """Sound `pitch` now on `track`'s instrument (default: the preview track), over whatever plays.

        Mixed at the output end, like a preview, so it is heard at the next
        block the output takes, not after the render-ahead ring. Keys add up:
        a chord sounds as a chord. The same key again restarts it.
        """
        key = self._new_key(pitch, velocity, track or self.preview_track or Track("preview", "Preview"))
        if key is None:
            return
        key.window = (0, key.render(0, KEY_WINDOW))
        with self._keys_lock:
            for old in self._keys:
                if old.pitch == pitch:
                    self._release(old)
            self._keys = (*(k for k in self._keys if not k.silent), key)

    def monitor_off(self, pitch: int) -> None:
        """Release `pitch`: its release starts a moment from now (RELEASE_MARGIN) and fades out; drums ring out."""
        with self._keys_lock:
            for key in self._keys:
                if key.pitch == pitch:
                    self._release(key)

    def _new_key(self, pitch: int, velocity: int, track: Track) -> _Key | None:
        """A key on `track`'s instrument, as the track would play the note (None: a drum key with no sound)."""
        one = copy.copy(track)
        one.notes = {1: Note(1, pitch, 0, PPQ, velocity, Origin("monitor"))}
        voices = schedule(one, Song().tempo, self._samples_of(track))
        if not len(voices.onset):
            return None
        rings_out = track.is_drums
        gate = int(voices.gate[0]) if rings_out else HELD
        program = int(voices.program[0])
        length = int(voices.engine.length(program, pitch, gate))
        gains = np.array([channel_gains(track)], np.float32)
        return _Key(pitch, voices.engine, program, velocity, gains, gate, length, rings_out)

    def _samples_of(self, track: Track):
        """The track's samples (kit, pads, keyboard sample), loaded once per version of the track."""
        known = self._instruments.get(id(track))
        if known is None or known[0] is not track:
            known = (track, load_song_samples([track], self.sample_rate))
            self._instruments = {id(track): known}  # only the track being played: older versions go
        return known[1]

    def _release(self, key: _Key) -> None:
        """Note-off for `key` (keys lock held): the rest of its window is rendered again with the gate closed."""
        if key.rings_out or key.gate != HELD:
            return
        start, audio = key.window
        cursor = key.cursor
        off = min(cursor + RELEASE_MARGIN, start + len(audio))
        key.gate = off
        key.length = int(key.engine.length(key.program, key.pitch, off))
        key.window = (cursor, np.concatenate([audio[cursor - start:off - start], key.render(off, KEY_WINDOW)]))

    # -- where the music is -------------------------------------------------------------------

    @property
    def position(self) -> int:
        """The tick being heard now (the playhead)."""
        return self.position_at(self.output.clock())

    def position_at(self, t: float) -> int:
        """The song tick heard at time `t` (on the output's clock: time.monotonic for a device).

        Interpolated from the output's last pull (its `stamp`) at the sample
        rate, and corrected by the output's latency and the limiter's, so a
        MIDI message can be placed to within a millisecond, between blocks too.
        """
        renderer = self._renderer
        if renderer is None:
            return 0
        frame = self._frame_heard_at(t) - renderer.latency
        return renderer.tempo.tick_at(max(0, frame) / self.sample_rate)

    @property
    def finished(self) -> bool:
        """All of the song has been heard, the last notes' releases included (the end of `cowrite play`)."""
        renderer = self._renderer
        return (renderer is not None and self._built is self._wanted
                and self._frame_heard_at(self.output.clock()) - renderer.latency >= renderer.end)

    def _frame_heard_at(self, t: float) -> int:
        """The renderer frame (before the limiter's delay) reaching the ear at `t`."""
        stamp_time, stamp_frame = self.output.stamp
        ahead = min(round((t - stamp_time) * self.sample_rate), self.block)  # never past the block pulled
        out_frame = stamp_frame + ahead - self.output.latency_frames
        count = self._blocks
        oldest = max(0, count - HISTORY_READ)
        for k in range(count - 1, oldest - 1, -1):
            i = k % HISTORY
            if self._heard_out[i] <= out_frame or k == oldest:
                moved = out_frame - self._heard_out[i] if self._heard_moving[i] else 0
                return int(self._heard_song[i]) + max(0, moved)
        return self._next

    def close(self) -> None:
        self.playing = self._running = False
        self._wake.set()
        if self._worker is not None:
            self._worker.join(timeout=5)
        self.output.stop()

    # -- the worker's jobs -----------------------------------------------------------------

    def _restart(self, frame: int) -> None:
        """Drop what was rendered ahead and render from song `frame` (lock held)."""
        if self._renderer is None:
            self._start = frame
        else:
            self._renderer.seek(frame)
        self._written = self._read = (self._read // self.block + 1) * self.block
        self._next, self._flowing = frame, False

    def fill(self) -> None:
        """All the worker does, once: take over a loaded song, render a previewed note, keep keys ahead,
        and render blocks until the ring is full (tests without a worker call it directly)."""
        self._prepare()
        self._fill_ring()

    def _prepare(self) -> None:
        self._build_wanted()
        self._render_wanted_note()
        self._keep_keys_ahead()

    def _build_wanted(self) -> None:
        """Build the renderer of the song last loaded and let it take over from the one playing."""
        wanted = self._wanted
        if wanted is None or wanted is self._built:
            return
        song, metronome = wanted
        renderer = BlockRenderer(with_metronome(song) if metronome else song, self.sample_rate)
        with self._lock:
            if self._renderer is None:
                renderer.seek(self._start)
            else:
                renderer.take_over(self._renderer)
            self._renderer = renderer
        with self._built_changed:
            self._built = wanted
            self._built_changed.notify_all()

    def _render_wanted_note(self) -> None:
        """The note `preview_note` asked for, rendered whole on the track's instrument, then previewed."""
        wanted = self._note_wanted
        if wanted is None or wanted is self._note_done:
            return
        pitch, velocity, track = wanted
        one = copy.copy(track or Track("preview", "Preview"))
        one.id, one.mute, one.solo, one.volume, one.pan = "preview", False, False, 0.8, 0.0
        one.notes = {1: Note(1, pitch, 0, PPQ // 2, velocity, Origin("preview"))}
        song = Song(tracks=[one], length_bars=1, meter=self._song.meter if self._song else Song().meter)
        audio = render_song(song, self.sample_rate, stems=False).audio
        self._note_done = wanted
        self.preview(audio[: self.sample_rate], self.sample_rate)

    def _keep_keys_ahead(self) -> None:
        """Render the next window of every key with less than half a window left; forget the silent ones."""
        with self._keys_lock:
            for key in self._keys:
                start, audio = key.window
                end, cursor = start + len(audio), key.cursor
                if end < key.length and end - cursor < KEY_WINDOW // 2:
                    key.window = (cursor, np.concatenate([audio[cursor - start:], key.render(end, KEY_WINDOW)]))
            if any(key.silent for key in self._keys):
                self._keys = tuple(key for key in self._keys if not key.silent)

    def _fill_ring(self) -> None:
        """Render blocks until the ring is full; a loop goes round at a block boundary, crossfaded."""
        with self._lock:
            capacity = len(self._ring)
            while self._renderer is not None and self._written - self._read <= capacity - self.block:
                if self._loop and self._renderer.position >= self._loop[1]:
                    self._renderer.jump(self._loop[0])
                slot = (self._written // self.block) % len(self._origins)
                self._origins[slot] = self._renderer.position
                start = self._written % capacity
                self._ring[start:start + self.block] = self._renderer.render_block(self.block)
                self._written += self.block

    def _run(self) -> None:
        while self._running:
            self._prepare()
            if self.playing:
                self._fill_ring()
            self._wake.wait(self.block / self.sample_rate * 4)
            self._wake.clear()

    # -- the audio callback (the output's thread) -----------------------------------------

    def _callback(self, out: np.ndarray, frames: int) -> None:
        self._play_song(out, frames)
        self._add_preview(out, frames)
        self._add_keys(out, frames)
        self._wake.set()

    def _play_song(self, out: np.ndarray, frames: int) -> None:
        """The ring's next block (or silence), noting which song frame this output block holds."""
        moving = self.playing and self._ring_ready(frames)
        if moving:
            capacity = len(self._ring)
            start = self._read % capacity
            first = min(frames, capacity - start)
            out[:first] = self._ring[start:start + first]
            out[first:] = self._ring[:frames - first]
            song_frame = int(self._origins[(self._read // self.block) % len(self._origins)]) + self._read % self.block
            self._read += frames
            self._next = song_frame + frames
        else:
            out.fill(0)
            song_frame = self._next
        i = self._blocks % HISTORY
        self._heard_song[i], self._heard_moving[i], self._heard_out[i] = song_frame, moving, self._pulled
        self._blocks += 1
        self._pulled += frames

    def _ring_ready(self, frames: int) -> bool:
        """Whether the ring holds the next block; once it has been flowing, a missing block is an underrun."""
        available = self._written - self._read
        if not self._flowing:
            if available < max(frames, len(self._ring) // 2):  # start on a half-full ring
                return False
            self._flowing = True
            return True
        if available < frames:
            self.underruns += 1
            return False
        return True

    def _add_preview(self, out: np.ndarray, frames: int) -> None:
        preview = self._preview  # read once: the UI thread may swap it at any time
        if preview is not None:
            at = self._preview_at
            part = preview[at:at + frames]
            out[:len(part)] += part
            self._preview_at = at + frames
            if self._preview_at >= len(preview) and self._preview is preview:
                self._preview = None

    def _add_keys(self, out: np.ndarray, frames: int) -> None:
        for key in self._keys:  # a tuple, swapped whole by the other threads
            start, audio = key.window
            at = key.cursor - start
            part = audio[at:at + frames]
            out[:len(part)] += part
            key.cursor += frames
