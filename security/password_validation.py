"""A ceiling on password length, beside Django's own validators (settings.AUTH_PASSWORD_VALIDATORS).

Long passphrases are welcome, so the limit is generous; it exists so that a megabyte of
"password" cannot make every sign-in hash it.
"""

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long. It must be {self.max_length} characters or fewer.",
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."
