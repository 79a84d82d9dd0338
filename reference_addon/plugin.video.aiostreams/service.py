"""Service entry point: Kodi starts this file once at login and aborts it at quit."""

import os
import sys

# Kodi puts only the add-on folder on sys.path; the code lives in resources/lib.
LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resources", "lib")
if LIB not in sys.path:
    sys.path.insert(0, LIB)

from aiostreams import service  # noqa: E402

service.run()
