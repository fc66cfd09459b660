from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Subsidies")

    def ready(self):
        # Registers the Celery tasks in every process, so jobs.enqueue finds them by name
        # (and runs them in-process when Celery is eager).
        from . import tasks  # noqa: F401
