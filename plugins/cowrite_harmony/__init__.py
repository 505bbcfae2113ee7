"""The built-in harmony assistant (registered through the cowrite.assistants entry point)."""
