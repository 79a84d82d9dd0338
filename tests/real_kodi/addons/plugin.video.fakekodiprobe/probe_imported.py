"""A module the probe imports from its own folder, to see whether Kodi leaves a bytecode cache beside it."""

IMPORTED = True
