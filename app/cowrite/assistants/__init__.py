"""Assistants: the plugin API (see `api`), discovery through entry points, and a safe runner."""
