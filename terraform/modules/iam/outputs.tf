output "workflows_role_arn" {
  description = "IRSA role of ledgerflow-workflows (no AWS permissions: it runs no activity)."
  value       = aws_iam_role.this["workflows"].arn
}

output "export_role_arn" {
  description = "IRSA role of ledgerflow-export (writes chunk objects, and seals: the only role that writes manifests)."
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
