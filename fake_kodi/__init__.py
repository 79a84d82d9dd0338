"""fake_kodi: Kodi's Python API and runtime, emulated faithfully for tests and debugging."""

__version__ = "0.1.0"
