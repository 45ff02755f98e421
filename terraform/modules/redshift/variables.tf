variable "name" {
  description = "Cluster identifier (e.g. ledgerflow-prod)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.name)) && !can(regex("--|-$", var.name))
    error_message = "name must be lower-case letters, digits and single dashes, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC of the private subnets."
  type        = string
  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123abcd."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the cluster subnet group."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must list at least two private subnet ids (subnet-...)."
  }
}

variable "allowed_cidr_blocks" {
  description = "Who may connect on 5439: the worker subnets (load role), never the internet."
  type        = list(string)
  validation {
    condition     = length(var.allowed_cidr_blocks) > 0 && alltrue([for c in var.allowed_cidr_blocks : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "allowed_cidr_blocks must list private CIDR blocks, and not 0.0.0.0/0."
  }
}

variable "node_type" {
  description = "Redshift node type."
  type        = string
  default     = "ra3.xlplus"
  validation {
    condition     = contains(["ra3.large", "ra3.xlplus", "ra3.4xlarge", "ra3.16xlarge"], var.node_type)
    error_message = "node_type must be an RA3 type (managed storage, required for data sharing and concurrency scaling)."
  }
}

variable "number_of_nodes" {
  description = "Compute nodes; 1 makes a single-node cluster."
  type        = number
  default     = 2
  validation {
    condition     = var.number_of_nodes >= 1 && var.number_of_nodes <= 32 && floor(var.number_of_nodes) == var.number_of_nodes
    error_message = "number_of_nodes must be a whole number from 1 to 32."
  }
}

variable "database_name" {
  description = "Database the pipeline loads into."
  type        = string
  default     = "ledgerflow"
  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,63}$", var.database_name))
    error_message = "database_name must be lower-case letters, digits and underscores, starting with a letter or underscore."
  }
}

variable "master_username" {
  description = "Admin user; its password is generated and kept in Secrets Manager by Redshift itself."
  type        = string
  default     = "ledgerflow_admin"
  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,126}$", var.master_username)) && var.master_username != "admin"
    error_message = "master_username must start with a letter, use lower-case letters, digits or underscores, and not be the guessable \"admin\"."
  }
}

variable "lake_bucket_arn" {
  description = "Lake bucket the COPY role reads."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$", var.lake_bucket_arn))
    error_message = "lake_bucket_arn must be an S3 bucket ARN (arn:aws:s3:::name)."
  }
}

variable "lake_prefix" {
  description = "The only key prefix COPY may read."
  type        = string
  validation {
    condition     = length(var.lake_prefix) > 0 && !startswith(var.lake_prefix, "/") && !endswith(var.lake_prefix, "/")
    error_message = "lake_prefix must be non-empty, without leading or trailing slash."
  }
}

variable "lake_kms_key_arn" {
  description = "KMS key of the lake, needed to decrypt the objects COPY reads."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.lake_kms_key_arn))
    error_message = "lake_kms_key_arn must be a KMS key ARN."
  }
}

variable "snapshot_retention_days" {
  description = "Automated snapshot retention."
  type        = number
  default     = 7
  validation {
    condition     = var.snapshot_retention_days >= 1 && var.snapshot_retention_days <= 35
    error_message = "snapshot_retention_days must be between 1 and 35."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
