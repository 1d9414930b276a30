"""Reply addresses and pending texts, encrypted at rest with the deployment's Fernet key."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken


class Vault:
    """Encrypts and decrypts small secrets; nothing it holds is readable without the key."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode() if isinstance(key, str) else key)

    def seal(self, plain: str) -> str:
        """The encrypted token of `plain`."""
        return self._fernet.encrypt(plain.encode()).decode()

    def open(self, token: str) -> str | None:
        """The plain text of a token, or None if it was sealed under another key or tampered."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except (InvalidToken, ValueError):
            return None
