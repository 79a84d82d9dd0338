"""fkrouter: a minimal routing library, the way routing script.modules are built.

Routes are registered with a decorator on a path pattern ("/", "/folder/<name>"); the path of a call is
read from sys.argv[0] (plugin://<id>/<path>, as Kodi gives it) and url_for() builds plugin:// URLs back
from a function and its arguments, so every item URL depends on what Kodi put in argv.
"""

import sys
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit


class Router:
    """Routes of one plugin call: register with @route, build URLs with url_for, dispatch with run."""

    def __init__(self, argv=None):
        argv = sys.argv if argv is None else argv
        base = urlsplit(argv[0])
        self.addon_id = base.netloc
        self.path = base.path or "/"
        self.handle = int(argv[1]) if len(argv) > 1 else -1
        self.args = dict(parse_qsl(argv[2].lstrip("?"))) if len(argv) > 2 else {}
        self._routes = []

    def route(self, pattern):
        """Register the decorated function for a path pattern; <name> segments become keyword arguments."""

        def register(func):
            self._routes.append((pattern.strip("/").split("/") if pattern != "/" else [], func))
            return func

        return register

    def url_for(self, func, *args, **query):
        """plugin://<id>/<path> for `func`, its <name> segments filled from `args`, `query` as the query string."""
        for parts, registered in self._routes:
            if registered is func:
                values = iter(args)
                path = "/".join(quote(str(next(values)), safe="") if p.startswith("<") else p for p in parts)
                url = f"plugin://{self.addon_id}/{path}"
                return url + ("?" + urlencode(query) if query else "")
        raise LookupError(f"no route for {func.__name__}")

    def run(self):
        """Call the function whose pattern matches this call's path."""
        segments = [unquote(s) for s in self.path.strip("/").split("/")] if self.path.strip("/") else []
        for parts, func in self._routes:
            if len(parts) != len(segments):
                continue
            kwargs = {}
            for part, segment in zip(parts, segments, strict=True):
                if part.startswith("<"):
                    kwargs[part[1:-1]] = segment
                elif part != segment:
                    break
            else:
                return func(**kwargs)
        raise LookupError(f"no route matches {self.path!r}")
