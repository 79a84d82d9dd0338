"""Service entry point: Kodi runs this file once at start, with sys.argv == ['']."""

from resources.lib.example import service

service.run()
