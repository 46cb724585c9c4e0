"""AWS's consistency behaviours, as an opt-in profile: ``python -m emulator start|serve --consistency[=SETTINGS]``.

A real account answers "not yet" for a while after a change, and throttles. With the profile on, the emulator gives
these answers, each in the shape AWS documents (docs/emulator-gaps.md, "Consistency profile", cites the pages):

- IAM role propagation: for ``role`` seconds after CreateRole or UpdateAssumeRolePolicy, CreateFunction and
  UpdateFunctionConfiguration naming that role fail with ``InvalidParameterValueException`` "The role defined for
  the function cannot be assumed by Lambda." (400).
- DynamoDB: for ``pitr`` seconds after CreateTable, UpdateContinuousBackups fails with
  ``ContinuousBackupsUnavailableException`` "Backups are being enabled for the table: <name>. Please retry later" (400).
- Lambda function states: ``State`` is ``Pending`` (``StateReasonCode`` ``Creating``) for ``lambda`` seconds after
  CreateFunction; Invoke, UpdateFunctionCode, UpdateFunctionConfiguration and PublishVersion then fail with
  ``ResourceConflictException`` (409). ``LastUpdateStatus`` is ``InProgress`` for ``lambda`` seconds after
  UpdateFunctionCode or UpdateFunctionConfiguration; the three update calls then fail with
  ``ResourceConflictException`` "The operation cannot be performed at this time. An update is in progress for
  resource: <arn>" (invocations still run, on the previous code).
- CloudFront: a distribution's ``Status`` is ``InProgress`` for ``cloudfront`` seconds after
  CreateDistribution(WithTags) or UpdateDistribution, then ``Deployed`` (GetDistribution, ListDistributions, and so
  the ``distribution_deployed`` waiter); deleting a disabled distribution before it is ``Deployed`` fails with
  ``DistributionNotDisabled`` (409).
- Throttling: every ``throttle``-th call of each operation of CloudFront, IAM and API Gateway v2 is refused before
  it reaches moto: CloudFront and IAM answer ``Throttling`` "Rate exceeded" (400, their XML error shape), API
  Gateway ``TooManyRequestsException`` (429, JSON). Counting per operation keeps runs repeatable.

SETTINGS is a comma-separated list of ``name=value`` (seconds for ``role``, ``pitr``, ``lambda``, ``cloudfront``;
``throttle`` an integer N, 0 for none); names left out keep the defaults of ``Profile``. Every answer the profile gives in place
of moto's is written as one JSON line (time, service, operation, status, code) to ``consistency.jsonl`` beside the
request log, so a test can count the retries a run needed.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

from moto.awslambda.exceptions import InvalidParameterValueException, LambdaClientError
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda.responses import LambdaResponse
from moto.cloudfront.models import CloudFrontBackend, Distribution
from moto.dynamodb.exceptions import ERROR_TYPE_PREFIX, DynamodbException
from moto.dynamodb.models import DynamoDBBackend
from moto.iam.models import IAMBackend, iam_backends
from moto.moto_api._internal.managed_state_model import ManagedState

from .extensions.cloudfront import DistributionNotDisabled
from .requestlog import buffered_body, operation_of, service_of

StartResponse = Callable[..., Any]
THROTTLED_SERVICES = ("cloudfront", "iam", "apigatewayv2")
_SETTING_NAMES = {"role": "role", "pitr": "pitr", "lambda": "function", "cloudfront": "cloudfront",
                  "throttle": "throttle"}


@dataclass(frozen=True)
class Profile:
    """Seconds each "not yet" lasts, and N for "every N-th call of an operation is throttled" (0: never)."""

    role: float = 5.0
    pitr: float = 3.0
    function: float = 3.0
    cloudfront: float = 5.0
    throttle: int = 5
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)

    @classmethod
    def parse(cls, settings: str) -> Profile:
        """``"role=3,throttle=4"`` -> Profile; ValueError naming the setting when one is unknown or invalid."""
        values: dict[str, Any] = {}
        for item in filter(None, (part.strip() for part in settings.split(","))):
            name, _, raw = item.partition("=")
            if name not in _SETTING_NAMES:
                raise ValueError(f"unknown consistency setting {name!r} (known: {', '.join(_SETTING_NAMES)})")
            values[_SETTING_NAMES[name]] = _number(name, raw, integer=name == "throttle")
        return replace(cls(), **values)


def _number(name: str, raw: str, integer: bool) -> float:
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "an integer" if integer else "a number of seconds"
        raise ValueError(f"consistency setting {name}={raw!r}: expected {kind}") from None
    if value < 0:
        raise ValueError(f"consistency setting {name}={raw!r}: must be 0 or more")
    return value


# ---- the active profile, and the answers it gives ---------------------------------------------------------
_active: Profile | None = None
_answer = threading.local()  # the error code the profile gave for the request being served, if any


def _stamp() -> float | None:
    """Now on the active profile's clock; None without a profile (no "not yet" then, whatever comes later)."""
    return _active.clock() if _active else None


def _within(since: float | None, seconds: float) -> bool:
    return _active is not None and since is not None and _active.clock() - since < seconds


def _give(error: Exception, code: str) -> Exception:
    _answer.code = code
    return error


class ResourceConflictException(LambdaClientError):
    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("ResourceConflictException", message)


class ContinuousBackupsUnavailableException(DynamodbException):
    def __init__(self, table_name: str) -> None:
        super().__init__(ERROR_TYPE_PREFIX + "ContinuousBackupsUnavailableException",
                         message=f"Backups are being enabled for the table: {table_name}. Please retry later")


# ---- IAM role propagation ----------------------------------------------------------------------------------
def _role_changes() -> None:
    create_role, update_trust = IAMBackend.create_role, IAMBackend.update_assume_role_policy

    def created(self: IAMBackend, *args: Any, **kwargs: Any) -> Any:
        role = create_role(self, *args, **kwargs)
        role.consistency_changed = _stamp()
        return role

    def trust_updated(self: IAMBackend, role_name: str, policy_document: str) -> None:
        update_trust(self, role_name, policy_document)
        self.get_role(role_name).consistency_changed = _stamp()

    IAMBackend.create_role = created  # type: ignore[method-assign]
    IAMBackend.update_assume_role_policy = trust_updated  # type: ignore[method-assign]


def _require_assumable(backend: LambdaBackend, role_arn: str | None) -> None:
    if not role_arn or _active is None:
        return
    try:
        role = iam_backends[backend.account_id][backend.partition].get_role_by_arn(role_arn)
    except Exception:  # noqa: BLE001 - an unknown role is moto's own InvalidParameterValueException
        return
    if _within(getattr(role, "consistency_changed", None), _active.role):
        raise _give(InvalidParameterValueException("The role defined for the function cannot be assumed by Lambda."),
                    "InvalidParameterValueException")


# ---- Lambda function states ----------------------------------------------------------------------------------
def _pending(function: LambdaFunction) -> bool:
    return _active is not None and _within(getattr(function, "consistency_created", None), _active.function)


def _updating(function: LambdaFunction) -> bool:
    return _active is not None and _within(getattr(function, "consistency_updated", None), _active.function)


def _refuse_while_busy(function: LambdaFunction) -> None:
    if _pending(function):
        raise _give(ResourceConflictException(
            "The operation cannot be performed at this time. The resource "
            f"{function.function_arn} is currently in the following state: 'Pending'. StateReasonCode: 'Creating'"),
            "ResourceConflictException")
    if _updating(function):
        raise _give(ResourceConflictException(
            "The operation cannot be performed at this time. An update is in progress for resource: "
            f"{function.function_arn}"), "ResourceConflictException")


def _function_states() -> None:
    init, configuration = LambdaFunction.__init__, LambdaFunction.get_configuration

    def created(self: LambdaFunction, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.consistency_created = _stamp()
        self.consistency_updated = None

    def get_configuration(self: LambdaFunction, on_create: bool = False) -> dict[str, Any]:
        config = configuration(self, on_create)
        if _pending(self):
            config.update(State="Pending", StateReason="The function is being created.", StateReasonCode="Creating")
        elif _updating(self):
            config["LastUpdateStatus"] = "InProgress"
        return config

    LambdaFunction.__init__ = created  # type: ignore[method-assign]
    LambdaFunction.get_configuration = get_configuration  # type: ignore[method-assign]


def _function_calls() -> None:
    create, invoke = LambdaBackend.create_function, LambdaBackend.invoke
    update_code, update_configuration = LambdaBackend.update_function_code, LambdaBackend.update_function_configuration
    publish = LambdaResponse.publish_version

    def create_function(self: LambdaBackend, spec: dict[str, Any]) -> LambdaFunction:
        _require_assumable(self, spec.get("Role"))
        return create(self, spec)

    def updating(original: Callable[..., Any], check_role: bool) -> Callable[..., Any]:
        def update(self: LambdaBackend, function_name: str, qualifier: str, body: dict[str, Any]) -> Any:
            function = self.get_function(function_name, qualifier)
            _refuse_while_busy(function)
            if check_role:
                _require_assumable(self, body.get("Role"))
            before, function.consistency_updated = getattr(function, "consistency_updated", None), _stamp()
            try:
                return original(self, function_name, qualifier, body)
            except Exception:
                function.consistency_updated = before
                raise

        return update

    def invoke_function(self: LambdaBackend, function_name: str, qualifier: str | None, *args: Any) -> Any:
        function = self.get_function(function_name, qualifier)
        if _pending(function):
            _refuse_while_busy(function)
        return invoke(self, function_name, qualifier, *args)

    def publish_version(self: LambdaResponse) -> Any:
        _refuse_while_busy(self.backend.get_function(self.path.split("/")[-2]))
        return publish(self)

    LambdaBackend.create_function = create_function  # type: ignore[method-assign]
    LambdaBackend.update_function_code = updating(update_code, check_role=False)  # type: ignore[method-assign]
    LambdaBackend.update_function_configuration = updating(update_configuration, check_role=True)  # type: ignore[method-assign]
    LambdaBackend.invoke = invoke_function  # type: ignore[method-assign]
    LambdaResponse.publish_version = publish_version  # type: ignore[method-assign]


# ---- DynamoDB point-in-time recovery right after CreateTable -------------------------------------------------
def _continuous_backups() -> None:
    create_table, update_backups = DynamoDBBackend.create_table, DynamoDBBackend.update_continuous_backups

    def created(self: DynamoDBBackend, name: str, *args: Any, **kwargs: Any) -> Any:
        table = create_table(self, name, *args, **kwargs)
        table.consistency_created = _stamp()
        return table

    def update_continuous_backups(self: DynamoDBBackend, table_name: str, spec: dict[str, Any]) -> Any:
        table = self.tables.get(table_name) or next(
            (t for t in self.tables.values() if t.table_arn == table_name), None)
        if _active is not None and _within(getattr(table, "consistency_created", None), _active.pitr):
            raise _give(ContinuousBackupsUnavailableException(table_name), "ContinuousBackupsUnavailableException")
        return update_backups(self, table_name, spec)

    DynamoDBBackend.create_table = created  # type: ignore[method-assign]
    DynamoDBBackend.update_continuous_backups = update_continuous_backups  # type: ignore[method-assign]


# ---- CloudFront propagation -----------------------------------------------------------------------------------
def _in_progress(distribution: Distribution) -> bool:
    return _active is not None and _within(distribution.__dict__.get("consistency_changed"), _active.cloudfront)


def _distribution_status() -> None:
    managed = ManagedState.status

    def status(self: Distribution) -> str | None:
        return "InProgress" if _in_progress(self) else managed.fget(self)

    Distribution.status = property(status, managed.fset)  # type: ignore[assignment]
    create, update, delete = (CloudFrontBackend.create_distribution_with_tags, CloudFrontBackend.update_distribution,
                              CloudFrontBackend.delete_distribution)

    def created(self: CloudFrontBackend, *args: Any, **kwargs: Any) -> Any:
        result = create(self, *args, **kwargs)
        result[0].consistency_changed = _stamp()
        return result

    def updated(self: CloudFrontBackend, *args: Any, **kwargs: Any) -> Any:
        result = update(self, *args, **kwargs)
        result[0].consistency_changed = _stamp()
        return result

    def deleted(self: CloudFrontBackend, distribution_id: str, if_match: str) -> None:
        distribution = self.distributions.get(distribution_id)
        if distribution is not None and not distribution.distribution_config.Enabled and _in_progress(distribution):
            raise _give(DistributionNotDisabled(), "DistributionNotDisabled")
        delete(self, distribution_id, if_match)

    CloudFrontBackend.create_distribution_with_tags = created  # type: ignore[method-assign]
    CloudFrontBackend.update_distribution = updated  # type: ignore[method-assign]
    CloudFrontBackend.delete_distribution = deleted  # type: ignore[method-assign]


# ---- throttling ------------------------------------------------------------------------------------------------
def _request_id() -> str:
    return str(uuid.uuid4())


def throttled_response(service: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status line, headers and body of AWS's throttling answer for ``service``."""
    request_id = _request_id()
    if service == "apigatewayv2":
        body = json.dumps({"message": "Too Many Requests"}).encode()
        return "429 Too Many Requests", [("Content-Type", "application/json"),
                                         ("x-amzn-ErrorType", "TooManyRequestsException"),
                                         ("x-amzn-RequestId", request_id)], body
    namespace = {"iam": "https://iam.amazonaws.com/doc/2010-05-08/",
                 "cloudfront": "http://cloudfront.amazonaws.com/doc/2020-05-31/"}[service]
    body = (f'<?xml version="1.0"?>\n<ErrorResponse xmlns="{namespace}"><Error><Type>Sender</Type>'
            f"<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>{request_id}</RequestId>"
            "</ErrorResponse>").encode()
    return "400 Bad Request", [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], body


class ConsistencyLog:
    """One JSON line per answer the profile gave in place of moto's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, service: str, operation: str, status: int, code: str) -> None:
        line = json.dumps({"ts": round(time.time(), 3), "service": service, "operation": operation,
                           "status": status, "code": code})
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


class ConsistencyMiddleware:
    """Throttles every N-th call of an operation of THROTTLED_SERVICES and logs every answer the profile gives."""

    def __init__(self, app: Callable[..., Iterable[bytes]], profile: Profile, log: ConsistencyLog) -> None:
        self.app = app
        self.profile = profile
        self.log = log
        self.calls: Counter[tuple[str, str]] = Counter()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        service = service_of(environ)
        if service is None:
            return self.app(environ, start_response)
        body = buffered_body(environ)
        if self._throttles(service, environ, body):
            status, headers, payload = throttled_response(service)
            self.log.write(service, operation_of(service, environ, body), int(status.split()[0]),
                           "Throttling" if service != "apigatewayv2" else "TooManyRequestsException")
            start_response(status, headers + [("Content-Length", str(len(payload)))])
            return [payload]
        answered: list[int] = [0]

        def recording_start_response(status_line: str, headers: Any, exc_info: Any = None) -> Any:
            answered[0] = int(status_line.split()[0])
            return start_response(status_line, headers, exc_info)

        _answer.code = None
        result = self.app(environ, recording_start_response)
        if _answer.code:
            self.log.write(service, operation_of(service, environ, body), answered[0], _answer.code)
            _answer.code = None
        return result

    def _throttles(self, service: str, environ: dict[str, Any], body: bytes) -> bool:
        if service not in THROTTLED_SERVICES or not self.profile.throttle:
            return False
        kind = (service, operation_of(service, environ, body))
        self.calls[kind] += 1
        return self.calls[kind] % self.profile.throttle == 0


# ---- switching the profile on and off --------------------------------------------------------------------------
_installed = False


def activate(profile: Profile) -> None:
    """Patch moto (once) and make ``profile`` the one in force; without it every patch answers as moto does."""
    global _active, _installed
    if not _installed:
        for install in (_role_changes, _function_states, _function_calls, _continuous_backups, _distribution_status):
            install()
        _installed = True
    _active = profile


def deactivate() -> None:
    global _active
    _active = None


def wrap(app: Callable[..., Iterable[bytes]], profile: Profile | None, request_log: Path) -> Callable[..., Iterable[bytes]]:
    """The emulator's app with ``profile`` in force (its answers logged beside ``request_log``), or ``app`` as is."""
    if profile is None:
        return app
    activate(profile)
    return ConsistencyMiddleware(app, profile, ConsistencyLog(request_log.with_name("consistency.jsonl")))
