output "rpc_secret_name" {
  description = "Secret holding RPC_URL."
  value       = aws_secretsmanager_secret.this["rpc"].name
}

output "warehouse_secret_name" {
  description = "Secret holding DATABASE_URL."
  value       = aws_secretsmanager_secret.this["warehouse"].name
}

output "signing_secret_name" {
  description = "Secret holding LEDGERFLOW_SIGNING_KEY (the manifest signing key)."
  value       = aws_secretsmanager_secret.this["signing"].name
}

output "codec_secret_name" {
  description = "Secret holding LEDGERFLOW_CODEC_KEYS (payload encryption) and LEDGERFLOW_CODEC_TOKEN (the codec server's token)."
  value       = aws_secretsmanager_secret.this["codec"].name
}

output "secret_arns" {
  description = "ARNs of every secret created here."
  value       = [for s in aws_secretsmanager_secret.this : s.arn]
}

output "kms_key_arn" {
  description = "KMS key that encrypts the secrets."
  value       = aws_kms_key.secrets.arn
}
