variable "name" {
  description = "Name prefix for every resource (e.g. ledgerflow-prod)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "cidr" {
  description = "VPC CIDR block; the k8s eks overlay uses it for in-VPC NetworkPolicy egress."
  type        = string
  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 20
    error_message = "cidr must be an IPv4 CIDR of /20 or larger, e.g. 10.0.0.0/16."
  }
}

variable "azs" {
  description = "Availability zones; worker pods spread across them."
  type        = list(string)
  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 6
    error_message = "azs must list 2 to 6 availability zones (EKS and Redshift subnet groups need at least two)."
  }
}

variable "private_subnet_cidrs" {
  description = "One private subnet per AZ, for nodes, pods and Redshift."
  type        = list(string)
  validation {
    condition     = alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "private_subnet_cidrs must all be IPv4 CIDR blocks."
  }
}

variable "public_subnet_cidrs" {
  description = "One public subnet per AZ, holding the NAT gateways and load balancers."
  type        = list(string)
  validation {
    condition     = alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "public_subnet_cidrs must all be IPv4 CIDR blocks."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all AZs (cheaper) instead of one per AZ (survives an AZ outage)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
