"""One error tree for the whole product; fronts translate these into one-line messages."""

from __future__ import annotations


class RelistError(Exception):
    """Something the user can fix; the message says what and how."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and its fix-it hint on one line."""
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class BadInput(RelistError):
    """An argument, a file or a cell value the product cannot use."""


class WorkbookError(RelistError):
    """The workbook cannot be opened, read or saved as asked."""


class WorkbookLocked(WorkbookError):
    """The workbook is open in Excel (an owner lock file exists)."""


class WorkbookBusy(WorkbookError):
    """Another Relist command held the workbook's writer lock for longer than the wait allowed."""


class NotARelistWorkbook(WorkbookError):
    """The file is not a workbook made by Relist."""


class SchemaTooNew(WorkbookError):
    """The workbook was written by a newer Relist than this one."""


class IdentityMissing(BadInput):
    """Who sends (name, brokerage, license, phone, address, email) is empty, missing or the sample: nothing goes out."""


class ImportRefused(BadInput):
    """An export file whose layout or content cannot be imported."""


class SequenceError(BadInput):
    """An edit of the Sequence sheet that cannot be used."""


class ComplianceError(RelistError):
    """An action compliance refuses; the message names the rule."""


class TemplateError(BadInput):
    """A message template that cannot be rendered."""


class NotFound(BadInput):
    """A lead, number or file named by the user does not exist."""


class SendError(RelistError):
    """A message could not be sent (SMTP or similar)."""

    exit_code = 1
