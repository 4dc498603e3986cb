"""Serve the app in its own process (`python -m tests.live_server`), for tests and benches that
need a real HTTP server another process can hammer.

The config comes as JSON in WELFARE_LIVE_CONFIG (the same mapping tests pass to create_app); the
server binds 127.0.0.1 on a free port and prints `PORT <n>` once it listens.
"""

import json
import logging
import os
import sys

from werkzeug.serving import make_server

from welfare import create_app


def main() -> None:
    if not os.environ.get("WELFARE_LIVE_ACCESS_LOG"):  # tests of the access log keep it (on stderr)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request drowns the output
    app = create_app(json.loads(os.environ["WELFARE_LIVE_CONFIG"]))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    sys.stdout.close()  # nothing more comes; the parent stops reading
    server.serve_forever()


if __name__ == "__main__":
    main()
