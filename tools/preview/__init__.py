"""Local preview of the deployed stack: the visitor-facing part of CloudFront and API Gateway, played from the
configuration that was deployed (read back with boto3), never from the role variables.

- ``deployment``: reads the distribution (by its ``Stack`` tag), its origin bucket and bucket policy, the response
  headers policy, the HTTP API (by name) with its routes, integrations, stages and CORS, and the functions behind
  the routes.
- ``origins``: the map from the two deployed origins (the CloudFront domain, the execute-api endpoint) to the
  preview's two local origins; it plays DNS and nothing else (see docs/preview.md).
- ``site``: the CloudFront side (default root object, origin access, custom error responses, headers policy,
  compression, conditional GET).
- ``api``: the API Gateway side (stages, route selection, CORS with preflight, payload format 2.0).
- ``function``: runs a function's code from its deployment package, in-process, with its environment.
- ``server``: both sides on two local ports; ``__main__``: start|stop|status|serve.
"""
