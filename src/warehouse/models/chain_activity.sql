-- model: chain_activity
-- table: chain_activity
-- depends:
-- Per hour, day and week: blocks, transactions, failed transactions (receipt status 0), gas used,
-- fees paid (receipt gas_used * effective_gas_price), base fee range and active addresses
-- (distinct senders and recipients).

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.chain_activity (
  grain VARCHAR(8) NOT NULL,
  bucket_start TIMESTAMP NOT NULL,
  blocks BIGINT NOT NULL,
  transactions BIGINT NOT NULL,
  failed_transactions BIGINT NOT NULL,
  gas_used {{uint}} NOT NULL,
  fees_wei {{uint}} NOT NULL,
  min_base_fee_per_gas {{uint}},
  avg_base_fee_per_gas {{uint}},
  max_base_fee_per_gas {{uint}},
  active_addresses BIGINT NOT NULL
);

-- @index
CREATE UNIQUE INDEX IF NOT EXISTS chain_activity_bucket_idx ON {{schema}}.chain_activity (grain, bucket_start);

-- @delete
DELETE FROM {{schema}}.chain_activity WHERE {{bucket_filter}};

-- @insert
INSERT INTO {{schema}}.chain_activity (
  grain, bucket_start, blocks, transactions, failed_transactions, gas_used, fees_wei,
  min_base_fee_per_gas, avg_base_fee_per_gas, max_base_fee_per_gas, active_addresses
)
WITH {{windows}},
blk AS (
  SELECT w.grain, b."timestamp" - MOD(b."timestamp" - w.offset_s, w.step) AS bucket_s, b.gas_used, b.base_fee_per_gas
  FROM {{schema}}.blocks b
  JOIN windows w ON b."timestamp" >= w.from_s AND b."timestamp" < w.to_s
  WHERE b."timestamp" >= {{scan_from}} AND b."timestamp" < {{scan_to}}
),
tx AS (
  SELECT w.grain, t.block_timestamp - MOD(t.block_timestamp - w.offset_s, w.step) AS bucket_s,
    t.from_address, t.to_address, r.status,
    CAST(r.gas_used AS {{uint}}) * CAST(r.effective_gas_price AS {{uint}}) AS fee
  FROM {{schema}}.transactions t
  JOIN windows w ON t.block_timestamp >= w.from_s AND t.block_timestamp < w.to_s
  LEFT JOIN {{schema}}.receipts r
    ON r.block_number = t.block_number AND r.transaction_hash = t.hash AND r.block_number BETWEEN {{block_from}} AND {{block_to}}
  WHERE t.block_number BETWEEN {{block_from}} AND {{block_to}}
),
blk_agg AS (
  SELECT grain, bucket_s, COUNT(*) AS blocks, SUM(CAST(gas_used AS {{uint}})) AS gas_used,
    MIN(CAST(base_fee_per_gas AS {{uint}})) AS min_fee,
    FLOOR(AVG(CAST(base_fee_per_gas AS {{uint}}))) AS avg_fee,
    MAX(CAST(base_fee_per_gas AS {{uint}})) AS max_fee
  FROM blk
  GROUP BY grain, bucket_s
),
tx_agg AS (
  SELECT grain, bucket_s, COUNT(*) AS transactions,
    SUM(CASE WHEN status = 0 THEN 1 ELSE 0 END) AS failed,
    SUM(fee) AS fees
  FROM tx
  GROUP BY grain, bucket_s
),
addresses AS (
  SELECT grain, bucket_s, from_address AS address FROM tx WHERE from_address IS NOT NULL
  UNION
  SELECT grain, bucket_s, to_address FROM tx WHERE to_address IS NOT NULL
),
addr_agg AS (
  SELECT grain, bucket_s, COUNT(*) AS active FROM addresses GROUP BY grain, bucket_s
)
SELECT b.grain, TIMESTAMP '1970-01-01 00:00:00' + b.bucket_s * INTERVAL '1 second', b.blocks,
  COALESCE(t.transactions, 0), COALESCE(t.failed, 0), COALESCE(b.gas_used, 0), COALESCE(t.fees, 0),
  b.min_fee, b.avg_fee, b.max_fee, COALESCE(a.active, 0)
FROM blk_agg b
LEFT JOIN tx_agg t ON t.grain = b.grain AND t.bucket_s = b.bucket_s
LEFT JOIN addr_agg a ON a.grain = b.grain AND a.bucket_s = b.bucket_s;
