"""IAM gaps in moto 5.2.5, filled in the shape AWS documents.

- AddClientIDToOpenIDConnectProvider and RemoveClientIDFromOpenIDConnectProvider (moto lacks both): add an
  audience to, or remove one from, an OIDC provider's ``ClientIDList``. Adding one already present and removing
  one absent both succeed without a change, as AWS documents; an unknown provider ARN is ``NoSuchEntity``.
"""
from __future__ import annotations

from moto.core.responses import ActionResult, EmptyResult
from moto.iam.models import IAMBackend
from moto.iam.responses import IamResponse


def add_client_id(self: IAMBackend, arn: str, client_id: str) -> None:
    provider = self.get_open_id_connect_provider(arn)
    if client_id not in provider.client_id_list:
        provider.client_id_list.append(client_id)


def remove_client_id(self: IAMBackend, arn: str, client_id: str) -> None:
    provider = self.get_open_id_connect_provider(arn)
    if client_id in provider.client_id_list:
        provider.client_id_list.remove(client_id)


def add_client_id_response(self: IamResponse) -> ActionResult:
    self.backend.add_client_id_to_open_id_connect_provider(
        self._get_param("OpenIDConnectProviderArn"), self._get_param("ClientID"))
    return EmptyResult()


def remove_client_id_response(self: IamResponse) -> ActionResult:
    self.backend.remove_client_id_from_open_id_connect_provider(
        self._get_param("OpenIDConnectProviderArn"), self._get_param("ClientID"))
    return EmptyResult()


def install() -> None:
    IAMBackend.add_client_id_to_open_id_connect_provider = add_client_id  # type: ignore[attr-defined]
    IAMBackend.remove_client_id_from_open_id_connect_provider = remove_client_id  # type: ignore[attr-defined]
    IamResponse.add_client_id_to_open_id_connect_provider = add_client_id_response  # type: ignore[attr-defined]
    IamResponse.remove_client_id_from_open_id_connect_provider = remove_client_id_response  # type: ignore[attr-defined]
