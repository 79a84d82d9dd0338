"""Service entry point: Kodi runs this file once at start."""

from resources.lib.watchlistdemo import service

service.run()
