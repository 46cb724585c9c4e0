"""CloudFront list calls moto 5.2.5 does not route, answered in the shape AWS documents.

moto cannot create RTMP (streaming) distributions, which AWS discontinued, so an emulated account has none:
``ListStreamingDistributions`` answers an empty list. ``community.aws.cloudfront_distribution_info`` with
``summary: true`` calls it. (Origin access identities are in ``cloudfront_oai.py``.)
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


def install() -> None:
    setattr(CloudFrontResponse, list_streaming_distributions.__name__, list_streaming_distributions)
    urls.url_paths.update({"{0}/2020-05-31/streaming-distribution$": CloudFrontResponse.dispatch})
