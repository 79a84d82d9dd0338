"""compute_progress against a plain model of Trakt's progress rules, on generated shows (hypothesis).

compute_progress walks episodes once and takes last/next episode from that walk while air dates
never go down (issue 18, the 1,000-episode lookup); this model sorts everything by air order the
obvious way. Generated shows mix specials, hidden seasons, unaired and undated episodes, plays
without a timestamp, resets, episodes listed in any order, and air dates that go back in time.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aiostreams.progress import compute_progress
from database.queries import ProgressInputs

NOW = "2026-06-01T00:00:00.000Z"
AIR_DATES = [None, "", "2025-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", "2026-05-31T23:59:59.000Z",
             NOW, "2026-06-01T00:00:00.001Z", "2027-01-01T00:00:00.000Z"]  # fmt: skip
STAMPS = [None, "", "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"]
RESETS = [None, "", "2026-02-15T00:00:00.000Z"]


def model(inputs: ProgressInputs, now: str, honour_reset: bool) -> dict:
    """Trakt's rules spelled out: aired, non-special, unhidden episodes; air order sorts everything."""
    counted = []
    for episode in inputs.episodes:
        season, number, aired_at = episode[0], episode[1], episode[7]
        if season == 0 or season in inputs.hidden_seasons or aired_at is None or aired_at > now:
            continue
        plays, watched_at = inputs.plays.get((season, number), (0, None))
        if honour_reset and inputs.reset_at and (watched_at is None or watched_at < inputs.reset_at):
            plays, watched_at = 0, None
        counted.append((season, episode, plays > 0, watched_at if plays > 0 else None))
    seasons = []
    for season in sorted({entry[0] for entry in counted}):
        rows = sorted((entry for entry in counted if entry[0] == season), key=lambda entry: entry[1][1])
        title = inputs.seasons.get(season, (None, None, None, None))[3] or f"Season {season}"
        seasons.append({"number": season, "title": title, "aired": len(rows), "completed": sum(r[2] for r in rows),
                        "episodes": [{"number": r[1][1], "completed": r[2], "last_watched_at": r[3]} for r in rows]})  # fmt: skip
    in_air_order = sorted(counted, key=lambda entry: (entry[1][7], entry[0], entry[1][1]))
    watched = [entry for entry in in_air_order if entry[2]]
    last = watched[-1] if watched else None
    after = in_air_order[in_air_order.index(last) + 1 :] if last else in_air_order
    stamps = [entry[3] for entry in watched if entry[3]]

    def shown(entry):
        if entry is None:
            return None
        episode = entry[1]
        return {"season": entry[0], "number": episode[1], "title": episode[2],
                "ids": {"trakt": episode[3], "tvdb": episode[4], "imdb": episode[5], "tmdb": episode[6]}}  # fmt: skip

    hidden = []
    for number in sorted(inputs.hidden_seasons):
        ids = list(inputs.hidden_seasons[number])
        known = inputs.seasons.get(number)
        if known is not None:
            ids = [ids[i] or known[i] for i in range(3)]
        hidden.append({"number": number, "ids": {"trakt": ids[0], "tvdb": ids[1], "tmdb": ids[2]}})
    return {"aired": len(counted), "completed": len(watched), "last_watched_at": max(stamps) if stamps else None,
            "reset_at": inputs.reset_at, "seasons": seasons, "hidden_seasons": hidden,
            "next_episode": shown(after[0] if after else None), "last_episode": shown(last)}  # fmt: skip


@st.composite
def shows(draw) -> ProgressInputs:
    keys = draw(st.sets(st.tuples(st.integers(0, 3), st.integers(1, 6)), max_size=16))
    ordered_dates = draw(st.booleans())  # mostly rising air dates (the walk), or any (the sort)
    episodes = []
    for season, number in keys:
        aired = (
            f"2025-{season + 1:02d}-{number:02d}T00:00:00.000Z"
            if ordered_dates
            else draw(st.sampled_from(AIR_DATES))
        )
        title = draw(st.sampled_from([None, f"Episode {number}"]))
        episodes.append((season, number, title, season * 100 + number, None, None, 7, aired))
    episodes = sorted(episodes) if draw(st.booleans()) else draw(st.permutations(episodes))
    inputs = ProgressInputs(show_trakt_id=1, reset_at=draw(st.sampled_from(RESETS)))
    inputs.episodes = list(episodes)
    inputs.seasons = {s: (s, s + 10, None, draw(st.sampled_from([None, f"S{s}"])))
                      for s in draw(st.sets(st.integers(0, 4)))}  # fmt: skip
    played = draw(st.sets(st.tuples(st.integers(0, 4), st.integers(1, 7)), max_size=10)) | set(
        draw(st.lists(st.sampled_from(sorted(keys)), max_size=10)) if keys else []
    )
    inputs.plays = {key: (draw(st.integers(0, 2)), draw(st.sampled_from(STAMPS))) for key in played}
    inputs.hidden_seasons = {s: (s, None, None) for s in draw(st.sets(st.integers(0, 4), max_size=2))}
    return inputs


@settings(max_examples=400, deadline=None)
@given(inputs=shows(), honour_reset=st.booleans())
def test_compute_progress_equals_the_plain_model(inputs, honour_reset):
    assert compute_progress(inputs, NOW, honour_reset) == model(inputs, NOW, honour_reset)


def test_air_dates_going_back_take_the_sorting_path():
    """A special-order release: season 2 aired before season 1's last episode; air order decides."""
    episodes = [(1, 1, "a", 1, None, None, None, "2025-01-01T00:00:00.000Z"),
                (1, 2, "b", 2, None, None, None, "2025-03-01T00:00:00.000Z"),
                (2, 1, "c", 3, None, None, None, "2025-02-01T00:00:00.000Z")]  # fmt: skip
    inputs = ProgressInputs(show_trakt_id=1)
    inputs.episodes = episodes
    inputs.plays = {(2, 1): (1, "2026-01-01T00:00:00.000Z")}
    progress = compute_progress(inputs, NOW)
    assert (progress["last_episode"]["season"], progress["last_episode"]["number"]) == (2, 1)
    assert (progress["next_episode"]["season"], progress["next_episode"]["number"]) == (1, 2)
    assert progress == model(inputs, NOW, False)
