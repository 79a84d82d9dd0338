"""Pattern (e): a first-run dialog (yesno, then ok) whose answer is written to a setting; settings opened modally."""

import sys

import xbmcaddon
import xbmcgui
import xbmcplugin

BASE, HANDLE, QUERY = sys.argv[0], int(sys.argv[1]), sys.argv[2]


def welcome(addon):
    extras = xbmcgui.Dialog().yesno("Welcome", "Turn the extras on?", nolabel="Plain", yeslabel="Extras")
    xbmcgui.Dialog().ok("Welcome", "Extras on." if extras else "Plain it is.")
    addon.setSetting("mode", "extras" if extras else "plain")
    addon.setSettingBool("welcomed", True)


def main():
    if QUERY == "?page=open":
        # Modal: returns (None) only once the user closes the settings dialog. (No sys.exit() after it:
        # Kodi 20 logs the SystemExit traceback at error level; pattern (i) covers that.)
        shown = xbmcaddon.Addon().openSettings()
        labels = [f"openSettings returned {shown}"]
    else:
        addon = xbmcaddon.Addon()
        if QUERY != "?page=settings" and not addon.getSettingBool("welcomed"):
            welcome(addon)
            addon = xbmcaddon.Addon()  # a fresh snapshot: the first one still holds the old values
        labels = [f"{key}={addon.getSetting(key)}" for key in ("welcomed", "mode")]
    for label in labels:
        xbmcplugin.addDirectoryItem(HANDLE, BASE + "?page=settings", xbmcgui.ListItem(label), True)
    xbmcplugin.endOfDirectory(HANDLE)


main()
