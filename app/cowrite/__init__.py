"""Cowrite: write music together with AI assistants; every note remembers who wrote it."""

__version__ = "0.1.0"
