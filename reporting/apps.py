from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Rapportering")

    def ready(self):
        # Registers the Celery tasks in every process, so exports are enqueued by name
        # (and run in-process when Celery is eager).
        from . import tasks  # noqa: F401
