"""A stand-in deployment made with boto3, shaped as the roles deploy the stack (bucket with OAC policy, the
distribution tagged ``Stack``, its headers policy, config.json, the table, the function from files/lambda, the HTTP
API with CORS and its invoke permission), in-process, for the preview's unit tests. The browser tests deploy with
``ansible-playbook site.yml`` instead."""
from __future__ import annotations

import io
import json
import mimetypes
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

ROOT = Path(__file__).resolve().parents[3]
SITE_DIR = ROOT / "files" / "site"
HANDLER = ROOT / "files" / "lambda" / "counter.py"
ROLE = ROOT / "roles" / "static_site"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


@dataclass
class Names:
    stack: str = "cloudresume"
    region: str = "us-east-2"

    @property
    def table(self) -> str:
        return f"{self.stack}-visitors"

    @property
    def function(self) -> str:
        return f"{self.stack}-counter"

    @property
    def api(self) -> str:
        return f"{self.stack}-api"

    @property
    def bucket(self) -> str:
        return f"{self.stack}-site-123456789012"


def headers_policy(api_origin: str) -> dict[str, Any]:
    return {
        "Name": "cloudresume-security-headers", "Comment": "stand-in",
        "SecurityHeadersConfig": {
            "StrictTransportSecurity": {"Override": True, "AccessControlMaxAgeSec": 31536000,
                                        "IncludeSubdomains": True, "Preload": False},
            "ContentSecurityPolicy": {"Override": True, "ContentSecurityPolicy": (
                f"default-src 'self'; connect-src 'self' {api_origin}; img-src 'self' data:; "
                "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")},
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"Override": True, "FrameOption": "DENY"},
            "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "strict-origin-when-cross-origin"},
        },
    }


def package() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(HANDLER, "counter.py")
    return buffer.getvalue()


def collection_files() -> dict[str, bytes]:
    """The 404 page and favicon static_site uploads for a folder without them, from its templates and defaults."""
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(ROLE / "templates"), trim_blocks=True)
    environment.filters["basename"] = posixpath.basename
    return {name: environment.get_template(f"{name}.j2").render(defaults).encode() for name in ("404.html", "favicon.svg")}


def upload_site(s3: Any, bucket: str, counter_url: str | None) -> None:
    files = {**collection_files(), **{path.name: path.read_bytes() for path in SITE_DIR.iterdir()}}
    for name, body in sorted(files.items()):
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith("javascript"):
            content_type += "; charset=utf-8"
        cache = "no-cache" if name.endswith(".html") else "public, max-age=31536000, immutable"
        s3.put_object(Bucket=bucket, Key=name, Body=body, ContentType=content_type, CacheControl=cache)
    s3.put_object(Bucket=bucket, Key="config.json", Body=json.dumps({"counterUrl": counter_url}).encode(),
                  ContentType="application/json", CacheControl="no-cache")


def deploy_api(session: Any, names: Names, account: str) -> dict[str, Any]:
    ddb, lam, apigw, iam = (session.client(n) for n in ("dynamodb", "lambda", "apigatewayv2", "iam"))
    ddb.create_table(TableName=names.table, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}])
    role = iam.create_role(RoleName=f"{names.function}-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "lambda.amazonaws.com"}}]}))["Role"]["Arn"]
    function = lam.create_function(
        FunctionName=names.function, Runtime="python3.12", Role=role, Handler="counter.handler",
        Code={"ZipFile": package()}, Timeout=15, MemorySize=256,
        Environment={"Variables": {"COUNTER_TABLE_NAME": names.table, "COUNTER_ID": "visitors"}})
    api = apigw.create_api(Name=names.api, ProtocolType="HTTP")
    integration = apigw.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY",
                                           IntegrationUri=function["FunctionArn"], PayloadFormatVersion="2.0")
    for key in ("GET /count", "POST /count"):
        apigw.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
    apigw.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    lam.add_permission(FunctionName=names.function, StatementId="apigateway", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com",
                       SourceArn=f"arn:aws:execute-api:{names.region}:{account}:{api['ApiId']}/*/*/count")
    return api


def deploy_site(session: Any, names: Names, api_endpoint: str | None) -> dict[str, Any]:
    s3, cloudfront = session.client("s3"), session.client("cloudfront")
    s3.create_bucket(Bucket=names.bucket, CreateBucketConfiguration={"LocationConstraint": names.region})
    policy_id = cloudfront.create_response_headers_policy(
        ResponseHeadersPolicyConfig=headers_policy(api_endpoint or ""))["ResponseHeadersPolicy"]["Id"]
    oac = cloudfront.create_origin_access_control(OriginAccessControlConfig={
        "Name": f"{names.stack}-site", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    origin_id = "s3-site"
    distribution = cloudfront.create_distribution_with_tags(DistributionConfigWithTags={
        "DistributionConfig": {
            "CallerReference": f"{names.stack}-site", "Comment": f"{names.stack} résumé site", "Enabled": True,
            "DefaultRootObject": "index.html",
            "Origins": {"Quantity": 1, "Items": [{
                "Id": origin_id, "DomainName": f"{names.bucket}.s3.{names.region}.amazonaws.com",
                "OriginAccessControlId": oac, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {
                "TargetOriginId": origin_id, "ViewerProtocolPolicy": "redirect-to-https", "Compress": True,
                "CachePolicyId": CACHING_OPTIMIZED, "ResponseHeadersPolicyId": policy_id,
                "AllowedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]}},
            "CustomErrorResponses": {"Quantity": 2, "Items": [
                {"ErrorCode": code, "ResponsePagePath": "/404.html", "ResponseCode": "404",
                 "ErrorCachingMinTTL": 60} for code in (403, 404)]},
        },
        "Tags": {"Items": [{"Key": "Stack", "Value": names.stack}]},
    })["Distribution"]
    s3.put_bucket_policy(Bucket=names.bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "CloudFrontRead", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{names.bucket}/*",
        "Condition": {"StringEquals": {"AWS:SourceArn": distribution["ARN"]}}}]}))
    upload_site(s3, names.bucket, f"{api_endpoint}/count" if api_endpoint else None)
    return distribution


def deploy(session: Any, names: Names | None = None) -> dict[str, Any]:
    """The whole stand-in stack; returns the API and the distribution as created."""
    names = names or Names(region=session.region_name)
    account = session.client("sts").get_caller_identity()["Account"]
    api = deploy_api(session, names, account)
    distribution = deploy_site(session, names, api["ApiEndpoint"])
    session.client("apigatewayv2").update_api(ApiId=api["ApiId"], CorsConfiguration={
        "AllowOrigins": [f"https://{distribution['DomainName']}"], "AllowMethods": ["GET", "POST"],
        "AllowHeaders": ["content-type"], "MaxAge": 300})
    return {"api": api, "distribution": distribution, "names": names}
