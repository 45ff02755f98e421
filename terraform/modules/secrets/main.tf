# Only the containers are created here. Values are put in out of band
# (`aws secretsmanager put-secret-value`, see docs/deploy.md) so no RPC key or password ever
# lands in Terraform state or plan output.
locals {
  secrets = merge(
    {
      rpc       = "JSON-RPC endpoint URLs with their API keys: {\"RPC_URL\": \"https://...,https://...\"}"
      warehouse = "Warehouse connection for the load workers: {\"DATABASE_URL\": \"postgres://...\"}"
      # Only the export workers (the sealers) mount it; verifiers get the public half from git.
      signing = "Ed25519 private key that signs day manifests, PKCS#8 PEM: {\"LEDGERFLOW_SIGNING_KEY\": \"-----BEGIN PRIVATE KEY-----\\n...\"}"
      # Every worker mounts the keys (each encrypts what it writes to Temporal history); only a
      # codec server reads the token.
      codec = "Payload codec keys, id=base64 pairs of 32-byte keys, the encrypting one first, and the codec server's bearer token: {\"LEDGERFLOW_CODEC_KEYS\": \"k1=...\", \"LEDGERFLOW_CODEC_TOKEN\": \"...\"}"
    },
    var.create_temporal_cloud_secret ? { temporal = "Temporal Cloud API key: {\"TEMPORAL_API_KEY\": \"...\"}" } : {},
  )
}

resource "aws_kms_key" "secrets" {
  description         = "${var.name} pipeline secrets"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_secretsmanager_secret" "this" {
  for_each                = local.secrets
  name                    = "${var.name}/${each.key}"
  description             = each.value
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}
