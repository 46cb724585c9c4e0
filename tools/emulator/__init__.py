"""The project's local AWS: moto in server mode, serialised, with a request log and the gaps filled.

Roles and modules never know about this package: inventories point ``endpoint_url`` at it.
"""
