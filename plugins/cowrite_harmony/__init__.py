"""The built-in harmony assistant (registered through the cowrite.assistants entry point)."""

from cowrite_harmony.assistant import HarmonyAssistant

__all__ = ["HarmonyAssistant"]
