"""The one error type for input a service refuses, shared by every feature.

A page shows it next to its field (forms_common.show_error), the API answers it with
`{errors: {field: [message]}}` (api/core.py), the CLI prints its message.
"""


class FieldError(ValueError):
    """Input refused as given: `field` names the input, `message` says why.

    The message may be a lazy gettext string: it stays lazy here and is translated when it
    is shown, in the reader's language. `status` is the HTTP answer: 422 for input that is
    wrong in itself, 409 for input that clashes with what exists already.
    """

    def __init__(self, field: str, message, status: int = 422):
        super().__init__(message)
        self.field, self.message, self.status = field, message, status
