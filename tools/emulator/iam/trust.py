"""``sts:AssumeRoleWithWebIdentity`` as AWS authorises it (IAM User Guide, "OIDC federation", "Role trust
policies"): the token's issuer must be an OIDC identity provider of the role's account whose client IDs include
the token's audience, the token must not have expired, and the role's trust policy must allow the action to the
provider (``Principal.Federated``) with the token's claims as condition keys (``<issuer>:sub``, ``<issuer>:aud``).
The emulator cannot verify the issuer's signature (it holds no issuer keys): tests sign nothing.
"""
from __future__ import annotations

import base64
import json
import time
from typing import Any

from moto.iam.models import iam_backends

from .conditions import ContextValue
from .policy import Effect, Policy
from .state import PARTITION


class Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def claims(token: str) -> dict[str, Any]:
    try:
        payload = token.split(".")[1]
        decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as error:
        raise Rejected("InvalidIdentityToken", "The ID Token provided is not a valid JWT.") from error
    if not isinstance(decoded, dict):
        raise Rejected("InvalidIdentityToken", "The ID Token provided is not a valid JWT.")
    return decoded


def unsigned_token(claims_: dict[str, Any]) -> str:
    """A JWT with the given claims and no signature, as tests hand it to AssumeRoleWithWebIdentity."""
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims_)}."


def _issuer_host(issuer: str) -> str:
    return issuer.removeprefix("https://").rstrip("/")


def authorise(role_arn: str, token: str) -> None:
    """Raise Rejected unless the token may assume the role."""
    found = claims(token)
    issuer = _issuer_host(str(found.get("iss", "")))
    if float(found.get("exp", time.time() + 1)) < time.time():
        raise Rejected("ExpiredTokenException", "Token expired: current date/time is after the exp claim.")
    account = role_arn.split(":")[4]
    iam = iam_backends[account][PARTITION]
    provider_arn = f"arn:{PARTITION}:iam::{account}:oidc-provider/{issuer}"
    provider = iam.open_id_providers.get(provider_arn)
    if provider is None:
        raise Rejected("InvalidIdentityToken", f"No OpenIDConnect provider found in your account for https://{issuer}")
    audiences = found.get("aud", [])
    audiences = audiences if isinstance(audiences, list) else [audiences]
    if not set(audiences) & set(provider.client_id_list):
        raise Rejected("InvalidIdentityToken", "Incorrect token audience")
    try:
        role = iam.get_role(role_arn.rsplit("/", 1)[-1])
    except Exception as error:  # no such role
        raise Rejected("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity") from error
    context: dict[str, ContextValue] = {
        f"{issuer}:{claim}".lower(): [str(v) for v in value] if isinstance(value, list) else str(value)
        for claim, value in found.items()
    }
    trust = Policy.parse(role.assume_role_policy_document, "trust policy")

    def names_provider(principal: Any) -> bool:
        federated = principal.get("Federated", []) if isinstance(principal, dict) else []
        return provider_arn in (federated if isinstance(federated, list) else [federated])

    effect = trust.effect("sts:AssumeRoleWithWebIdentity", role.arn, lambda key: context.get(key.lower()),
                          names_provider)
    if effect is not Effect.ALLOW:
        raise Rejected("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
