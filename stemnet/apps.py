from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StemnetConfig(AppConfig):
    name = "stemnet"
    verbose_name = _("Referentiegegevens")

    def ready(self):
        # Register the mail tasks, which stemnet.notifications enqueues by name.
        from . import tasks  # noqa: F401
