locals {
  objects          = "${var.lake_bucket_arn}/${var.lake_prefix}/*"
  manifest_objects = "${var.lake_bucket_arn}/${var.lake_prefix}/*/manifests/*"
  # Data chunks: <prefix>/chain=<id>/entity=<name>/date=<day>/... (src/lake/objectKey.ts). Nothing
  # under manifests/ has an entity= directory.
  chunk_objects = "${var.lake_bucket_arn}/${var.lake_prefix}/*/entity=*"

  # One IRSA role per worker role. Reads (s3:Get*) cover the lake prefix; any other object action
  # covers chunk objects only. Export writes chunks (and reads them back to resume a chunk and
  # verify) and seals: sealDay runs on the export queue, so the export role is the sealing role,
  # the one principal the bucket policy lets write under manifests/. A manifest PUT carries its
  # Object Lock retention, which S3 authorises as s3:PutObjectRetention. Load reads only.
  # Workflows runs no activity and touches no AWS resource: its role gets no policy at all.
  # Nobody may delete: versioned evidence.
  worker_roles = {
    workflows = {
      object_actions   = []
      manifest_actions = []
      kms_actions      = []
    }
    export = {
      object_actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
      manifest_actions = ["s3:PutObjectRetention"]
      kms_actions      = ["kms:Decrypt", "kms:GenerateDataKey"]
    }
    load = {
      object_actions   = ["s3:GetObject"]
      manifest_actions = []
      kms_actions      = ["kms:Decrypt"]
    }
  }

  lake_roles = {
    for role, grants in local.worker_roles : role => merge(grants, {
      read_actions  = [for a in grants.object_actions : a if startswith(a, "s3:Get")]
      write_actions = [for a in grants.object_actions : a if !startswith(a, "s3:Get")]
    }) if length(grants.object_actions) > 0
  }

  service_accounts = merge(
    { for role in keys(local.worker_roles) : role => "${var.namespace}:ledgerflow-${role}" },
    { external-secrets = replace(var.external_secrets_service_account, "/", ":") },
  )
}

data "aws_iam_policy_document" "trust" {
  for_each = local.service_accounts
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${each.value}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each           = local.service_accounts
  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
  tags               = var.tags
}

data "aws_iam_policy_document" "worker" {
  for_each = local.lake_roles
  statement {
    sid       = "ReadLake"
    actions   = each.value.read_actions
    resources = [local.objects]
  }
  dynamic "statement" {
    for_each = length(each.value.write_actions) > 0 ? [each.value.write_actions] : []
    content {
      sid       = "WriteChunks"
      actions   = statement.value
      resources = [local.chunk_objects]
    }
  }
  dynamic "statement" {
    for_each = length(each.value.manifest_actions) > 0 ? [each.value.manifest_actions] : []
    content {
      sid       = "SealManifests"
      actions   = concat(["s3:PutObject"], statement.value)
      resources = [local.manifest_objects]
    }
  }
  statement {
    sid       = "ListLakePrefix"
    actions   = ["s3:ListBucket"]
    resources = [var.lake_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.lake_prefix}/*"]
    }
  }
  statement {
    sid       = "LakeKey"
    actions   = each.value.kms_actions
    resources = [var.lake_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "worker" {
  for_each = local.lake_roles
  name     = "lake-${each.key}"
  role     = aws_iam_role.this[each.key].id
  policy   = data.aws_iam_policy_document.worker[each.key].json
}

data "aws_iam_policy_document" "external_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = var.secret_arns
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "external_secrets" {
  name   = "read-ledgerflow-secrets"
  role   = aws_iam_role.this["external-secrets"].id
  policy = data.aws_iam_policy_document.external_secrets.json
}
