"""Domain errors raised by services; pages show them as messages, the API as JSON 4xx."""


class DomainError(Exception):
    """A rule refused the change. ``field_errors`` maps field names to messages when known."""

    status_code = 400

    def __init__(self, message, *, field_errors=None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class ConflictError(DomainError):
    """Someone else saved the record since it was read (optimistic locking)."""

    status_code = 409

    def __init__(self, message=None):
        super().__init__(
            message
            or "Data ini telah diubah oleh pengguna lain sejak Anda membukanya. "
            "Muat ulang halaman, periksa perubahannya, lalu simpan kembali."
        )


class NotAllowedError(DomainError):
    """The user has no part in this step (the record itself is visible to them)."""

    status_code = 403


class WorkflowError(DomainError):
    """The step is not possible from the record's current state."""

    status_code = 409
