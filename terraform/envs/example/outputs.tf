output "cluster_name" {
  description = "For `aws eks update-kubeconfig --name`."
  value       = module.eks.cluster_name
}

output "cluster_autoscaler_role_arn" {
  description = "Annotate kube-system/cluster-autoscaler with this role."
  value       = module.eks.cluster_autoscaler_role_arn
}

output "external_secrets_role_arn" {
  description = "Annotate the External Secrets Operator's service account with this role."
  value       = module.iam.external_secrets_role_arn
}

output "redshift_endpoint" {
  description = "Private host of the warehouse, for DATABASE_URL."
  value       = module.redshift.endpoint
}

output "redshift_admin_secret_arn" {
  description = "Redshift-managed secret with the admin password (to create the loader user)."
  value       = module.redshift.master_password_secret_arn
}

output "lake_kms_key_arn" {
  description = "The lake's KMS key: set LEDGERFLOW_S3_KMS_KEY_ID to it to send SSE-KMS headers on every lake write (optional: without them the bucket default encrypts with the same key)."
  value       = module.s3.kms_key_arn
}

# Consumed by k8s/overlays/eks: terraform output -raw eks_overlay_env > k8s/overlays/eks/terraform-outputs.env
output "eks_overlay_env" {
  description = "Settings for the k8s eks overlay, one KEY=value a line."
  value       = <<-EOT
    AWS_REGION=${var.region}
    VPC_CIDR=${module.vpc.vpc_cidr}
    S3_BUCKET=${module.s3.bucket_name}
    S3_PREFIX=${module.s3.lake_prefix}
    REDSHIFT_IAM_ROLE=${module.redshift.copy_role_arn}
    WORKFLOWS_ROLE_ARN=${module.iam.workflows_role_arn}
    EXPORT_ROLE_ARN=${module.iam.export_role_arn}
    LOAD_ROLE_ARN=${module.iam.load_role_arn}
    RPC_SECRET_NAME=${module.secrets.rpc_secret_name}
    WAREHOUSE_SECRET_NAME=${module.secrets.warehouse_secret_name}
    SIGNING_SECRET_NAME=${module.secrets.signing_secret_name}
    CODEC_SECRET_NAME=${module.secrets.codec_secret_name}
    MANIFEST_RETENTION_MODE=${module.s3.manifest_retention_mode}
    MANIFEST_RETENTION_DAYS=${module.s3.manifest_retention_days}
    LAKE_KMS_KEY_ARN=${module.s3.kms_key_arn}
  EOT
}
