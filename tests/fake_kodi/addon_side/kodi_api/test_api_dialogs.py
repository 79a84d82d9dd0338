"""xbmcgui dialogs: scripted answers and Kodi 19+ return conventions."""


def test_yesno_returns_the_scripted_bool(kodi_api, session):
    session.answers["yesno"].append(True)
    assert kodi_api.xbmcgui.Dialog().yesno("Heading", "Message") is True


def test_yesno_passes_all_arguments_to_the_script(kodi_api, session):
    kodi_api.xbmcgui.Dialog().yesno("H", "M", "No", "Yes", 5, kodi_api.xbmcgui.DLG_YESNO_YES_BTN)
    assert session.dialogs == [
        (
            "yesno",
            {
                "heading": "H",
                "message": "M",
                "nolabel": "No",
                "yeslabel": "Yes",
                "autoclose": 5,
                "defaultbutton": 11,
            },
        )
    ]


def test_select_cancel_returns_minus_one(kodi_api):
    assert kodi_api.xbmcgui.Dialog().select("Pick", ["a", "b"]) == -1


def test_select_shows_listitem_labels(kodi_api, session):
    session.answers["select"].append(1)
    options = ["a", kodi_api.xbmcgui.ListItem("b")]
    assert kodi_api.xbmcgui.Dialog().select("Pick", options) == 1
    assert session.dialogs[0][1]["options"] == ["a", "b"]


def test_multiselect_cancel_returns_none(kodi_api):
    assert kodi_api.xbmcgui.Dialog().multiselect("Pick", ["a", "b"]) is None


def test_multiselect_returns_the_scripted_indexes(kodi_api, session):
    session.answers["multiselect"].append([0, 1])
    assert kodi_api.xbmcgui.Dialog().multiselect("Pick", ["a", "b"]) == [0, 1]


def test_input_cancel_returns_empty_string(kodi_api):
    assert kodi_api.xbmcgui.Dialog().input("Name") == ""


def test_yesnocustom_returns_the_scripted_button(kodi_api, session):
    session.answers["yesnocustom"].append(2)
    assert kodi_api.xbmcgui.Dialog().yesnocustom("H", "M", "Later") == 2


def test_ok_returns_true(kodi_api):
    assert kodi_api.xbmcgui.Dialog().ok("Heading", "Message") is True


def test_notification_records_kodis_defaults(kodi_api, session):
    kodi_api.xbmcgui.Dialog().notification("Sync", "Done")
    assert session.recorded("notification") == [
        {"heading": "Sync", "message": "Done", "icon": "info", "time": 5000, "sound": True}
    ]


def test_progress_iscanceled_follows_the_script(kodi_api, session):
    session.answers["progress_iscanceled"].extend([False, True])
    progress = kodi_api.xbmcgui.DialogProgress()
    progress.create("Syncing")
    assert [progress.iscanceled(), progress.iscanceled()] == [False, True]


def test_progress_bg_is_finished_after_close(kodi_api):
    progress = kodi_api.xbmcgui.DialogProgressBG()
    progress.create("Syncing")
    progress.update(50, message="half")
    progress.close()
    assert progress.isFinished() is True


def test_browse_single_cancel_returns_the_default(kodi_api, session):
    assert kodi_api.xbmcgui.Dialog().browseSingle(1, "Pick", "files", defaultt="/media/") == "/media/"
    assert session.dialogs[0][0] == "browsesingle"


def test_two_progress_dialogs_are_told_apart(kodi_api, session):
    first, second = kodi_api.xbmcgui.DialogProgress(), kodi_api.xbmcgui.DialogProgress()
    first.create("One")
    second.create("Two")
    ids = {details["dialog_id"] for _, details in session.dialogs}
    assert len(ids) == 2
