"""Service entry point: Kodi runs this file once at start."""

from resources.lib.historymirror import service

service.run()
