-- model: security_token_holders
-- table: security_token_holders
-- depends: security_token_movements
-- Holders per token (addresses with a positive balance across all partitions) at the end of each
-- hour, day and week in which the token moved. A balance is the sum of every movement up to the
-- bucket's end, so a day's holders depend on all earlier days: run incremental days in order
-- (as the daily schedule and backfills do), or refresh after loading days out of order.

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.security_token_holders (
  grain VARCHAR(8) NOT NULL,
  bucket_start TIMESTAMP NOT NULL,
  token_address VARCHAR(42) NOT NULL,
  holders BIGINT NOT NULL
);

-- @index
CREATE UNIQUE INDEX IF NOT EXISTS security_token_holders_bucket_idx ON {{schema}}.security_token_holders (grain, bucket_start, token_address);

-- @delete
DELETE FROM {{schema}}.security_token_holders WHERE {{bucket_filter}};

-- @insert
INSERT INTO {{schema}}.security_token_holders (grain, bucket_start, token_address, holders)
WITH {{windows}},
active AS (
  SELECT DISTINCT w.grain, m.block_timestamp - MOD(m.block_timestamp - w.offset_s, w.step) AS bucket_s, w.step, m.token_address
  FROM {{schema}}.security_token_movements m
  JOIN windows w ON m.block_timestamp >= w.from_s AND m.block_timestamp < w.to_s
),
deltas AS (
  SELECT token_address, to_address AS holder, block_timestamp, value AS delta
  FROM {{schema}}.security_token_movements WHERE to_address IS NOT NULL
  UNION ALL
  SELECT token_address, from_address, block_timestamp, 0 - value
  FROM {{schema}}.security_token_movements WHERE from_address IS NOT NULL
),
balances AS (
  SELECT a.grain, a.bucket_s, a.token_address, d.holder, SUM(d.delta) AS balance
  FROM active a
  JOIN deltas d ON d.token_address = a.token_address AND d.block_timestamp < a.bucket_s + a.step
  WHERE d.holder <> '0x0000000000000000000000000000000000000000'
  GROUP BY a.grain, a.bucket_s, a.token_address, d.holder
)
SELECT a.grain, TIMESTAMP 'epoch' + a.bucket_s * INTERVAL '1 second', a.token_address,
  SUM(CASE WHEN bal.balance > 0 THEN 1 ELSE 0 END)
FROM active a
LEFT JOIN balances bal ON bal.grain = a.grain AND bal.bucket_s = a.bucket_s AND bal.token_address = a.token_address
GROUP BY a.grain, a.bucket_s, a.token_address;
