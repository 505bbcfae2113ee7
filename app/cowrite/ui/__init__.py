"""The studio window (PySide6): a view and controller over the document; it holds no song state."""
