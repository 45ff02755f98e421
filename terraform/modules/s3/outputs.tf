output "bucket_name" {
  description = "Lake bucket name (S3_BUCKET)."
  value       = aws_s3_bucket.lake.bucket
}

output "bucket_arn" {
  description = "Lake bucket ARN."
  value       = aws_s3_bucket.lake.arn
}

output "lake_prefix" {
  description = "Key prefix the pipeline writes under (S3_PREFIX)."
  value       = var.lake_prefix
}

output "kms_key_arn" {
  description = "KMS key that encrypts the lake; writers and readers need it."
  value       = aws_kms_key.lake.arn
}

output "manifest_retention_mode" {
  description = "Object Lock mode the sealer must put on manifests (x-amz-object-lock-mode)."
  value       = var.manifest_retention_mode
}

output "manifest_retention_days" {
  description = "Minimum days from the seal the sealer must lock manifests for (x-amz-object-lock-retain-until-date)."
  value       = var.manifest_retention_days
}
