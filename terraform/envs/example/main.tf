locals {
  name = "ledgerflow-${var.environment}"
  azs  = ["${var.region}a", "${var.region}b", "${var.region}c"]
}

module "vpc" {
  source               = "../../modules/vpc"
  name                 = local.name
  cidr                 = "10.0.0.0/16"
  azs                  = local.azs
  private_subnet_cidrs = ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]
  public_subnet_cidrs  = ["10.0.96.0/22", "10.0.100.0/22", "10.0.104.0/22"]
  single_nat_gateway   = false
}

module "eks" {
  source                       = "../../modules/eks"
  name                         = local.name
  kubernetes_version           = "1.31"
  vpc_id                       = module.vpc.vpc_id
  subnet_ids                   = module.vpc.private_subnet_ids
  endpoint_public_access_cidrs = var.admin_cidrs
  node_groups = {
    # Temporal, the workflows and load workers, KEDA, External Secrets, Prometheus.
    system = {
      instance_types = ["m6i.large"]
      min_size       = 2
      max_size       = 6
      desired_size   = 3
    }
    # Export pods only (k8s eks overlay nodeSelector); scaled by the cluster autoscaler as KEDA
    # adds pods, and the capacity activity shrinks backfills when this group is at its bound.
    export = {
      instance_types = ["m6i.xlarge", "m5.xlarge"]
      capacity_type  = "SPOT"
      min_size       = 0
      max_size       = var.export_max_nodes
      desired_size   = 1
      labels         = { "ledgerflow.io/pool" = "export" }
    }
  }
}

module "s3" {
  source                  = "../../modules/s3"
  bucket_name             = var.lake_bucket_name
  lake_prefix             = var.lake_prefix
  sealer_role_arn         = module.iam.export_role_arn
  break_glass_role_arns   = var.break_glass_role_arns
  manifest_retention_mode = var.manifest_retention_mode
  manifest_retention_days = var.manifest_retention_days
}

module "secrets" {
  source                       = "../../modules/secrets"
  name                         = local.name
  create_temporal_cloud_secret = var.use_temporal_cloud
}

module "redshift" {
  source              = "../../modules/redshift"
  name                = local.name
  vpc_id              = module.vpc.vpc_id
  subnet_ids          = module.vpc.private_subnet_ids
  allowed_cidr_blocks = [module.vpc.vpc_cidr]
  lake_bucket_arn     = module.s3.bucket_arn
  lake_prefix         = module.s3.lake_prefix
  lake_kms_key_arn    = module.s3.kms_key_arn
}

module "iam" {
  source              = "../../modules/iam"
  name                = local.name
  oidc_provider_arn   = module.eks.oidc_provider_arn
  oidc_issuer         = module.eks.oidc_issuer
  lake_bucket_arn     = module.s3.bucket_arn
  lake_prefix         = module.s3.lake_prefix
  lake_kms_key_arn    = module.s3.kms_key_arn
  secret_arns         = module.secrets.secret_arns
  secrets_kms_key_arn = module.secrets.kms_key_arn
}
