"""Private notes sealed at rest with AES-256-GCM: each ciphertext is stored beside the id of
the key that sealed it, so keys rotate without rewriting old notes, and is bound to its note
and author (associated data), so that a ciphertext copied onto another row does not open."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class UnsealableNote(Exception):
    """A note whose key is no longer configured, or whose ciphertext was tampered with."""


@dataclass(frozen=True)
class Sealed:
    key_id: str
    ciphertext: bytes


def _bound_to(note_id: uuid.UUID, author_id: uuid.UUID) -> bytes:
    return note_id.bytes + author_id.bytes


class NoteSealer:
    """Seals with the current key; opens with whichever configured key sealed a note."""

    def __init__(self, current: str, keys: dict[str, bytes]) -> None:
        self.current = current
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}

    def seal(self, text: str, note_id: uuid.UUID, author_id: uuid.UUID) -> Sealed:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current].encrypt(
            nonce, text.encode(), _bound_to(note_id, author_id)
        )
        return Sealed(self.current, nonce + sealed)

    def open(self, sealed: Sealed, note_id: uuid.UUID, author_id: uuid.UUID) -> str:
        cipher = self._ciphers.get(sealed.key_id)
        if cipher is None:
            raise UnsealableNote(f"no configured key has id {sealed.key_id!r}")
        nonce, body = sealed.ciphertext[:NONCE_BYTES], sealed.ciphertext[NONCE_BYTES:]
        try:
            return cipher.decrypt(nonce, body, _bound_to(note_id, author_id)).decode()
        except InvalidTag as exc:
            raise UnsealableNote("the note does not open with its key") from exc
