-- model: token_activity
-- table: token_activity
-- depends:
-- Per hour, day and week and token: transfers, volume (sum of raw token units; for ERC-721 the
-- sum of token ids is meaningless and only the counts matter), distinct senders and receivers.
--
-- Volumes are exact at any size. Token amounts go up to 78 digits and Redshift's DECIMAL stops at
-- 38, so a single large transfer (common on mainnet) would make a plain SUM fail the whole day.
-- Each amount is split into three 26-digit limbs, the limbs are summed, the carries are moved up
-- and the digits joined again (macros in src/warehouse/limbSql.ts): {{int_exact}} is NUMERIC on
-- PostgreSQL and the decimal text on Redshift. PostgreSQL runs the same statement, so the tests
-- check the arithmetic there.

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.token_activity (
  grain VARCHAR(8) NOT NULL,
  bucket_start TIMESTAMP NOT NULL,
  token_address VARCHAR(42) NOT NULL,
  transfers BIGINT NOT NULL,
  volume {{int_exact}} NOT NULL,
  distinct_senders BIGINT NOT NULL,
  distinct_receivers BIGINT NOT NULL
);

-- @index
CREATE UNIQUE INDEX IF NOT EXISTS token_activity_bucket_idx ON {{schema}}.token_activity (grain, bucket_start, token_address);

-- @delete
DELETE FROM {{schema}}.token_activity WHERE {{bucket_filter}};

-- @insert
INSERT INTO {{schema}}.token_activity (
  grain, bucket_start, token_address, transfers, volume, distinct_senders, distinct_receivers
)
WITH {{windows}},
transfers AS (
  SELECT w.grain, b."timestamp" - MOD(b."timestamp" - w.offset_s, w.step) AS bucket_s,
    x.token_address, x.from_address, x.to_address, CAST(x.value AS VARCHAR(100)) AS v
  FROM {{schema}}.blocks b
  JOIN windows w ON b."timestamp" >= w.from_s AND b."timestamp" < w.to_s
  JOIN {{schema}}.token_transfers x ON x.block_number = b.number
  WHERE b."timestamp" >= {{scan_from}} AND b."timestamp" < {{scan_to}}
    AND x.block_number BETWEEN {{block_from}} AND {{block_to}}
),
sums AS (
  SELECT grain, bucket_s, token_address, COUNT(*) AS transfers,
    COALESCE(SUM({{limb_lo(v)}}), 0) AS lo, COALESCE(SUM({{limb_mid(v)}}), 0) AS mid, COALESCE(SUM({{limb_hi(v)}}), 0) AS hi,
    COUNT(DISTINCT from_address) AS senders, COUNT(DISTINCT to_address) AS receivers
  FROM transfers
  GROUP BY grain, bucket_s, token_address
),
carried_lo AS (
  SELECT grain, bucket_s, token_address, transfers, senders, receivers, hi, mid + {{carry(lo)}} AS mid, {{rem(lo)}} AS lo
  FROM sums
),
carried_mid AS (
  SELECT grain, bucket_s, token_address, transfers, senders, receivers, hi + {{carry(mid)}} AS hi, {{rem(mid)}} AS mid, lo
  FROM carried_lo
)
SELECT grain, TIMESTAMP '1970-01-01 00:00:00' + bucket_s * INTERVAL '1 second', token_address, transfers,
  CAST({{digits(hi, mid, lo)}} AS {{int_exact}}), senders, receivers
FROM carried_mid;
