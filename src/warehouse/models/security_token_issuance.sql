-- model: security_token_issuance
-- kind: counter
-- grains: hourly, daily, weekly
-- depends: security_token_movements, security_token_activity
-- Issuances per bucket, token and partition: value counts the issuance movements, value_json
-- {"amount":"<exact decimal>"} holds the amount issued, exact at any size (security_token_activity
-- sums it as limbs; a DECIMAL column would stop at 38 digits on Redshift). Dimensions:
-- {"partition":<bytes32 hex or null>,"token_address":"0x..."}.

-- @insert
INSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)
WITH {{windows}},
issues AS (
  SELECT w.grain, m.block_timestamp - MOD(m.block_timestamp - w.offset_s, w.step) AS bucket_s, m.token_address, m."partition"
  FROM {{schema}}.security_token_movements m
  JOIN windows w ON m.block_timestamp >= w.from_s AND m.block_timestamp < w.to_s
  WHERE m.kind = 'issue' AND m.block_timestamp >= {{scan_from}} AND m.block_timestamp < {{scan_to}}
),
counted AS (
  SELECT grain, TIMESTAMP '1970-01-01 00:00:00' + bucket_s * INTERVAL '1 second' AS bucket_start, token_address, "partition", COUNT(*) AS issuances
  FROM issues
  GROUP BY grain, bucket_s, token_address, "partition"
)
SELECT {{metric}}, c.grain, c.bucket_start,
  '{"partition":' || COALESCE('"' || c."partition" || '"', 'null') || ',"token_address":"' || c.token_address || '"}',
  c.issuances,
  '{"amount":"' || CAST(a.issued AS VARCHAR(100)) || '"}'
FROM counted c
JOIN {{schema}}.security_token_activity a
  ON a.grain = c.grain AND a.bucket_start = c.bucket_start AND a.token_address = c.token_address
  AND (a."partition" = c."partition" OR (a."partition" IS NULL AND c."partition" IS NULL));
