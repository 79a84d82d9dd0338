"""fake_kodi: Kodi's Python API and runtime, emulated faithfully for tests and debugging.

Every operation has two sides, in two processes, that share only files of one Kodi home:
  host/        the test side: runs plugin calls, drives the service, calls add-on functions
  addon_side/  the add-on side: the fresh interpreter (bootstrap, the Session behind the xbmc*
               modules in addon_side/kodi_api/, the service's waits on the virtual clock)
  home/        the state on disk both share: layout, add-ons, settings, strings, kodi.log,
               Window properties, the event journal, the virtual clock file
  real/        the same operations against a real Kodi 20
The front doors are on the test side: kodi.py (`Kodi`, the Python API), cli.py (`fake-kodi`),
pytest_plugin.py (the `kodi`, `kodi_home` and `addon_zip` fixtures), demo.py.

Imports point one way: front doors -> host -> addon_side -> home. tests/fake_kodi/test_layout.py
fails on an import circle or when the add-on side imports the test side. This file imports
nothing, so the add-on's interpreter loads only what it needs.
"""
