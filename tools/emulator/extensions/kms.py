"""KMS gaps in moto 5.2.5, filled in the shape AWS documents.

- ScheduleKeyDeletion, CancelKeyDeletion, EnableKey and DisableKey accept the key ARN as ``KeyId`` (AWS takes a
  key id or a key ARN); moto looks the ARN up as a key id and fails with an internal error (amazon.aws.kms_key
  passes the ARN: teardown schedules the deletion, the next deploy cancels it and enables the key again).
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


def _by_key_arn(name: str) -> None:
    original = getattr(KmsBackend, name)

    def by_key_arn(self: KmsBackend, key_id: str) -> None:
        original(self, self.get_key_id(key_id))

    setattr(KmsBackend, name, by_key_arn)


def install() -> None:
    _schedule_with_key_arn()
    for name in ("cancel_key_deletion", "enable_key", "disable_key"):
        _by_key_arn(name)
