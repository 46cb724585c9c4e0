"""CloudFront list calls moto 5.2.5 does not route, answered in the shape AWS documents.

moto can create neither RTMP (streaming) distributions nor origin access identities, so an emulated account
has none: ``ListStreamingDistributions`` and ``ListCloudFrontOriginAccessIdentities`` answer empty lists.
``community.aws.cloudfront_distribution_info`` with ``summary: true`` (the way to read distributions with their
tags) calls both.
"""
from __future__ import annotations

from moto.cloudfront import urls
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult


def _empty_list(self: CloudFrontResponse) -> dict[str, object]:
    return {"Marker": self._get_param("Marker") or "", "MaxItems": self._get_int_param("MaxItems") or 100,
            "IsTruncated": False, "Quantity": 0}


def list_streaming_distributions(self: CloudFrontResponse) -> ActionResult:
    return ActionResult({"StreamingDistributionList": _empty_list(self)})


def list_cloud_front_origin_access_identities(self: CloudFrontResponse) -> ActionResult:
    return ActionResult({"CloudFrontOriginAccessIdentityList": _empty_list(self)})


def install() -> None:
    for handler in (list_streaming_distributions, list_cloud_front_origin_access_identities):
        setattr(CloudFrontResponse, handler.__name__, handler)
    urls.url_paths.update({
        "{0}/2020-05-31/streaming-distribution$": CloudFrontResponse.dispatch,
        "{0}/2020-05-31/origin-access-identity/cloudfront$": CloudFrontResponse.dispatch,
    })
