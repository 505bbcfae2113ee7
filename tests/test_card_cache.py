"""Cards kept between starts: a later discovery lists the assistants without starting their workers,
and a plugin whose files change is asked again."""

from __future__ import annotations

import os

import pytest

from cowrite.assistants import card_cache, registry, sandbox


@pytest.fixture
def fresh():
    sandbox.stop_all()
    registry.discover.cache_clear()
    yield
    sandbox.stop_all()
    registry.discover.cache_clear()


def test_a_second_start_lists_the_built_ins_from_the_cache_without_a_worker(fresh):
    first = registry.discover()
    assert [e.name for e in first if not e.broken] == ["bass", "drums", "harmony"]
    assert set(card_cache.load()) == {e.target for e in first}
    sandbox.stop_all()
    registry.discover.cache_clear()
    again = registry.discover()
    assert [e.assistant.card for e in again] == [e.assistant.card for e in first]
    assert sandbox.running() == []  # nothing imported: the cards came from the cache
    drums = registry.find("drums")
    assert drums.card.id == "drums"


def test_a_changed_plugin_file_is_asked_again(fresh, tmp_path):
    registry.discover()
    entry = next(ep for ep in registry.entry_points(group=registry.GROUP) if ep.name == "drums")
    before = card_cache.key(entry)
    module_file = card_cache._files("cowrite_drums")[0][0]
    stat = os.stat(module_file)
    try:
        os.utime(module_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert card_cache.key(entry) != before
    finally:
        os.utime(module_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert card_cache.key(entry) == before


def test_an_unreadable_cache_is_an_empty_one(fresh):
    card_cache.path().parent.mkdir(parents=True, exist_ok=True)
    card_cache.path().write_bytes(b"{not json")
    assert card_cache.load() == {}
    assert not any(e.broken for e in registry.discover())
