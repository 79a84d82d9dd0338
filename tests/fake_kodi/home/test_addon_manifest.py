"""parse_addon_xml and AddonManifest.info (getAddonInfo, KODI_BEHAVIOUR.md section 4)."""

from __future__ import annotations

import pytest

from fake_kodi.home.addons import ManifestError, Requirement, parse_addon_xml

from .conftest import addon_xml

SERVICE = (
    '<extension point="xbmc.python.pluginsource" library="addon.py"><provides>video executable</provides></extension>'
    '<extension point="xbmc.service" library="service.py"/>'
)


@pytest.fixture
def manifest(tmp_path):
    folder = tmp_path / "plugin.video.example"
    folder.mkdir()
    imports = '<import addon="script.module.requests" version="2.22.0" optional="true"/>'
    (folder / "addon.xml").write_text(addon_xml(imports=imports, extensions=SERVICE))
    return parse_addon_xml(folder / "addon.xml")


def test_identity_fields(manifest):
    assert (manifest.id, manifest.name, manifest.version, manifest.provider) == (
        "plugin.video.example",
        "Example",
        "1.0.0",
        "tester",
    )


def test_requirements_keep_version_and_optional(manifest):
    assert manifest.requires == [
        Requirement("xbmc.python", "3.0.1", False),
        Requirement("script.module.requests", "2.22.0", True),
    ]
    assert manifest.xbmc_python == "3.0.1"


def test_entry_points(manifest):
    assert (manifest.plugin_library, manifest.plugin_provides, manifest.service_library) == (
        "addon.py",
        ["video", "executable"],
        "service.py",
    )


def test_type_is_first_non_metadata_extension(manifest):
    assert manifest.info("type") == "xbmc.python.pluginsource"


def test_path_has_trailing_slash(manifest, tmp_path):
    assert manifest.info("path") == f"{tmp_path / 'plugin.video.example'}/"


def test_profile_is_untranslated_special_path(manifest):
    assert manifest.info("profile") == "special://profile/addon_data/plugin.video.example/"


def test_stars_is_minus_one(manifest):
    assert manifest.info("stars") == "-1"


def test_summary_and_icon_come_from_metadata(manifest, tmp_path):
    assert manifest.info("summary") == "An example"
    assert manifest.info("icon") == str(tmp_path / "plugin.video.example" / "resources" / "icon.png")


def test_unknown_info_key_raises_like_kodi(manifest):
    with pytest.raises(RuntimeError, match=r"^'libpath' is an invalid Id$"):
        manifest.info("libpath")


def test_service_start_attribute_is_noticed():
    xml = addon_xml(extensions='<extension point="xbmc.service" library="s.py" start="login"/>')
    manifest = parse_addon_xml(xml.encode())
    assert (manifest.has_service_start_attribute, manifest.service_start) == (True, "login")


def test_malformed_xml_is_rejected():
    with pytest.raises(ManifestError, match=r"^addon.xml is not valid XML"):
        parse_addon_xml(b"<addon id='x'")


def test_missing_version_is_rejected():
    with pytest.raises(ManifestError, match=r"^addon.xml <addon> lacks the attribute\(s\) version$"):
        parse_addon_xml(b'<addon id="plugin.x" name="X"/>')


def test_missing_file_is_rejected(tmp_path):
    with pytest.raises(ManifestError, match=r"^addon.xml is missing"):
        parse_addon_xml(tmp_path / "addon.xml")
