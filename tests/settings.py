"""Settings for the test suite: `stemnet.settings` imported as `./dev.sh run` would.

DEBUG is off unless set, and then `stemnet.settings` wants a real SECRET_KEY, served static
files from a collected manifest, HTTPS redirects and secure cookies: right for production,
wrong for the test client and the live server. The suite must run without any variable,
so DEBUG=true is lent to the import only (Django's test runner then runs every test with
DEBUG off anyway). Processes the tests start (workers, gunicorn, `manage.py check
--deploy`) get the environment as it was and use `stemnet.settings` themselves; the
production headers are checked by tests/stemnet/test_security.py.
"""

import os

_lent = "DEBUG" not in os.environ
if _lent:
    os.environ["DEBUG"] = "true"
try:
    from stemnet.settings import *  # noqa: F403
finally:
    if _lent:
        del os.environ["DEBUG"]

# Rate-limit counters must not leak from one test to the next (or between developers'
# runs sharing a Redis): the database cache lives in the test database and is rolled back
# with each test. tests/stemnet/test_security.py checks the production choice separately.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "stemnet_cache",
    }
}
