variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "environment" {
  description = "Environment name; part of every resource name."
  type        = string
  default     = "example"
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lower-case letters or digits."
  }
}

variable "lake_bucket_name" {
  description = "Globally unique name of the lake bucket."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.lake_bucket_name))
    error_message = "lake_bucket_name must be a valid S3 bucket name."
  }
}

variable "lake_prefix" {
  description = "Key prefix of the lake (S3_PREFIX)."
  type        = string
  default     = "ledgerflow"
  validation {
    condition     = length(var.lake_prefix) > 0 && !endswith(var.lake_prefix, "/")
    error_message = "lake_prefix must be non-empty without a trailing slash."
  }
}

variable "admin_cidrs" {
  description = "CIDRs that may reach the EKS API endpoint from outside the VPC (e.g. the office VPN)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for c in var.admin_cidrs : can(cidrhost(c, 0))])
    error_message = "admin_cidrs must be CIDR blocks."
  }
}

variable "export_max_nodes" {
  description = "Upper bound of the export node group; the backfill window never asks for more."
  type        = number
  default     = 10
  validation {
    condition     = var.export_max_nodes >= 1 && var.export_max_nodes <= 100
    error_message = "export_max_nodes must be between 1 and 100."
  }
}

variable "use_temporal_cloud" {
  description = "Create the Secrets Manager secret for a Temporal Cloud API key."
  type        = bool
  default     = false
}

variable "manifest_retention_mode" {
  description = "Object Lock mode of sealed manifests: GOVERNANCE (break-glass roles may lift it) or COMPLIANCE (nobody can until it expires)."
  type        = string
  default     = "GOVERNANCE"
  validation {
    condition     = contains(["GOVERNANCE", "COMPLIANCE"], var.manifest_retention_mode)
    error_message = "manifest_retention_mode must be GOVERNANCE or COMPLIANCE."
  }
}

variable "manifest_retention_days" {
  description = "Days each sealed manifest stays locked (default seven years)."
  type        = number
  default     = 2557
  validation {
    condition     = var.manifest_retention_days >= 1 && var.manifest_retention_days <= 36500
    error_message = "manifest_retention_days must be between 1 and 36500."
  }
}

variable "break_glass_role_arns" {
  description = "IAM roles allowed to delete manifest versions and bypass GOVERNANCE retention (none by default)."
  type        = list(string)
  default     = []
}
