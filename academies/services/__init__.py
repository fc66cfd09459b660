"""State-changing operations of the academies app (one module per area)."""


class AcademyError(Exception):
    """A domain error with a message fit to show the user (Dutch)."""
