"""The preview's only translation: deployed origins <-> local origins, as a resolver would map names to addresses.

A browser on this machine cannot reach ``https://d111.cloudfront.net`` or ``https://abc.execute-api...``; the
preview answers for them on two local origins. Exactly these two origin strings are swapped, wherever they
travel (a header value, a text body such as config.json, a request's ``Origin``): everything else the
deployment says reaches the browser unchanged, so a CSP or CORS rule that names the wrong origin stays wrong.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class OriginMap:
    """A one-to-one map of deployed origins to local ones."""

    to_local: dict[str, str] = field(default_factory=dict)

    def add(self, deployed: str, local: str) -> None:
        deployed, local = origin_of(deployed), origin_of(local)
        if deployed in self.to_local or local in self.to_local.values():
            raise ValueError(f"origin mapped twice: {deployed} -> {local}")
        self.to_local[deployed] = local

    @property
    def to_deployed(self) -> dict[str, str]:
        return {local: deployed for deployed, local in self.to_local.items()}

    @staticmethod
    def _swap(text: str, table: dict[str, str]) -> str:
        if not table:
            return text
        # An origin ends where a host cannot go on: not followed by a host character, a dot or a port.
        alternatives = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
        pattern = re.compile(f"(?:{alternatives})" + r"(?![\w.:-])", re.IGNORECASE)
        return pattern.sub(lambda m: table[m.group(0).lower()], text)

    def localize(self, text: str) -> str:
        """Deployed origins in ``text`` replaced by the local ones (what leaves the preview)."""
        return self._swap(text, self.to_local)

    def deploy(self, text: str) -> str:
        """Local origins in ``text`` replaced by the deployed ones (what enters the preview)."""
        return self._swap(text, self.to_deployed)
