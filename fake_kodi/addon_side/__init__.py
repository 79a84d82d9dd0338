"""The add-on side: what runs inside each fresh add-on interpreter (a plugin call, the service, a call).

bootstrap (`python -m fake_kodi.addon_side.bootstrap`) reads the spec the test side wrote and runs
its mode: a plugin call, the service (service_mode: its waits on the virtual clock the test
drives) or a `fake-kodi call` (call_mode); with `--zygote` it first becomes the zygote
(zygote), which forks a fresh-looking interpreter per call. interpreter makes the interpreter Kodi's for the add-on;
runtime is the Session (session) behind the Kodi API, with kodi_info answering builtins, info
labels and JSON-RPC, and dialogs answering scripted dialogs. kodi_api/ is a plain folder, not a
package: the interpreter puts it first on the add-on's sys.path, so `import xbmc` finds the fake
modules there, which reach the runtime only through session.current().

May import: fake_kodi.addon_side and fake_kodi.home only, never the test side (fake_kodi.host,
fake_kodi.kodi, cli, pytest_plugin, demo, real): the add-on's interpreter must not load the harness
that drives it (tests/fake_kodi/test_layout.py checks it).
May be imported by: the test side, for the names both sides share (FakeKodiError, dialog answers,
the call target, ABORT_LIMIT_MS), and tests.
"""
