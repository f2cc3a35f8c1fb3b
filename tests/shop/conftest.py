from tests.object_storage import s3_bucket, s3_endpoint, s3_settings  # noqa: F401
