"""Fakes adapter authors reuse: a FakeClock and the transcript runner."""

from docclub.testing.clock import FakeClock

__all__ = ["FakeClock"]
