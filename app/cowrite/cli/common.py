"""What every `cowrite` subcommand shares: who is acting, and how JSON is printed."""

from __future__ import annotations

import sys

import orjson

from cowrite.attribution.actors import Actor


def author(args) -> Actor:
    """The person acting: --author, else $COWRITE_AUTHOR, the settings, or the login name."""
    from cowrite.settings import author_name

    return Actor.person(author_name(args.author))


def print_json(data) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
