variable "bucket_name" {
  description = "Globally unique bucket name for the data lake."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) && !can(regex("\\.\\.|^xn--|-s3alias$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 lower-case letters, digits, dots or dashes."
  }
}

variable "lake_prefix" {
  description = "Key prefix the pipeline writes under (S3_PREFIX); IAM grants are scoped to it."
  type        = string
  default     = "ledgerflow"
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_/-]*[a-z0-9]$", var.lake_prefix)) && !can(regex("//", var.lake_prefix))
    error_message = "lake_prefix must be a key prefix without leading or trailing slash, e.g. ledgerflow or prod/ethereum."
  }
}

variable "infrequent_access_after_days" {
  description = "Move lake objects to STANDARD_IA after this many days (they are read again only for reloads and audits)."
  type        = number
  default     = 90
  validation {
    condition     = var.infrequent_access_after_days >= 30
    error_message = "infrequent_access_after_days must be at least 30 (the S3 minimum for STANDARD_IA)."
  }
}

variable "glacier_after_days" {
  description = "Move lake objects to GLACIER_IR after this many days; 0 disables the transition."
  type        = number
  default     = 365
  validation {
    condition     = var.glacier_after_days == 0 || var.glacier_after_days >= 90
    error_message = "glacier_after_days must be 0 (off) or at least 90."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days a replaced or deleted object version is kept (custody: re-exports must not silently erase history)."
  type        = number
  default     = 400
  validation {
    condition     = var.noncurrent_version_retention_days >= 30
    error_message = "noncurrent_version_retention_days must be at least 30."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the lake KMS key is deleted."
  type        = number
  default     = 30
  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "sealer_role_arn" {
  description = "IAM role that seals days (the export workers' IRSA role): the only principal that may write under manifests/."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", var.sealer_role_arn))
    error_message = "sealer_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "break_glass_role_arns" {
  description = "IAM roles that may delete manifest versions and bypass GOVERNANCE retention; empty means nobody (the account root can still edit the bucket policy)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for a in var.break_glass_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "break_glass_role_arns must list IAM role ARNs (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "manifest_retention_mode" {
  description = "Object Lock mode every manifest is written with: GOVERNANCE (break-glass roles may lift it) or COMPLIANCE (nobody can, not even the account root, until it expires)."
  type        = string
  default     = "GOVERNANCE"
  validation {
    condition     = contains(["GOVERNANCE", "COMPLIANCE"], var.manifest_retention_mode)
    error_message = "manifest_retention_mode must be GOVERNANCE or COMPLIANCE."
  }
}

variable "manifest_retention_days" {
  description = "Minimum days a manifest stays locked from its seal (default seven years); the bucket policy refuses manifest writes locked for less."
  type        = number
  default     = 2557
  validation {
    condition     = var.manifest_retention_days >= 1 && var.manifest_retention_days <= 36500 && floor(var.manifest_retention_days) == var.manifest_retention_days
    error_message = "manifest_retention_days must be a whole number of days between 1 and 36500."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
