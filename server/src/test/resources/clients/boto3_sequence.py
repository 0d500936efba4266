"""The issue's sequence through boto3 (Debian python3-boto3), unchanged, against `secrets serve`.

Configured only as boto3's documentation says: endpoint_url, region_name and the access key in
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints one JSON object of what it observed; the Java
test (Boto3Test) asserts on it. An unexpected error ends the script with a traceback (exit 1).
"""
import json
import os
import sys

import boto3
import botocore
from botocore.config import Config

endpoint = os.environ["SECRETS_ENDPOINT"]
sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                  config=Config(retries={"max_attempts": 1, "mode": "standard"}))
seen = {"boto3": boto3.__version__, "botocore": botocore.__version__}


def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        return {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                "message": e.response["Error"].get("Message", "")}
    return None


created = sm.create_secret(Name="py/app", SecretString='{"password":"first"}', Description="py app",
                           Tags=[{"Key": "team", "Value": "py"}])
seen["created_arn"] = created["ARN"]
v1 = created["VersionId"]
seen["get1"] = sm.get_secret_value(SecretId="py/app")["SecretString"]
put = sm.put_secret_value(SecretId=created["ARN"], SecretString='{"password":"second"}')
v2 = put["VersionId"]
seen["put_stages"] = put["VersionStages"]
seen["get2"] = sm.get_secret_value(SecretId="py/app")["SecretString"]
desc = sm.describe_secret(SecretId="py/app")
seen["describe"] = {"name": desc["Name"], "description": desc["Description"], "tags": desc["Tags"],
                    "stages_v1": desc["VersionIdsToStages"][v1], "stages_v2": desc["VersionIdsToStages"][v2],
                    "last_changed_is_datetime": type(desc["LastChangedDate"]).__name__}
sm.update_secret_version_stage(SecretId="py/app", VersionStage="AWSCURRENT", MoveToVersionId=v1,
                               RemoveFromVersionId=v2)
back = sm.get_secret_value(SecretId="py/app")
seen["after_rollback"] = {"value": back["SecretString"], "is_v1": back["VersionId"] == v1}
deleted = sm.delete_secret(SecretId="py/app", RecoveryWindowInDays=7)
seen["deletion_date_type"] = type(deleted["DeletionDate"]).__name__
seen["get_while_deleted"] = error_of(sm.get_secret_value, SecretId="py/app")
sm.restore_secret(SecretId="py/app")
seen["after_restore"] = sm.get_secret_value(SecretId="py/app")["SecretString"]
seen["random"] = sm.get_random_password(PasswordLength=32, ExcludePunctuation=True)["RandomPassword"]
seen["missing"] = error_of(sm.get_secret_value, SecretId="py/nope")
reader = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id=os.environ["READER_KEY_ID"],
                      aws_secret_access_key=os.environ["READER_SECRET_KEY"],
                      config=Config(retries={"max_attempts": 1, "mode": "standard"}))
seen["reader_get"] = reader.get_secret_value(SecretId="py/app")["SecretString"]
seen["reader_put"] = error_of(reader.put_secret_value, SecretId="py/app", SecretString="nope")
seen["after_denied"] = sm.get_secret_value(SecretId="py/app")["SecretString"]

# 150 secrets, listed through boto3's own paginator (MaxResults 20 -> NextToken round trips)
for i in range(150):
    sm.create_secret(Name="py/many/%03d" % i, SecretString="v%d" % i)
pages = 0
names = []
for page in sm.get_paginator("list_secrets").paginate(
        Filters=[{"Key": "name", "Values": ["py/many/"]}], PaginationConfig={"PageSize": 20}):
    pages += 1
    names.extend(s["Name"] for s in page["SecretList"])
seen["paged"] = {"pages": pages, "count": len(names), "distinct": len(set(names)),
                 "all": sorted(names) == ["py/many/%03d" % i for i in range(150)]}

json.dump(seen, sys.stdout)
