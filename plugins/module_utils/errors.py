# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base of the collection's per-service error handlers.

amazon.aws 10.x's ``AWSErrorHandler`` turns a botocore error into an ``AnsibleAWSError`` whose message is
``Failed to <description>`` (``Timeout trying to <description>`` for a waiter). Its description is fixed when the
function is decorated; here it may name the call's arguments, ``"read object {key}"`` or
``"upload {obj.key}"`` (``str.format`` fields: attributes and ``[key]`` lookups work), as newer amazon.aws
releases allow, so a message names the resource the call was about.
"""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler


class DescribedErrorHandler(AWSErrorHandler):
    """``AWSErrorHandler`` whose descriptions are formatted with the decorated function's arguments.

    Subclasses set ``_CUSTOM_EXCEPTION`` and ``_is_missing`` as amazon.aws's handlers do. The three decorators
    behave as amazon.aws's: ``list_error_handler`` answers ``default_value`` and ``deletion_error_handler``
    False when the error is one of ``_is_missing``.
    """

    @classmethod
    def common_error_handler(cls, description: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        parent = super()

        def wrapper(func: Callable[..., Any]) -> Callable[..., Any]:
            signature = inspect.signature(inspect.unwrap(func))

            @functools.wraps(func)
            def handler(*args: Any, **kwargs: Any) -> Any:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                described = description.format(**bound.arguments)
                return parent.common_error_handler(described)(func)(*args, **kwargs)

            return handler

        return wrapper

    @classmethod
    def list_error_handler(cls, description: str, default_value: Any = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def wrapper(func: Callable[..., Any]) -> Callable[..., Any]:
            @cls.common_error_handler(description)
            @functools.wraps(func)  # before common_error_handler, which reads the signature of func through it
            def handler(*args: Any, **kwargs: Any) -> Any:
                try:
                    return func(*args, **kwargs)
                except cls._is_missing():
                    return default_value

            return handler

        return wrapper

    @classmethod
    def deletion_error_handler(cls, description: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return cls.list_error_handler(description, False)
