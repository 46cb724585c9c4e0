"""KMS gaps in moto 5.2.5, filled in the shape AWS documents.

- ScheduleKeyDeletion and CancelKeyDeletion accept the key ARN as ``KeyId`` (AWS takes a key id or a key ARN);
  moto looks the ARN up as a key id and fails with an internal error (amazon.aws.kms_key passes the ARN).
- ScheduleKeyDeletion rejects a ``PendingWindowInDays`` outside 7-30 with ``ValidationException`` (moto answers
  without a ``DeletionDate``, which botocore cannot parse).
"""
from __future__ import annotations

from moto.kms.exceptions import ValidationException
from moto.kms.models import KmsBackend

MIN_WINDOW_DAYS = 7
MAX_WINDOW_DAYS = 30


def _schedule_with_key_arn() -> None:
    original = KmsBackend.schedule_key_deletion

    def schedule_key_deletion(self: KmsBackend, key_id: str, pending_window_in_days: int) -> float:
        if not MIN_WINDOW_DAYS <= pending_window_in_days <= MAX_WINDOW_DAYS:
            raise ValidationException(
                f"1 validation error detected: Value '{pending_window_in_days}' at 'pendingWindowInDays' failed to "
                f"satisfy constraint: Member must have value between {MIN_WINDOW_DAYS} and {MAX_WINDOW_DAYS}")
        return original(self, self.get_key_id(key_id), pending_window_in_days)

    KmsBackend.schedule_key_deletion = schedule_key_deletion  # type: ignore[method-assign]


def _cancel_with_key_arn() -> None:
    original = KmsBackend.cancel_key_deletion

    def cancel_key_deletion(self: KmsBackend, key_id: str) -> None:
        original(self, self.get_key_id(key_id))

    KmsBackend.cancel_key_deletion = cancel_key_deletion  # type: ignore[method-assign]


def install() -> None:
    _schedule_with_key_arn()
    _cancel_with_key_arn()
