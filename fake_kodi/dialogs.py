"""Deprecated: moved to fake_kodi.addon_side.dialogs (issue 16); this path goes in the next release."""

import sys

from fake_kodi._moved import moved_module

sys.modules[__name__] = moved_module(__name__)
