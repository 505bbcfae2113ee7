"""The error every refused command raises, with a message meant for the person."""


class EditError(ValueError):
    """A command that cannot be applied to this song; nothing was changed."""
