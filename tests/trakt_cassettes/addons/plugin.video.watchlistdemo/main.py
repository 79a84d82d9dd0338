"""Plugin entry point: Kodi runs this file for every plugin:// call."""

import sys

from resources.lib.watchlistdemo import plugin

plugin.run(sys.argv)
