resource "aws_redshift_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-redshift"
  description = "Redshift: 5439 from the worker subnets only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "workers" {
  for_each          = toset(var.allowed_cidr_blocks)
  security_group_id = aws_security_group.this.id
  description       = "Ledgerflow load workers"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 5439
  to_port           = 5439
}

# With enhanced VPC routing, COPY reaches S3 through the VPC (gateway endpoint), so it still
# needs a way out of the security group.
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "COPY from S3 through the gateway endpoint"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_redshift_parameter_group" "this" {
  name   = var.name
  family = "redshift-1.0"

  parameter {
    name  = "require_ssl"
    value = "true"
  }

  parameter {
    name  = "enable_user_activity_logging"
    value = "true"
  }

  tags = var.tags
}

resource "aws_kms_key" "warehouse" {
  description         = "${var.name} Redshift encryption"
  enable_key_rotation = true
  tags                = var.tags
}

data "aws_iam_policy_document" "copy_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com"]
    }
  }
}

# COPY ... IAM_ROLE: read the lake prefix, nothing else in the bucket or the account.
data "aws_iam_policy_document" "copy" {
  statement {
    sid       = "ReadLakeObjects"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${var.lake_bucket_arn}/${var.lake_prefix}/*"]
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
    sid       = "DecryptLake"
    actions   = ["kms:Decrypt"]
    resources = [var.lake_kms_key_arn]
  }
}

resource "aws_iam_role" "copy" {
  name               = "${var.name}-redshift-copy"
  assume_role_policy = data.aws_iam_policy_document.copy_trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "copy" {
  name   = "read-lake-prefix"
  role   = aws_iam_role.copy.id
  policy = data.aws_iam_policy_document.copy.json
}

resource "aws_redshift_cluster" "this" {
  cluster_identifier           = var.name
  database_name                = var.database_name
  master_username              = var.master_username
  manage_master_password       = true
  node_type                    = var.node_type
  cluster_type                 = var.number_of_nodes > 1 ? "multi-node" : "single-node"
  number_of_nodes              = var.number_of_nodes
  cluster_subnet_group_name    = aws_redshift_subnet_group.this.name
  vpc_security_group_ids       = [aws_security_group.this.id]
  cluster_parameter_group_name = aws_redshift_parameter_group.this.name
  publicly_accessible          = false
  enhanced_vpc_routing         = true
  encrypted                    = true
  kms_key_id                   = aws_kms_key.warehouse.arn
  iam_roles                    = [aws_iam_role.copy.arn]
  default_iam_role_arn         = aws_iam_role.copy.arn

  automated_snapshot_retention_period = var.snapshot_retention_days
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${var.name}-final"

  tags = var.tags
}
