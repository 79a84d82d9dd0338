"""State on disk: one Kodi home folder and every file in it that both sides read and write.

The test side and each add-on interpreter are separate processes; all they share is this folder:
the layout and special:// paths (kodi_home), installed add-ons and their addon.xml (addons,
addon_manifest), settings (settings, settings_schema), strings (strings, core_strings), kodi.log
(kodi_log), Window properties and handles (shared_state), the event journal that reaches a running
service (event_journal) and the virtual clock file (clock).

May import: the standard library and fake_kodi.home only.
May be imported by: anything (the add-on side, the test side, trakt_cassettes, tests).
"""
