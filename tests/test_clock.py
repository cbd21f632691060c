from voice.clock import MonotonicClock, VirtualClock


def test_virtual_clock_moves_only_forward():
    clock = VirtualClock()
    clock.advance_to(2.5)
    clock.advance_to(1.0)
    clock.sleep_until(3.0)
    clock.advance(-1.0)
    assert clock.now() == 3.0


def test_monotonic_clock_sleeps_until_deadline():
    clock = MonotonicClock()
    deadline = clock.now() + 0.05
    clock.sleep_until(deadline)
    assert clock.now() >= deadline
