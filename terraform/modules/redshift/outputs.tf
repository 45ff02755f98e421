output "endpoint" {
  description = "Host of the cluster (private)."
  value       = aws_redshift_cluster.this.dns_name
}

output "port" {
  description = "Port the cluster listens on."
  value       = aws_redshift_cluster.this.port
}

output "database_name" {
  description = "Database the pipeline loads into."
  value       = aws_redshift_cluster.this.database_name
}

output "copy_role_arn" {
  description = "IAM role for COPY (REDSHIFT_IAM_ROLE)."
  value       = aws_iam_role.copy.arn
}

output "security_group_id" {
  description = "Security group of the cluster."
  value       = aws_security_group.this.id
}

output "master_password_secret_arn" {
  description = "Secrets Manager secret, managed by Redshift, holding the admin password."
  value       = aws_redshift_cluster.this.master_password_secret_arn
}
