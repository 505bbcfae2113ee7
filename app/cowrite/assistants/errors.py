"""The one error the assistants layer raises: an assistant cannot be found or gave no usable suggestion."""


class AssistantError(Exception):
    """An assistant cannot be found or did not produce a usable suggestion; `str()` is one line for the person."""
