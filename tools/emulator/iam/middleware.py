"""WSGI middleware: authorise each request signed by an IAM role session or user before moto serves it, and
each AssumeRoleWithWebIdentity by the role's trust policy (trust.py).

Credentials IAM does not know (the inventories' ``testing`` key) stay unrestricted, as an account's root would.
A denied request gets the service's own AccessDenied answer (HTTP 403) and never reaches moto (in audit mode it is
served); the request log records the denied action and resource (``environ["emulator.iam"]``).
"""
from __future__ import annotations

import json
import uuid
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from ..requestlog import buffered_body, operation_of, service_of
from . import state
from .authorize import Request, checks
from .request import parameters, service_model, signature_of
from .trust import Rejected, authorise

StartResponse = Callable[..., Any]
ENVIRON_KEY = "emulator.iam"


def _is_json_request(environ: dict[str, Any]) -> bool:
    return environ.get("CONTENT_TYPE", "").startswith("application/x-amz-json")


def denial(service: str, environ: dict[str, Any], code: str, message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """AWS's AccessDenied answer in the protocol the request used (status line, headers, body)."""
    request_id = str(uuid.uuid4())
    model = service_model(service)
    query_compatible = "awsQueryCompatible" in model.metadata
    if _is_json_request(environ) or model.protocol == "json":
        error = "AccessDenied" if query_compatible and code.endswith("Exception") else code
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", request_id)]
        if query_compatible:
            headers.append(("x-amzn-query-error", f"{error.removesuffix('Exception')};Sender"))
        return "403 Forbidden", headers, json.dumps({"__type": error, "message": message}).encode()
    if model.protocol == "rest-json":
        headers = [("Content-Type", "application/json"), ("x-amzn-RequestId", request_id),
                   ("x-amzn-ErrorType", code)]
        return "403 Forbidden", headers, json.dumps({"message": message, "Message": message}).encode()
    xml_code = code.removesuffix("Exception")
    if service == "s3":
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{xml_code}</Code>"
                f"<Message>{escape(message)}</Message><RequestId>{request_id}</RequestId></Error>")
    else:
        namespace = model.metadata.get("xmlNamespace", {})
        uri = namespace.get("uri", "") if isinstance(namespace, dict) else ""
        body = (f"<ErrorResponse{f' xmlns={chr(34)}{uri}{chr(34)}' if uri else ''}><Error><Type>Sender</Type>"
                f"<Code>{xml_code}</Code><Message>{escape(message)}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>")
    return "403 Forbidden", [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], body.encode()


class IamEnforcement:
    """Evaluate identity policies (and KMS key policies) for IAM callers; everyone else passes through."""

    def __init__(self, app: Callable[..., Iterable[bytes]], deny: bool = True) -> None:
        self.app = app
        self.deny = deny  # False: audit, the decision is logged and the request served

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        signature = signature_of(environ)
        service = service_of(environ)
        if signature is None:
            return self._web_identity(environ, start_response)
        if service is None:
            return self.app(environ, start_response)
        try:
            caller = state.caller(signature.access_key, signature.session_token)
        except state.InvalidCredentials as error:
            return self._answer(service, environ, start_response, error.code, str(error))
        if caller is None:
            return self.app(environ, start_response)
        body = buffered_body(environ)
        operation = operation_of(service, environ, body)
        request = Request(service, operation, signature.region, parameters(service, operation, environ, body),
                          environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", ""))
        evaluated = checks(request, caller)
        denied = next((c for c in evaluated if not c.decision.allowed), None)
        environ[ENVIRON_KEY] = {"principal": caller.principal.arn, "evaluated": len(evaluated)}
        if denied is None:
            return self.app(environ, start_response)
        environ[ENVIRON_KEY].update(denied_action=denied.action, denied_resource=denied.resource)
        if not self.deny:
            return self.app(environ, start_response)
        message = (f"User: {caller.principal.arn} is not authorized to perform: {denied.action} on resource: "
                   f"{denied.resource} {denied.decision.reason}")
        json_answer = service_model(service).protocol in ("json", "rest-json") or _is_json_request(environ)
        code = "AccessDeniedException" if json_answer else "AccessDenied"
        return self._answer(service, environ, start_response, code, message)

    def _web_identity(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """An unsigned call: STS's AssumeRoleWithWebIdentity is authorised by the role's trust policy."""
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get("CONTENT_TYPE", "").startswith(
                "application/x-www-form-urlencoded"):
            return self.app(environ, start_response)
        params = parse_qs(buffered_body(environ).decode("utf-8", "replace"))
        if params.get("Action") != ["AssumeRoleWithWebIdentity"]:
            return self.app(environ, start_response)
        try:
            authorise(params.get("RoleArn", [""])[0], params.get("WebIdentityToken", [""])[0])
        except Rejected as error:
            status, headers, body = denial("sts", environ, error.code, str(error))
            if error.code != "AccessDenied":
                status = "400 Bad Request"
            start_response(status, headers + [("Content-Length", str(len(body)))])
            return [body]
        return self.app(environ, start_response)

    @staticmethod
    def _answer(service: str, environ: dict[str, Any], start_response: StartResponse, code: str,
                message: str) -> Iterable[bytes]:
        status, headers, body = denial(service, environ, code, message)
        start_response(status, headers + [("Content-Length", str(len(body)))])
        return [body]
