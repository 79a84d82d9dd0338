"""The test side: the process that holds the Kodi home and drives the add-on's interpreters.

plugin_runner runs one plugin:// call in a fresh interpreter and folds what it reported into a
PluginResult; service_driver starts the service's interpreter and drives it on the virtual clock
(ServiceProcess: advance, events, abort); call runs one add-on function (`fake-kodi call`);
results holds the dataclasses all three return; addon_folder zips an add-on source folder for
installing. Each writes a spec for
`python -m fake_kodi.addon_side.bootstrap` and reads back JSON; nothing here runs add-on code.
zygote starts those interpreters by forking a pre-imported one (FAKE_KODI_ZYGOTE=0: a new one each);
zygote_process does it for the service, whose stdin/stdout are pipes to the driver.
The front doors over it are fake_kodi.kodi (Kodi), fake_kodi.cli and fake_kodi.pytest_plugin.

May import: fake_kodi.host, fake_kodi.home, and fake_kodi.addon_side for the names both sides
share (FakeKodiError, dialog answers, the call target, ABORT_LIMIT_MS).
May be imported by: the front doors (fake_kodi.kodi, cli, pytest_plugin, demo), trakt_cassettes and
tests; never by fake_kodi.addon_side or fake_kodi.home (tests/fake_kodi/test_layout.py checks it).
"""
