variable "name" {
  description = "Secret name prefix (e.g. ledgerflow-prod); secrets are named <name>/rpc and so on."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "name must be 3-41 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "recovery_window_days" {
  description = "Days a deleted secret can still be restored; 0 deletes at once (test environments only)."
  type        = number
  default     = 30
  validation {
    condition     = var.recovery_window_days == 0 || (var.recovery_window_days >= 7 && var.recovery_window_days <= 30)
    error_message = "recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "create_temporal_cloud_secret" {
  description = "Also create <name>/temporal for a Temporal Cloud API key."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
