terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70, < 6.0"
    }
  }
  # State in S3 with native locking; pass the bucket at init:
  #   terraform init -backend-config="bucket=<state-bucket>" -backend-config="key=ledgerflow/example.tfstate" -backend-config="region=us-east-1"
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      project     = "ledgerflow"
      environment = var.environment
    }
  }
}
