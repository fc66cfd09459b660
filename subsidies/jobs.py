"""Handing work to the Celery worker by task name, so that services never import the task
module (which imports the services): a broker that cannot be reached becomes a domain error
with a Dutch message instead of a 500."""

from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from stemnet.celery import app

CALCULATION = "subsidies.tasks.run_calculation"
LETTERS = "subsidies.tasks.render_letters"
LETTER = "subsidies.tasks.render_letter"
LETTER_BATCH = "subsidies.tasks.render_letter_batch"


class JobNotQueued(Exception):
    """The broker refused or could not be reached: the job was not handed over."""

    def __init__(self):
        super().__init__(
            _(
                "De taakverwerking is niet bereikbaar: de opdracht werd niet gestart en er werd "
                "niets bewaard. Probeer het binnen enkele ogenblikken opnieuw; blijft het "
                "mislukken, verwittig dan de technische dienst."
            )
        )


def enqueue(name: str, *args) -> None:
    """Publish task ``name`` with ``args`` (the task module registers it when the app is
    ready); raises JobNotQueued when the broker cannot take it."""
    try:
        task = app.tasks[name]
    except KeyError:  # not registered in this process: publish by name
        publish = lambda: app.send_task(name, args=args)  # noqa: E731
    else:
        publish = lambda: task.delay(*args)  # noqa: E731
    try:
        publish()
    except OperationalError as error:
        raise JobNotQueued() from error
