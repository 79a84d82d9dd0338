"""Settings definitions shared by the settings tests."""

from __future__ import annotations

from fake_kodi.home.addons import parse_addon_xml

from .conftest import addon_xml

V1 = """<?xml version="1.0" encoding="utf-8"?>
<settings version="1">
  <section id="plugin.video.example">
    <category id="general" label="30000">
      <group id="1">
        <setting id="bool_t" type="boolean" label="1"><level>0</level><default>true</default><control type="toggle"/></setting>
        <setting id="int7" type="integer" label="2"><default>7</default>
          <constraints><minimum>0</minimum><step>1</step><maximum>10</maximum></constraints>
          <control type="slider" format="integer"/></setting>
        <setting id="num" type="number" label="3"><default>1.5</default><control type="edit" format="number"/></setting>
        <setting id="str" type="string" label="4"><default>abc</default><control type="edit" format="string"/></setting>
        <setting id="empty_s" type="string" label="5"><default/>
          <constraints><allowempty>true</allowempty></constraints><control type="edit" format="string"/></setting>
        <setting id="list_int" type="integer" label="6"><default>1</default>
          <constraints><options><option label="7">0</option><option label="8">1</option><option label="9">2</option></options></constraints>
          <control type="list" format="string"/></setting>
        <setting id="multi" type="list[string]" label="10"><default>x|y</default>
          <constraints><options><option label="11">x</option><option label="12">y</option><option label="13">z</option></options></constraints>
          <control type="list" format="string"><multiselect>true</multiselect></control></setting>
        <setting id="folder" type="path" label="14"><default>/tmp/</default><control type="button" format="path"/></setting>
        <setting id="do_it" type="action" label="15"><data>RunPlugin(plugin://plugin.video.example/x)</data>
          <control type="button" format="action"/></setting>
      </group>
    </category>
  </section>
</settings>
"""

LEGACY = """<settings>
  <category label="30000">
    <setting id="l_bool" type="bool" label="1" default="true"/>
    <setting type="sep"/>
    <setting id="l_number" type="number" label="2" default="5"/>
    <setting id="l_slider" type="slider" label="3" range="0,0.5,10" default="2.5"/>
    <setting id="l_islider" type="slider" label="4" range="0,1,10" option="int" default="3"/>
    <setting id="l_enum" type="enum" label="5" values="a|b|c" default="1"/>
    <setting id="l_labelenum" type="labelenum" label="6" values="a|b|c" default="b"/>
    <setting id="l_select" type="select" label="7" values="x|y" default="x"/>
    <setting id="l_text" type="text" label="8" default="hello"/>
    <setting id="l_action" type="action" label="9" action="RunPlugin(plugin://plugin.video.example/)"/>
  </category>
</settings>
"""


def make_addon(home, settings_xml: str | None):
    """Create plugin.video.example (unzipped) with the given resources/settings.xml."""
    folder = home.addons_dir / "plugin.video.example"
    (folder / "resources").mkdir(parents=True, exist_ok=True)
    (folder / "addon.xml").write_text(addon_xml())
    if settings_xml is not None:
        (folder / "resources" / "settings.xml").write_text(settings_xml)
    return parse_addon_xml(folder / "addon.xml")
