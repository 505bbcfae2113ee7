"""Misbehaving assistant plugins, run for real in sandbox workers by tests/test_sandbox.py."""
