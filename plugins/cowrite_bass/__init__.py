"""The built-in bass assistant (registered through the cowrite.assistants entry point).

styles.py holds the seven styles as data; rhythm.py decides where notes fall
(chord changes, the kick, the style's fills); line.py decides what each note
plays; assistant.py reads the request and explains the result.
"""

from cowrite_bass.assistant import BassAssistant

__all__ = ["BassAssistant"]
