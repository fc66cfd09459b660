"""Container health check for the web service: `python -m stemnet.healthcheck`.

Calls /healthz on the local gunicorn with a host name the portal accepts."""

import os
import sys
import urllib.request


def main() -> int:
    host = (os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0] or "localhost").strip()
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(  # noqa: S310 (fixed local http URL)
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": host.lstrip("."), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
