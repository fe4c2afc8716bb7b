import gc

from dangjian.core import gcpause


def test_nested_pauses_give_the_collector_back_when_the_last_ends():
    assert gc.isenabled()
    with gcpause.collector_paused():
        assert not gc.isenabled()
        with gcpause.collector_paused():  # a second render or refresh under way in another thread
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled() and gcpause._pauses == 0


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    try:
        with gcpause.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
