"""A crowded account: other stacks' resources beside the stack under test, and what the stack did to them.

``seed()`` fills an emulator with neighbours of the stack ``cloudresume`` in ``us-east-2``: resources of other
stacks whose names share the stack's prefix (``cloudresume-staging-…``, ``cloudresume-…-old``), the names an
older version of the stack used (no region in global names), Lambda functions with environment variables,
legacy CloudFront origin access identities, more than one page of distributions, HTTP APIs, tables, topics,
alarms, log groups with a metric filter, buckets with objects, dashboards, KMS keys (one tagged ``Stack=cloudresume``
for another use) and IAM roles. ``snapshot()`` reads each neighbour's configuration and tags, so a test compares
two snapshots; ``named_in()`` finds the requests (from moto's request recording) that name a neighbour.
"""
from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from emulator.requestlog import operation_of

STACK = "cloudresume"
REGION = "us-east-2"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
DISTRIBUTION_PAGE = 100  # ListDistributions' default MaxItems: the modules list with it
EXTRA_DISTRIBUTIONS = DISTRIBUTION_PAGE + 1
HTTP_APIS = 30
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_LISTING = ("List",)


@dataclass(frozen=True)
class Neighbour:
    kind: str
    name: str  # the identifier a request would carry (name, id or ARN)
    region: str | None  # None: a global resource (IAM, CloudFront, S3 names)
    read: Callable[[], Any] = field(compare=False, repr=False)
    # False: requests may name it (it carries the stack's own tag, or its name is a word the stack's requests use);
    # its snapshot still proves it was neither changed nor deleted.
    named_check: bool = True


@dataclass
class Crowd:
    neighbours: list[Neighbour] = field(default_factory=list)

    def add(self, kind: str, name: str, region: str | None, read: Callable[[], Any], named_check: bool = True) -> None:
        self.neighbours.append(Neighbour(kind, name, region, read, named_check))

    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for neighbour in self.neighbours:
            counts[neighbour.kind] = counts.get(neighbour.kind, 0) + 1
        return counts


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", source)
    return buffer.getvalue()


def _gone(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Exception as error:  # a neighbour that vanished reads as its error code, so a snapshot shows it
        return {"missing": getattr(error, "response", {}).get("Error", {}).get("Code", type(error).__name__)}


def seed(emulator: Any, account: str) -> Crowd:
    crowd = Crowd()
    _roles_and_functions(emulator, crowd)
    _cloudfront(emulator, crowd, account)
    _apis(emulator, crowd)
    _tables(emulator, crowd)
    _monitoring(emulator, crowd, account)
    _buckets(emulator, crowd, account)
    _keys(emulator, crowd)
    return crowd


def _roles_and_functions(emulator: Any, crowd: Crowd) -> None:
    iam, lam = emulator.client("iam"), emulator.client("lambda", REGION)
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                                "Principal": {"Service": "lambda.amazonaws.com"}}]})
    # The role name an older version of the stack used (no region), and another stack's.
    for role in (f"{STACK}-counter-role", f"{STACK}-staging-counter-role"):
        arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust,
                              Tags=[{"Key": "Stack", "Value": STACK}])["Role"]["Arn"]
        iam.put_role_policy(RoleName=role, PolicyName=f"{role}-access", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}))
        crowd.add("iam role", role, None, lambda r=role: (iam.get_role(RoleName=r)["Role"],
                                                          iam.list_role_policies(RoleName=r)["PolicyNames"]))
    role_arn = arn
    for name in (f"{STACK}-staging-counter", f"{STACK}-counter-old", "payments-webhook"):
        lam.create_function(FunctionName=name, Runtime="python3.13", Role=role_arn, Handler="index.handler",
                            Code={"ZipFile": _zip("def handler(event, context):\n    return 1\n")},
                            Environment={"Variables": {"DATABASE_PASSWORD": f"secret-of-{name}",
                                                       "COUNTER_TABLE_NAME": f"{name}-table"}},
                            Tags={"Stack": f"{STACK}-staging" if "staging" in name else "other"})
        crowd.add("lambda function", name, REGION, lambda n=name: _function(lam, n))


def _function(lam: Any, name: str) -> Any:
    def read() -> Any:
        config = lam.get_function_configuration(FunctionName=name)
        config.pop("ResponseMetadata", None)
        return config, lam.list_tags(Resource=config["FunctionArn"])["Tags"]
    return _gone(read)


def _distribution_config(reference: str, comment: str, bucket: str, access: dict[str, Any]) -> dict[str, Any]:
    return {
        "CallerReference": reference, "Comment": comment, "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": f"{bucket}.s3.{REGION}.amazonaws.com", **access}]},
        "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": CACHING_OPTIMIZED},
    }


def _cloudfront(emulator: Any, crowd: Crowd, account: str) -> None:
    cf = emulator.client("cloudfront", "us-east-1")
    identities = []
    for index in range(3):
        identity = cf.create_cloud_front_origin_access_identity(CloudFrontOriginAccessIdentityConfig={
            "CallerReference": f"legacy-oai-{index}", "Comment": f"legacy site {index}"})["CloudFrontOriginAccessIdentity"]
        identities.append(identity["Id"])
        crowd.add("origin access identity", identity["Id"], None,
                  lambda i=identity["Id"]: _gone(lambda: _strip(cf.get_cloud_front_origin_access_identity(Id=i))))
    # The names an older version of the stack used (no region), beside another stack's.
    legacy_oac = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": f"{STACK}-site", "Description": "", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    crowd.add("origin access control", legacy_oac, None,
              lambda: _gone(lambda: _strip(cf.get_origin_access_control(Id=legacy_oac))))
    policy = cf.create_response_headers_policy(ResponseHeadersPolicyConfig={
        "Name": f"{STACK}-site-security-headers", "Comment": "older stack version",
        "SecurityHeadersConfig": {"ContentTypeOptions": {"Override": True}}})["ResponseHeadersPolicy"]["Id"]
    crowd.add("response headers policy", policy, None,
              lambda: _gone(lambda: _strip(cf.get_response_headers_policy(Id=policy))))
    specs = [(f"{STACK}-site", f"{STACK} résumé site", f"{STACK}-site-{account}",
              {"OriginAccessControlId": legacy_oac, "S3OriginConfig": {"OriginAccessIdentity": ""}}),
             (f"{STACK}-staging-site", f"{STACK}-staging résumé site", f"{STACK}-staging-site-{account}",
              {"S3OriginConfig": {"OriginAccessIdentity": f"origin-access-identity/cloudfront/{identities[0]}"}})]
    specs += [(f"other-{index}", f"other site {index}", f"other-site-{index}", {"S3OriginConfig": {"OriginAccessIdentity": ""}})
              for index in range(EXTRA_DISTRIBUTIONS - len(specs))]
    for reference, comment, bucket, access in specs:
        created = cf.create_distribution_with_tags(DistributionConfigWithTags={
            "DistributionConfig": _distribution_config(reference, comment, bucket, access),
            "Tags": {"Items": [{"Key": "Stack", "Value": STACK if reference == f"{STACK}-site" else "other"}]}})
        distribution_id, arn = created["Distribution"]["Id"], created["Distribution"]["ARN"]
        crowd.add("distribution", distribution_id, None, lambda d=distribution_id, a=arn: _gone(
            lambda: (_strip(cf.get_distribution_config(Id=d)), cf.list_tags_for_resource(Resource=a)["Tags"])))


def _strip(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def _apis(emulator: Any, crowd: Crowd) -> None:
    apigw = emulator.client("apigatewayv2", REGION)
    names = [f"{STACK}-staging-api", f"{STACK}-api-old"] + [f"service-{index}-api" for index in range(HTTP_APIS - 2)]
    for name in names:
        api = apigw.create_api(Name=name, ProtocolType="HTTP", Tags={"Stack": "other"},
                               CorsConfiguration={"AllowOrigins": [f"https://{name}.example.com"]})
        crowd.add("http api", api["ApiId"], REGION, lambda i=api["ApiId"]: _gone(lambda: _strip(apigw.get_api(ApiId=i))))


def _tables(emulator: Any, crowd: Crowd) -> None:
    ddb = emulator.client("dynamodb", REGION)
    for name in (f"{STACK}-staging-visitors", f"{STACK}-visitors-old"):
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
                         Tags=[{"Key": "Stack", "Value": "other"}])
        ddb.put_item(TableName=name, Item={"counter_id": {"S": "visitors"}, "count": {"N": "41"}})
        crowd.add("table", name, REGION, lambda n=name: _gone(lambda: _table(ddb, n)))


def _table(ddb: Any, name: str) -> Any:
    table = ddb.describe_table(TableName=name)["Table"]
    return table, ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"], ddb.scan(TableName=name)["Items"]


def _monitoring(emulator: Any, crowd: Crowd, account: str) -> None:
    sns, cw, logs = (emulator.client(s, REGION) for s in ("sns", "cloudwatch", "logs"))
    topics = {}
    for name in (f"{STACK}-staging-alarms", f"{STACK}-alarms-old"):
        arn = sns.create_topic(Name=name, Tags=[{"Key": "Stack", "Value": "other"}])["TopicArn"]
        sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=f"ops+{name}@example.com")
        topics[name] = arn
        crowd.add("topic", arn, REGION, lambda a=arn: _gone(lambda: (
            sns.get_topic_attributes(TopicArn=a)["Attributes"], sns.list_tags_for_resource(ResourceArn=a)["Tags"],
            sns.list_subscriptions_by_topic(TopicArn=a)["Subscriptions"])))
    for name in (f"{STACK}-lambda-errors-old", f"{STACK}-api-latency-old", f"{STACK}-staging-lambda-errors"):
        cw.put_metric_alarm(AlarmName=name, Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum",
                            Period=300, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold",
                            AlarmActions=[topics[f"{STACK}-alarms-old"]], Tags=[{"Key": "Stack", "Value": "other"}])
        arn = f"arn:aws:cloudwatch:{REGION}:{account}:alarm:{name}"
        crowd.add("alarm", name, REGION, lambda n=name, a=arn: _gone(lambda: (
            cw.describe_alarms(AlarmNames=[n])["MetricAlarms"], cw.list_tags_for_resource(ResourceARN=a)["Tags"])))
    for name in (f"/aws/lambda/{STACK}-counter-old", f"/aws/lambda/{STACK}-staging-counter",
                 f"/aws/apigateway/{STACK}-api-old/access"):
        logs.create_log_group(logGroupName=name, tags={"Stack": "other"})
        logs.put_retention_policy(logGroupName=name, retentionInDays=14)
        crowd.add("log group", name, REGION, lambda n=name: _gone(lambda: _log_group(logs, n)))
    logs.put_metric_filter(logGroupName=f"/aws/lambda/{STACK}-counter-old", filterName=f"{STACK}-visits",
                           filterPattern='{ $.status = 200 }', metricTransformations=[{
                               "metricName": "Visits", "metricNamespace": f"CloudResume/{STACK}-old", "metricValue": "1"}])
    for name in (STACK, f"{STACK}-staging"):  # the older version's dashboard name, and another stack's
        cw.put_dashboard(DashboardName=name, DashboardBody=json.dumps({"widgets": [{
            "type": "text", "x": 0, "y": 0, "width": 6, "height": 2, "properties": {"markdown": name}}]}))
        crowd.add("dashboard", name, REGION, lambda n=name: _gone(lambda: cw.get_dashboard(DashboardName=n)["DashboardBody"]),
                  named_check=name != STACK)  # "cloudresume" is also the value of the stack's tags


def _log_group(logs: Any, name: str) -> Any:
    groups = [g for g in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"] if g["logGroupName"] == name]
    if not groups:
        return {"missing": "ResourceNotFoundException"}
    return (groups, logs.list_tags_log_group(logGroupName=name)["tags"],
            logs.describe_metric_filters(logGroupName=name)["metricFilters"])


def _buckets(emulator: Any, crowd: Crowd, account: str) -> None:
    s3 = emulator.client("s3", REGION)
    for name in (f"{STACK}-site-{account}", f"{STACK}-staging-site-{account}", f"{STACK}-site-{REGION}-{account}-old"):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "Stack", "Value": STACK}]})
        s3.put_object(Bucket=name, Key="index.html", Body=f"<h1>{name}</h1>".encode())
        crowd.add("bucket", name, None, lambda n=name: _gone(lambda: _bucket(s3, n)))


def _bucket(s3: Any, name: str) -> Any:
    versions = s3.list_object_versions(Bucket=name)
    return ([(v["Key"], v["VersionId"], v["ETag"]) for v in versions.get("Versions", [])],
            s3.get_bucket_tagging(Bucket=name)["TagSet"], s3.get_bucket_versioning(Bucket=name).get("Status"))


def _keys(emulator: Any, crowd: Crowd) -> None:
    kms = emulator.client("kms", REGION)
    keys = [(f"{STACK}-staging alarm notifications", f"alias/{STACK}-staging-alarms", f"{STACK}-staging"),
            # A key the same stack's owner tagged for another use (for example the table's customer managed key).
            (f"{STACK} table encryption", f"alias/{STACK}-table", STACK),
            ("no alias, another team's", None, "other")]
    for description, alias, stack in keys:
        key = kms.create_key(Description=description, Tags=[{"TagKey": "Stack", "TagValue": stack}])["KeyMetadata"]
        if alias:
            kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
        # A key tagged Stack=cloudresume is the stack's by its tag: teardown may describe it to compare its
        # description with the alarm topic key's, but must leave it alone.
        crowd.add("kms key", key["KeyId"], REGION, lambda k=key["KeyId"]: _gone(lambda: (
            kms.describe_key(KeyId=k)["KeyMetadata"], kms.list_resource_tags(KeyId=k)["Tags"])), named_check=stack != STACK)


def snapshot(crowd: Crowd) -> dict[str, Any]:
    """Every neighbour's configuration and tags, keyed ``kind name``; compare two snapshots with ``==``."""
    return {f"{n.kind} {n.name}": json.loads(json.dumps(n.read(), default=str)) for n in crowd.neighbours}


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [key for key in before if before[key] != after.get(key)]


# ---- what the requests named ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Request:
    service: str
    operation: str
    region: str
    text: str  # the URL and the body, decoded


def recorded(path: Path, start: int = 0) -> list[Request]:
    """The requests in moto's recording (``MOTO_ENABLE_RECORDING``) from line ``start`` on."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[start:]
    return [_request(json.loads(line)) for line in lines if line.strip()]


def _request(entry: dict[str, Any]) -> Request:
    headers = {k.lower(): v for k, v in entry["headers"].items()}
    body = entry.get("body") or ""
    raw = base64.b64decode(body) if entry.get("body_encoded") else body.encode("utf-8")
    url = urlsplit(entry["url"])
    environ = {"REQUEST_METHOD": entry["method"], "PATH_INFO": unquote_plus(url.path), "QUERY_STRING": url.query,
               "HTTP_AUTHORIZATION": headers.get("authorization", "")}
    environ |= {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    if "content-type" in headers:
        environ["CONTENT_TYPE"] = headers["content-type"]
    scope = _SCOPE.search(headers.get("authorization", ""))
    region, signing = (scope.group(1), scope.group(2)) if scope else ("", "")
    service = {"monitoring": "cloudwatch", "apigateway": "apigatewayv2" if url.path.startswith("/v2/") else "apigateway"
               }.get(signing, signing)
    operation = operation_of(service, environ, raw) if service else f"{entry['method']} {url.path}"
    text = unquote_plus(entry["url"]) + " " + unquote_plus(raw.decode("utf-8", "replace"))
    return Request(service, operation, region, text)


def named_in(requests: Iterable[Request], crowd: Crowd) -> list[tuple[str, str, str]]:
    """``(operation, kind, name)`` for every request that names a neighbour (in the neighbour's region)."""
    patterns = [(n, re.compile(rf"(?<![\w.-]){re.escape(n.name)}(?![\w-])")) for n in crowd.neighbours if n.named_check]
    found = []
    for request in requests:
        for neighbour, pattern in patterns:
            if (neighbour.region is None or neighbour.region == request.region) and pattern.search(request.text):
                found.append((f"{request.service}:{request.operation}", neighbour.kind, neighbour.name))
    return found


def beyond_listing(named: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The named-neighbour requests that are not listings (``List*``: a tag listing of a KMS key, for example)."""
    return [n for n in named if not n[0].split(":", 1)[1].startswith(_LISTING)]


def add_deployed_stack(emulator: Any, crowd: Crowd, region: str, account: str) -> None:
    """The same stack deployed by site.yml in another region: every resource of it is a neighbour too."""
    lam, ddb, apigw, sns, cw, logs, kms = (emulator.client(s, region) for s in (
        "lambda", "dynamodb", "apigatewayv2", "sns", "cloudwatch", "logs", "kms"))
    iam, cf, s3 = emulator.client("iam"), emulator.client("cloudfront", "us-east-1"), emulator.client("s3", region)
    crowd.add(f"{region} lambda function", f"{STACK}-counter", region, lambda: _function(lam, f"{STACK}-counter"))
    crowd.add(f"{region} table", f"{STACK}-visitors", region, lambda: _gone(lambda: _table(ddb, f"{STACK}-visitors")))
    (api,) = [a for a in apigw.get_apis()["Items"] if a["Name"] == f"{STACK}-api"]
    crowd.add(f"{region} http api", api["ApiId"], region, lambda: _gone(lambda: (
        _strip(apigw.get_api(ApiId=api["ApiId"])), apigw.get_routes(ApiId=api["ApiId"])["Items"])))
    topic = f"arn:aws:sns:{region}:{account}:{STACK}-alarms"
    crowd.add(f"{region} topic", topic, region, lambda: _gone(lambda: sns.get_topic_attributes(TopicArn=topic)["Attributes"]))
    for alarm in cw.describe_alarms(AlarmNamePrefix=f"{STACK}-")["MetricAlarms"]:
        crowd.add(f"{region} alarm", alarm["AlarmName"], region, lambda n=alarm["AlarmName"]: _gone(
            lambda: cw.describe_alarms(AlarmNames=[n])["MetricAlarms"]))
    for group in (f"/aws/lambda/{STACK}-counter", f"/aws/apigateway/{STACK}-api/access"):
        crowd.add(f"{region} log group", group, region, lambda g=group: _gone(lambda: _log_group(logs, g)))
    dashboard = f"{STACK}-{region}"
    crowd.add(f"{region} dashboard", dashboard, None, lambda: _gone(
        lambda: cw.get_dashboard(DashboardName=dashboard)["DashboardBody"]))
    for key in kms.list_keys()["Keys"]:
        metadata = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if metadata["KeyManager"] == "CUSTOMER":
            crowd.add(f"{region} kms key", key["KeyId"], region, lambda k=key["KeyId"]: _gone(
                lambda: kms.describe_key(KeyId=k)["KeyMetadata"]))
    role = f"{STACK}-counter-{region}"
    crowd.add("iam role", role, None, lambda: _gone(lambda: (
        iam.get_role(RoleName=role)["Role"], iam.list_role_policies(RoleName=role)["PolicyNames"])))
    comment = f"{STACK} résumé site ({region})"
    (summary,) = [d for page in cf.get_paginator("list_distributions").paginate()
                  for d in page["DistributionList"].get("Items", []) if d["Comment"] == comment]
    crowd.add(f"{region} distribution", summary["Id"], None, lambda: _gone(lambda: (
        _strip(cf.get_distribution_config(Id=summary["Id"])), cf.list_tags_for_resource(Resource=summary["ARN"])["Tags"])))
    for control in cf.list_origin_access_controls()["OriginAccessControlList"].get("Items", []):
        if control["Name"] == f"{STACK}-site-{region}":
            crowd.add(f"{region} origin access control", control["Id"], None, lambda i=control["Id"]: _gone(
                lambda: _strip(cf.get_origin_access_control(Id=i))))
    for policy in cf.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"].get("Items", []):
        if policy["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"] == f"{STACK}-site-security-headers-{region}":
            policy_id = policy["ResponseHeadersPolicy"]["Id"]
            crowd.add(f"{region} response headers policy", policy_id, None, lambda i=policy_id: _gone(
                lambda: _strip(cf.get_response_headers_policy(Id=i))))
    bucket = f"{STACK}-site-{region}-{account}"
    crowd.add(f"{region} bucket", bucket, None, lambda: _gone(lambda: _bucket(s3, bucket)))
