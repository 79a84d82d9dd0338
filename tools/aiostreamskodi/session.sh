#!/usr/bin/env bash
# The debugging session on the public AIOStreamsKODI add-on (README.md here). Needs a local fetch of
# github.com/shiggsy365/AIOStreamsKODI: AIO_SOURCE=<bare git dir or checkout>. Writes only to OUT.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
AIO_SOURCE="${AIO_SOURCE:?set AIO_SOURCE to a fetch of shiggsy365/AIOStreamsKODI}"
OUT="${OUT:-/tmp/aiostreamskodi-session}"
PY="${PYTHON:-python3}"
TC=("$PY" -m trakt_cassettes.cli)
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$OUT"

# The add-on as published, and a build whose hard-coded https://api.trakt.tv reads a setting instead.
"$PY" "$HERE/build_zip.py" "$AIO_SOURCE" -o "$OUT/aio-published.zip"
"$PY" "$HERE/build_zip.py" "$AIO_SOURCE" -o "$OUT/aio-pointed.zip" --point-setting trakt_api_url
"$PY" "$HERE/build_zip.py" "$AIO_SOURCE" -o "$OUT/aio-fixed.zip" --point-setting trakt_api_url --fix-pickle-crash

# The scenario: small_library (specials, an unaired and an undated episode, a hidden season), on the
# live 2026 API (the simulator's default) and on the blueprint API (watched shows carry their seasons).
cp "$ROOT/trakt_cassettes/scenarios/small_library.yaml" "$OUT/small_library.yaml"
sed 's/^limits: {watchlist: 250}$/limits: {watchlist: 250}\napi: {drift: false}/' \
  "$ROOT/trakt_cassettes/scenarios/small_library.yaml" > "$OUT/small_library_blueprint.yaml"

# Its settings (resources/settings.xml): client id and secret, token, refresh token, expiry (epoch).
TOKEN=(--setting 'trakt_client_id={client_id}' --setting 'trakt_client_secret={client_secret}'
       --setting 'trakt_token={access_token}' --setting 'trakt_refresh={refresh_token}'
       --setting 'trakt_expires={token_expires}')
PROGRESS=(--call resources.lib.trakt:get_show_progress '["tt0903747"]'
          --call resources.lib.trakt:get_show_progress '["tt11280740"]')

run() { echo "\$ trakt-cassettes $*"; "${TC[@]}" "$@" || echo "(exit $?)"; echo; }

# 1. As published: nothing reaches the proxy, every attempt goes to api.trakt.tv (blocked, named).
run record "$OUT/small_library.yaml" --addon "$OUT/aio-published.zip" --service 60 "${TOKEN[@]}" \
  -o "$OUT/published.cassette.yaml"
# 2. Pointed: record the service's first sync and the progress of two shows, then replay it.
for variant in small_library small_library_blueprint; do
  run record "$OUT/$variant.yaml" --addon "$OUT/aio-pointed.zip" --service 60 "${PROGRESS[@]}" "${TOKEN[@]}" \
    -o "$OUT/$variant.cassette.yaml"
  run replay "$OUT/$variant.cassette.yaml" --addon "$OUT/aio-pointed.zip" --db trakt_sync.db
  # 3. The same cassette through the debug build (the crash fixed): the requests the fix adds, UNMATCHED.
  run replay "$OUT/$variant.cassette.yaml" --addon "$OUT/aio-fixed.zip" --db trakt_sync.db
  # 4. The debug build recorded and replayed: its progress now comes from its own database.
  run record "$OUT/$variant.yaml" --addon "$OUT/aio-fixed.zip" --service 60 "${PROGRESS[@]}" "${TOKEN[@]}" \
    -o "$OUT/$variant.fixed.cassette.yaml"
  run replay "$OUT/$variant.fixed.cassette.yaml" --addon "$OUT/aio-fixed.zip" --db trakt_sync.db
done
