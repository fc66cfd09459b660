"""WSGI entry point (gunicorn stemnet.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemnet.settings")
application = get_wsgi_application()

# What start-up loaded (Django, the apps, their modules) lives as long as the worker:
# frozen, the garbage collector's full collections, which a request's allocations set off,
# no longer walk it (a few milliseconds a page at ten times the network).
gc.freeze()
