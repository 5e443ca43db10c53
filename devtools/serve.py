"""Serve the static site on localhost with the headers netlify.toml declares (standard library only).

    python -m devtools.serve [--port 8000] [--root site] [--base /]

`make serve` runs this; the browser tests start the same server in a thread, so they run under the
production Content-Security-Policy."""

import argparse
import fnmatch
import functools
import http.server
import sys
import threading
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Python's mimetypes table varies by platform; these are the types the site needs to be right.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".py": "text/x-python; charset=utf-8",
    ".bin": "application/octet-stream",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


def netlify_headers(path=REPO / "netlify.toml"):
    """[(glob, {header: value})] from netlify.toml's [[headers]] tables, in file order."""
    config = tomllib.loads(Path(path).read_text())
    return [(rule["for"], rule.get("values", {})) for rule in config.get("headers", [])]


def headers_for(url_path, rules):
    """The headers Netlify would send for url_path: every matching rule, later rules winning."""
    headers = {}
    for pattern, values in rules:
        if fnmatch.fnmatchcase(url_path, pattern):
            headers.update(values)
    return headers


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files under `directory`, mounted at `base`, with netlify.toml's headers."""

    extensions_map = CONTENT_TYPES

    def __init__(self, *args, rules, base, **kwargs):
        self.rules = rules
        self.base = base
        super().__init__(*args, **kwargs)

    def site_path(self):
        """The request path relative to the mount point (what netlify.toml's globs match), or None."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.base):
            return None
        return "/" + path[len(self.base) :]

    def send_head(self):
        site_path = self.site_path()
        if site_path is None:
            self.send_error(404, "outside the site's base path")
            return None
        if site_path == "/" or site_path.endswith("/"):
            site_path += "index.html"
        self.path = site_path
        self.site_headers = headers_for(site_path, self.rules)
        return super().send_head()

    def send_header(self, keyword, value):
        # netlify.toml's Content-Type (for .wasm, .mjs) replaces the guessed one.
        if keyword.lower() == "content-type" and "Content-Type" in getattr(self, "site_headers", {}):
            value = self.site_headers["Content-Type"]
        super().send_header(keyword, value)

    def end_headers(self):
        for keyword, value in getattr(self, "site_headers", {}).items():
            if keyword.lower() != "content-type":
                super().send_header(keyword, value)
        super().end_headers()

    def log_message(self, format, *args):
        if not self.server.quiet:
            super().log_message(format, *args)


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that goes away while a file is sent (a page closed mid-load) is not the site's error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(root=REPO / "site", host="127.0.0.1", port=8000, base="/", quiet=False, headers=True):
    """A ready SiteServer (threading) serving root at http://host:port{base}; with headers=False, without
    netlify.toml's headers, as a host that sends none (GitHub Pages, say)."""
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    rules = netlify_headers() if headers else []
    handler = functools.partial(SiteHandler, directory=str(root), rules=rules, base=base)
    server = SiteServer((host, port), handler)
    server.quiet = quiet
    server.base = base
    return server


def serve_in_thread(**options):
    """Start a server in a daemon thread; returns (server, base_url). Stop it with server.shutdown()."""
    server = make_server(**options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}{server.base}"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m devtools.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--root", default=str(REPO / "site"))
    parser.add_argument("--base", default="/", help="serve under this sub-path, e.g. /digits/")
    args = parser.parse_args(argv)
    if not (Path(args.root) / "vendor").is_dir():
        parser.error(f"{args.root}/vendor is missing: run `make site` first")
    server = make_server(Path(args.root), args.host, args.port, args.base)
    host, port = server.server_address[:2]
    print(f"digitlens: serving {args.root} at http://{host}:{port}{args.base}  (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
