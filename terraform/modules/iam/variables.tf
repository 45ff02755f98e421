variable "name" {
  description = "Name prefix for the roles (e.g. ledgerflow-prod)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "name must be 3-41 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "oidc_provider_arn" {
  description = "The cluster's IAM OIDC provider (eks module output)."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "oidc_issuer" {
  description = "OIDC issuer host and path, without https:// (eks module output)."
  type        = string
  validation {
    condition     = !startswith(var.oidc_issuer, "https://") && length(var.oidc_issuer) > 0
    error_message = "oidc_issuer must be the issuer without the https:// scheme."
  }
}

variable "namespace" {
  description = "Kubernetes namespace of the worker service accounts."
  type        = string
  default     = "ledgerflow"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace)) && length(var.namespace) <= 63
    error_message = "namespace must be a valid Kubernetes namespace name."
  }
}

variable "lake_bucket_arn" {
  description = "Lake bucket ARN."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$", var.lake_bucket_arn))
    error_message = "lake_bucket_arn must be an S3 bucket ARN (arn:aws:s3:::name)."
  }
}

variable "lake_prefix" {
  description = "The key prefix the roles are confined to."
  type        = string
  validation {
    condition     = length(var.lake_prefix) > 0 && !startswith(var.lake_prefix, "/") && !endswith(var.lake_prefix, "/")
    error_message = "lake_prefix must be non-empty, without leading or trailing slash."
  }
}

variable "lake_kms_key_arn" {
  description = "KMS key of the lake."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.lake_kms_key_arn))
    error_message = "lake_kms_key_arn must be a KMS key ARN."
  }
}

variable "secret_arns" {
  description = "Secrets Manager secrets the External Secrets Operator may read to build the worker Secrets."
  type        = list(string)
  validation {
    condition     = length(var.secret_arns) > 0 && alltrue([for a in var.secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:", a))])
    error_message = "secret_arns must list Secrets Manager secret ARNs."
  }
}

variable "secrets_kms_key_arn" {
  description = "KMS key that encrypts those secrets."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.secrets_kms_key_arn))
    error_message = "secrets_kms_key_arn must be a KMS key ARN."
  }
}

variable "external_secrets_service_account" {
  description = "namespace/name of the External Secrets Operator's service account."
  type        = string
  default     = "external-secrets/external-secrets"
  validation {
    condition     = can(regex("^[a-z0-9-]+/[a-z0-9-]+$", var.external_secrets_service_account))
    error_message = "external_secrets_service_account must be written namespace/name."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
