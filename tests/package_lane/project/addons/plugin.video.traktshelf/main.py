"""Plugin entry point: Kodi runs this file for every plugin:// call."""

import sys

from resources.lib.traktshelf import routes

routes.run(sys.argv)
