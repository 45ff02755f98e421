resource "aws_kms_key" "lake" {
  description             = "${var.bucket_name} data lake"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  tags                    = var.tags
}

resource "aws_kms_alias" "lake" {
  name          = "alias/${var.bucket_name}"
  target_key_id = aws_kms_key.lake.key_id
}

locals {
  # Every sealed record of a day: manifest.json, its signature, the COPY manifests and superseding
  # versions all live in a `manifests/` tree (src/lake/objectKey.ts), under any prefix.
  manifest_objects = "${aws_s3_bucket.lake.arn}/*/manifests/*"
}

resource "aws_s3_bucket" "lake" {
  bucket = var.bucket_name
  # Object Lock can only be switched on at creation through this argument. An existing lake gets
  # it in place from aws_s3_bucket_object_lock_configuration below instead, so a change here must
  # never plan a replacement of a bucket full of evidence.
  object_lock_enabled = true
  tags                = var.tags

  lifecycle {
    ignore_changes = [object_lock_enabled]
  }
}

resource "aws_s3_bucket_ownership_controls" "lake" {
  bucket = aws_s3_bucket.lake.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "lake" {
  bucket                  = aws_s3_bucket.lake.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Versioning keeps every earlier object version: a re-export that differs cannot erase evidence.
resource "aws_s3_bucket_versioning" "lake" {
  bucket = aws_s3_bucket.lake.id
  versioning_configuration {
    status = "Enabled"
  }
}

# Object Lock on, with no bucket-wide default retention. A default rule would lock every object:
# each data chunk of every export attempt, including days that failed before sealing and the
# bytes a forced re-export replaces, for years and (in COMPLIANCE mode) beyond anyone's reach.
# Data chunks do not need it: the signed manifest pins each one by sha256 and versioning keeps
# every version. What must never change is the manifest, so the sealer locks each object under
# `manifests/` itself (x-amz-object-lock-mode and -retain-until-date on its PUT), and the bucket
# policy below refuses any manifest PUT without that lock. A separate manifests bucket would
# instead split the lake, its KMS key and its policies in two for the same guarantee.
resource "aws_s3_bucket_object_lock_configuration" "lake" {
  bucket              = aws_s3_bucket.lake.id
  object_lock_enabled = "Enabled"
  depends_on          = [aws_s3_bucket_versioning.lake]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "lake" {
  bucket = aws_s3_bucket.lake.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.lake.arn
    }
    # One data key per bucket instead of per object: far fewer KMS calls for many small files.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "lake" {
  bucket = aws_s3_bucket.lake.id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }
  }

  rule {
    id     = "tier-lake-objects"
    status = "Enabled"
    filter {
      prefix = "${var.lake_prefix}/"
    }
    transition {
      days          = var.infrequent_access_after_days
      storage_class = "STANDARD_IA"
    }
    dynamic "transition" {
      for_each = var.glacier_after_days > 0 ? [var.glacier_after_days] : []
      content {
        days          = transition.value
        storage_class = "GLACIER_IR"
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.lake]
}

data "aws_iam_policy_document" "lake" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.lake.arn,
      "${aws_s3_bucket.lake.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # The encryption statements judge only the headers a request carries. A PUT without any SSE
  # header gets the bucket default (SSE-KMS with the lake key), and UploadPart never carries
  # them; "...IfExists" operators would count a missing header as a mismatch and deny both.
  # Ledgerflow sends either no SSE header or, with LEDGERFLOW_S3_KMS_KEY_ID set to this key's ARN
  # (output kms_key_arn), aws:kms and that ARN on every PutObject, CreateMultipartUpload and copy.
  statement {
    sid       = "DenyOtherEncryptionKeys"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.lake.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = ["false"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.lake.arn]
    }
  }

  statement {
    sid       = "DenyOtherEncryptionTypes"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.lake.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["false"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }

  # `x-amz-server-side-encryption: aws:kms` without a key id means the AWS-managed aws/s3 key,
  # not the lake key.
  statement {
    sid       = "DenyKmsWithoutLakeKey"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.lake.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = ["true"]
    }
  }

  # Only the sealer writes under manifests/, whatever the writer's IAM policies say. Conditions
  # on aws:PrincipalArn rather than a Principal block: the sealer role's ARN is known before the
  # role exists (no dependency cycle with the iam module) and survives the role being recreated.
  statement {
    sid       = "DenyManifestWritesExceptSealer"
    effect    = "Deny"
    actions   = ["s3:PutObject", "s3:PutObjectRetention"]
    resources = [local.manifest_objects]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [var.sealer_role_arn]
    }
  }

  # Every manifest lands locked, in the configured mode, for at least the configured days; a PUT
  # without the lock headers (or a multipart part, which cannot carry them) is refused.
  statement {
    sid       = "DenyManifestsWithoutLock"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = [local.manifest_objects]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "s3:object-lock-mode"
      values   = [var.manifest_retention_mode]
    }
  }

  statement {
    sid       = "DenyManifestsWithShortRetention"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = [local.manifest_objects]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "NumericLessThan"
      variable = "s3:object-lock-remaining-retention-days"
      values   = [tostring(var.manifest_retention_days)]
    }
  }

  # Object Lock stops deleting a locked version, but not a plain DELETE that hides the manifest
  # behind a delete marker; nor does GOVERNANCE mode stop whoever may bypass it. Both are for
  # break-glass roles only (none by default).
  statement {
    sid       = "DenyManifestDeletesExceptBreakGlass"
    effect    = "Deny"
    actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion"]
    resources = [local.manifest_objects]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    dynamic "condition" {
      for_each = length(var.break_glass_role_arns) > 0 ? [var.break_glass_role_arns] : []
      content {
        test     = "ArnNotEquals"
        variable = "aws:PrincipalArn"
        values   = condition.value
      }
    }
  }

  statement {
    sid       = "DenyRetentionBypassExceptBreakGlass"
    effect    = "Deny"
    actions   = ["s3:BypassGovernanceRetention"]
    resources = ["${aws_s3_bucket.lake.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    dynamic "condition" {
      for_each = length(var.break_glass_role_arns) > 0 ? [var.break_glass_role_arns] : []
      content {
        test     = "ArnNotEquals"
        variable = "aws:PrincipalArn"
        values   = condition.value
      }
    }
  }
}

resource "aws_s3_bucket_policy" "lake" {
  bucket     = aws_s3_bucket.lake.id
  policy     = data.aws_iam_policy_document.lake.json
  depends_on = [aws_s3_bucket_public_access_block.lake]
}
