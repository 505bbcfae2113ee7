"""The built-in bass assistant (registered through the cowrite.assistants entry point)."""
