"""The built-in drums assistant (registered through the cowrite.assistants entry point)."""
