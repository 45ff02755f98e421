-- model: security_token_activity
-- table: security_token_activity
-- depends: security_token_movements
-- Per hour, day and week, token and partition (NULL for events without one): amounts issued,
-- redeemed and transferred, and the number of movements. Amounts are summed exactly at any size,
-- as 26-digit limbs (src/warehouse/limbSql.ts).

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.security_token_activity (
  grain VARCHAR(8) NOT NULL,
  bucket_start TIMESTAMP NOT NULL,
  token_address VARCHAR(42) NOT NULL,
  "partition" VARCHAR(66),
  issued {{int_exact}} NOT NULL,
  redeemed {{int_exact}} NOT NULL,
  transferred {{int_exact}} NOT NULL,
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
    m.token_address, m."partition", m.kind, CAST(m.value AS VARCHAR(100)) AS v
  FROM {{schema}}.security_token_movements m
  JOIN windows w ON m.block_timestamp >= w.from_s AND m.block_timestamp < w.to_s
  WHERE m.block_timestamp >= {{scan_from}} AND m.block_timestamp < {{scan_to}}
),
limbs AS (
  SELECT grain, bucket_s, token_address, "partition", kind, {{limb_lo(v)}} AS lo, {{limb_mid(v)}} AS mid, {{limb_hi(v)}} AS hi
  FROM moves
),
sums AS (
  SELECT grain, bucket_s, token_address, "partition", COUNT(*) AS movements,
    SUM(CASE WHEN kind = 'issue' THEN lo ELSE 0 END) AS i_lo,
    SUM(CASE WHEN kind = 'issue' THEN mid ELSE 0 END) AS i_mid,
    SUM(CASE WHEN kind = 'issue' THEN hi ELSE 0 END) AS i_hi,
    SUM(CASE WHEN kind = 'redeem' THEN lo ELSE 0 END) AS r_lo,
    SUM(CASE WHEN kind = 'redeem' THEN mid ELSE 0 END) AS r_mid,
    SUM(CASE WHEN kind = 'redeem' THEN hi ELSE 0 END) AS r_hi,
    SUM(CASE WHEN kind = 'transfer' THEN lo ELSE 0 END) AS t_lo,
    SUM(CASE WHEN kind = 'transfer' THEN mid ELSE 0 END) AS t_mid,
    SUM(CASE WHEN kind = 'transfer' THEN hi ELSE 0 END) AS t_hi
  FROM limbs
  GROUP BY grain, bucket_s, token_address, "partition"
),
carried_lo AS (
  SELECT grain, bucket_s, token_address, "partition", movements,
    i_hi, i_mid + {{carry(i_lo)}} AS i_mid, {{rem(i_lo)}} AS i_lo,
    r_hi, r_mid + {{carry(r_lo)}} AS r_mid, {{rem(r_lo)}} AS r_lo,
    t_hi, t_mid + {{carry(t_lo)}} AS t_mid, {{rem(t_lo)}} AS t_lo
  FROM sums
),
carried_mid AS (
  SELECT grain, bucket_s, token_address, "partition", movements,
    i_hi + {{carry(i_mid)}} AS i_hi, {{rem(i_mid)}} AS i_mid, i_lo,
    r_hi + {{carry(r_mid)}} AS r_hi, {{rem(r_mid)}} AS r_mid, r_lo,
    t_hi + {{carry(t_mid)}} AS t_hi, {{rem(t_mid)}} AS t_mid, t_lo
  FROM carried_lo
)
SELECT grain, TIMESTAMP '1970-01-01 00:00:00' + bucket_s * INTERVAL '1 second', token_address, "partition",
  CAST({{digits(i_hi, i_mid, i_lo)}} AS {{int_exact}}),
  CAST({{digits(r_hi, r_mid, r_lo)}} AS {{int_exact}}),
  CAST({{digits(t_hi, t_mid, t_lo)}} AS {{int_exact}}),
  movements
FROM carried_mid;
