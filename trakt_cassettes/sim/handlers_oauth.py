"""OAuth handlers: device code, device token polling, refresh (rotation) and revoke."""

from __future__ import annotations

from .errors import InvalidGrant
from .state import TraktState
from .web import Request, Response


def device_code(state: TraktState, request: Request) -> Response:
    """POST /oauth/device/code."""
    body = request.json_object()
    state.tokens.check_client(body.get("client_id"))
    record = state.tokens.new_device_code()
    return Response(200, {
        "device_code": record.device_code, "user_code": record.user_code,
        "verification_url": "https://trakt.tv/activate", "expires_in": record.expires_in, "interval": record.interval,
    })  # fmt: skip


def device_token(state: TraktState, request: Request) -> Response:
    """POST /oauth/device/token: 200 tokens, or 400/404/409/410/418/429."""
    body = request.json_object()
    state.tokens.check_client(body.get("client_id"), body.get("client_secret"), need_secret=True)
    return Response(200, state.tokens.poll(body.get("code")).as_json())


def token(state: TraktState, request: Request) -> Response:
    """POST /oauth/token: refresh rotates the pair; a dead refresh token or the code grant (not simulated) is 400."""
    body = request.json_object()
    state.tokens.check_client(body.get("client_id"), body.get("client_secret"), need_secret=True)
    if body.get("grant_type") != "refresh_token":
        raise InvalidGrant("only grant_type=refresh_token is simulated; use the device flow")
    return Response(200, state.tokens.refresh(body.get("refresh_token")).as_json())


def revoke(state: TraktState, request: Request) -> Response:
    """POST /oauth/revoke: 200 with no body (oauth/index.ts: `200: z.undefined()`)."""
    body = request.json_object()
    state.tokens.revoke(body.get("token"))
    return Response(200, None)
