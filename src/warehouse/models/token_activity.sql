-- model: token_activity
-- table: token_activity
-- depends:
-- Per hour, day and week and token: transfers, volume (sum of raw token units; for ERC-721 the
-- sum of token ids is meaningless and only the counts matter), distinct senders and receivers.
--
-- Volumes are exact at any size. Token amounts go up to 78 digits and Redshift's DECIMAL stops at
-- 38, so a single large transfer (common on mainnet) would make a plain SUM fail the whole day.
-- Each amount is split into three 26-digit limbs, the limbs are summed (each sum stays below
-- 10^38 for up to 10^12 transfers a bucket), the carries are moved up as text, and the digits
-- are joined again: {{uint_exact}} is NUMERIC on PostgreSQL and the decimal text on Redshift,
-- as for uint256 columns of the entity tables. PostgreSQL runs the same statement, so the tests
-- check the arithmetic there.

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.token_activity (
  grain VARCHAR(8) NOT NULL,
  bucket_start TIMESTAMP NOT NULL,
  token_address VARCHAR(42) NOT NULL,
  transfers BIGINT NOT NULL,
  volume {{uint_exact}} NOT NULL,
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
    x.token_address, x.from_address, x.to_address, CAST(x.value AS VARCHAR(80)) AS v
  FROM {{schema}}.blocks b
  JOIN windows w ON b."timestamp" >= w.from_s AND b."timestamp" < w.to_s
  JOIN {{schema}}.token_transfers x ON x.block_number = b.number
  WHERE b."timestamp" >= {{scan_from}} AND b."timestamp" < {{scan_to}}
    AND x.block_number BETWEEN {{block_from}} AND {{block_to}}
),
limbs AS (
  SELECT grain, bucket_s, token_address, from_address, to_address,
    CAST(RIGHT(v, 26) AS {{uint}}) AS lo,
    CASE WHEN LENGTH(v) > 26 THEN CAST(RIGHT(LEFT(v, LENGTH(v) - 26), 26) AS {{uint}}) ELSE 0 END AS mid,
    CASE WHEN LENGTH(v) > 52 THEN CAST(LEFT(v, LENGTH(v) - 52) AS {{uint}}) ELSE 0 END AS hi
  FROM transfers
),
sums AS (
  SELECT grain, bucket_s, token_address, COUNT(*) AS transfers,
    CAST(COALESCE(SUM(lo), 0) AS VARCHAR(40)) AS lo_text, COALESCE(SUM(mid), 0) AS mid, COALESCE(SUM(hi), 0) AS hi,
    COUNT(DISTINCT from_address) AS senders, COUNT(DISTINCT to_address) AS receivers
  FROM limbs
  GROUP BY grain, bucket_s, token_address
),
carried_lo AS (
  SELECT grain, bucket_s, token_address, transfers, senders, receivers, hi, RIGHT(lo_text, 26) AS lo_digits,
    CAST(mid + CASE WHEN LENGTH(lo_text) > 26 THEN CAST(LEFT(lo_text, LENGTH(lo_text) - 26) AS {{uint}}) ELSE 0 END AS VARCHAR(40)) AS mid_text
  FROM sums
),
carried_mid AS (
  SELECT grain, bucket_s, token_address, transfers, senders, receivers, lo_digits, RIGHT(mid_text, 26) AS mid_digits,
    hi + CASE WHEN LENGTH(mid_text) > 26 THEN CAST(LEFT(mid_text, LENGTH(mid_text) - 26) AS {{uint}}) ELSE 0 END AS hi_total
  FROM carried_lo
)
SELECT grain, TIMESTAMP 'epoch' + bucket_s * INTERVAL '1 second', token_address, transfers,
  CAST(CASE
    WHEN hi_total > 0 THEN CAST(hi_total AS VARCHAR(40)) || LPAD(mid_digits, 26, '0') || LPAD(lo_digits, 26, '0')
    WHEN CAST(mid_digits AS {{uint}}) > 0 THEN mid_digits || LPAD(lo_digits, 26, '0')
    ELSE lo_digits
  END AS {{uint_exact}}),
  senders, receivers
FROM carried_mid;
