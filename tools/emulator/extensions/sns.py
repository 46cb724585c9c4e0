"""SNS gaps in moto 5.2.5, filled in the shape AWS documents.

An email or email-json subscription waits for its endpoint's confirmation: AWS mails a link and keeps the
subscription pending until it is followed (deleting it after 48 hours otherwise); moto confirms it at once. The
emulator mails nothing, so such a subscription stays pending, as it does on AWS until someone reads the mail:

- Subscribe answers ``pending confirmation`` as its ``SubscriptionArn`` (the ARN itself with
  ``ReturnSubscriptionArn=true``); subscribing the same endpoint again answers the same.
- ListSubscriptions and ListSubscriptionsByTopic name it ``PendingConfirmation`` instead of its ARN.
- GetSubscriptionAttributes says ``PendingConfirmation: "true"``; GetTopicAttributes counts the topic's pending
  and confirmed subscriptions (``SubscriptionsPending``, ``SubscriptionsConfirmed``; moto answers 0 for both).

Other protocols (SQS, Lambda, HTTP...) keep moto's behaviour.
"""
from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.sns.models import SNSBackend, Subscription
from moto.sns.responses import SNSResponse

PENDING_PROTOCOLS = ("email", "email-json")
PENDING_ARN = "PendingConfirmation"
PENDING_ANSWER = "pending confirmation"


def _pending(subscription: Subscription) -> bool:
    return getattr(subscription, "pending_confirmation", False)


def _subscribe_pending() -> None:
    original = SNSBackend.subscribe

    def subscribe(self: SNSBackend, topic_arn: str, endpoint: str, protocol: str) -> Subscription:
        existing = self._find_subscription(topic_arn, endpoint, protocol)
        subscription = original(self, topic_arn, endpoint, protocol)
        if existing is None and protocol in PENDING_PROTOCOLS:
            subscription.pending_confirmation = True  # type: ignore[attr-defined]
            subscription.attributes["PendingConfirmation"] = "true"
            subscription.attributes["ConfirmationWasAuthenticated"] = "false"
        return subscription

    SNSBackend.subscribe = subscribe  # type: ignore[method-assign]

    original_response = SNSResponse.subscribe

    def subscribe_response(self: SNSResponse) -> ActionResult:
        answer = original_response(self)
        arn = answer.result["SubscriptionArn"]  # type: ignore[index]
        returns_arn = str(self._get_param("ReturnSubscriptionArn", "false")).lower() == "true"
        if _pending(self.backend.subscriptions[arn]) and not returns_arn:
            return ActionResult({"SubscriptionArn": PENDING_ANSWER})
        return answer

    SNSResponse.subscribe = subscribe_response  # type: ignore[method-assign]


def _listed(subscription: Subscription) -> dict[str, str]:
    return {"SubscriptionArn": PENDING_ARN if _pending(subscription) else subscription.arn,
            "Owner": subscription.owner, "Protocol": subscription.protocol, "Endpoint": subscription.endpoint,
            "TopicArn": subscription.topic.arn}


def _listings() -> None:
    for name in ("list_subscriptions", "list_subscriptions_by_topic"):
        original = getattr(SNSBackend, name)

        def listing(self: SNSBackend, *args: Any, _original: Any = original, **kwargs: Any) -> tuple[list[Any], Any]:
            subscriptions, next_token = _original(self, *args, **kwargs)
            return [_listed(s) for s in subscriptions], next_token

        setattr(SNSBackend, name, listing)


def _topic_counts() -> None:
    original = SNSResponse.get_topic_attributes

    def get_topic_attributes(self: SNSResponse) -> ActionResult:
        answer = original(self)
        topic = self.backend.get_topic(self._get_param("TopicArn"))
        subscriptions = [s for s in self.backend.subscriptions.values() if s.topic == topic]
        pending = sum(1 for s in subscriptions if _pending(s))
        attributes = answer.result["Attributes"]  # type: ignore[index]
        attributes["SubscriptionsPending"] = str(pending)
        attributes["SubscriptionsConfirmed"] = str(len(subscriptions) - pending)
        return answer

    SNSResponse.get_topic_attributes = get_topic_attributes  # type: ignore[method-assign]


def install() -> None:
    _subscribe_pending()
    _listings()
    _topic_counts()
