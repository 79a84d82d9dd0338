"""The same operations against a real Kodi 20: Debian's kodi under Xvfb, driven over JSON-RPC on loopback.

Test side, beside fake_kodi.host: RealKodi (driver) installs an add-on zip into a fresh real
Kodi home and runs plugin URLs and its service there; `fake-kodi real run|debug` is cli.

May import: fake_kodi.real, trakt_cassettes (the simulator or a replay server for `real debug`), and
fake_kodi.addon_side.dialogs (the scripted-answer syntax, shared with `fake-kodi run`).
May be imported by: fake_kodi.cli (`fake-kodi real ...`) and tests; never by fake_kodi.addon_side
or fake_kodi.home.
"""
