"""MIDI input without Qt: which MIDI system and keyboard to use, and how played keys become notes.

A layer beside `audio`, below `ui`:

- `system`: the MIDI system (ALSA, JACK, CoreMIDI, Windows MM) chosen by
  preference or environment, the keyboards it lists (scanned afresh each
  time) and an open keyboard that times each message the moment it arrives.
- `take`: the pure part of recording: parsed note messages, timed in song
  ticks, become notes (no stuck notes, pulled to the nearest grid line).
- `live`: one keyboard bound to the song's clock (the player's `position_at`)
  and to the player's monitor voices; runs on the MIDI thread.
"""
