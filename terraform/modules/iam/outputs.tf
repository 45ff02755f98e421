output "workflows_role_arn" {
  description = "IRSA role of ledgerflow-workflows."
  value       = aws_iam_role.this["workflows"].arn
}

output "export_role_arn" {
  description = "IRSA role of ledgerflow-export (writes the lake prefix and seals manifests)."
  value       = aws_iam_role.this["export"].arn
}

output "load_role_arn" {
  description = "IRSA role of ledgerflow-load (reads the lake prefix)."
  value       = aws_iam_role.this["load"].arn
}

output "external_secrets_role_arn" {
  description = "IRSA role of the External Secrets Operator (reads the Ledgerflow secrets)."
  value       = aws_iam_role.this["external-secrets"].arn
}
