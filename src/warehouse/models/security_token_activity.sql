-- model: security_token_activity
-- table: security_token_activity
-- depends: security_token_movements
-- Per hour, day and week, token and partition (NULL for events without one): amounts issued,
-- redeemed and transferred, and the number of movements.

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.security_token_activity (
  grain VARCHAR(8) NOT NULL,
  bucket_start TIMESTAMP NOT NULL,
  token_address VARCHAR(42) NOT NULL,
  "partition" VARCHAR(66),
  issued {{uint}} NOT NULL,
  redeemed {{uint}} NOT NULL,
  transferred {{uint}} NOT NULL,
  movements BIGINT NOT NULL
);

-- @index
CREATE INDEX IF NOT EXISTS security_token_activity_bucket_idx ON {{schema}}.security_token_activity (grain, bucket_start, token_address);

-- @delete
DELETE FROM {{schema}}.security_token_activity WHERE {{bucket_filter}};

-- @insert
INSERT INTO {{schema}}.security_token_activity (
  grain, bucket_start, token_address, "partition", issued, redeemed, transferred, movements
)
WITH {{windows}},
moves AS (
  SELECT w.grain, m.block_timestamp - MOD(m.block_timestamp - w.offset_s, w.step) AS bucket_s,
    m.token_address, m."partition", m.kind, m.value
  FROM {{schema}}.security_token_movements m
  JOIN windows w ON m.block_timestamp >= w.from_s AND m.block_timestamp < w.to_s
  WHERE m.block_timestamp >= {{scan_from}} AND m.block_timestamp < {{scan_to}}
)
SELECT grain, TIMESTAMP 'epoch' + bucket_s * INTERVAL '1 second', token_address, "partition",
  SUM(CASE WHEN kind = 'issue' THEN value ELSE 0 END),
  SUM(CASE WHEN kind = 'redeem' THEN value ELSE 0 END),
  SUM(CASE WHEN kind = 'transfer' THEN value ELSE 0 END),
  COUNT(*)
FROM moves
GROUP BY grain, bucket_s, token_address, "partition";
