import pytest

from cowrite.model import PPQ, MeterChange, MeterMap, TempoChange, TempoMap
from cowrite.model.timing import parse_meter


def test_seconds_follow_tempo_changes():
    tempo = TempoMap([TempoChange(0, 120.0), TempoChange(4 * PPQ, 60.0)])
    assert tempo.seconds_at(PPQ) == pytest.approx(0.5)
    assert tempo.seconds_at(4 * PPQ) == pytest.approx(2.0)
    assert tempo.seconds_at(5 * PPQ) == pytest.approx(3.0)
    assert tempo.bpm_at(4 * PPQ - 1) == 120.0 and tempo.bpm_at(4 * PPQ) == 60.0


def test_tempo_map_always_starts_at_zero():
    assert TempoMap([TempoChange(960, 90.0)]).changes[0] == TempoChange(0, 90.0)
    assert TempoMap([]).changes == [TempoChange(0, 120.0)]


def test_bars_follow_meter_changes():
    meter = MeterMap([MeterChange(0, 4, 4), MeterChange(2 * 4 * PPQ, 3, 4)])
    assert meter.bar_start(2) == 8 * PPQ
    assert meter.bar_start(3) == 11 * PPQ
    assert meter.bar_at(11 * PPQ) == 3
    assert meter.bar_at(11 * PPQ - 1) == 2
    assert meter.bars_to_cover(11 * PPQ + 1) == 4
    assert MeterChange(0, 6, 8).bar_ticks == 3 * PPQ


@pytest.mark.parametrize("text", ["4", "4/3", "0/4", "x/y", "4/4/4"])
def test_bad_meters_are_refused(text):
    with pytest.raises(ValueError):
        parse_meter(text)
