-- model: security_token_holders_by_partition
-- kind: gauge
-- grains: daily, weekly
-- depends: security_token_movements
-- Holders per token and partition at the end of each day and week: addresses other than 0x0
-- whose movements within the partition, summed over all history up to the bucket's end, leave a
-- positive balance. Dimensions: {"partition":<bytes32 hex or null>,"token_address":"0x..."}.
-- Events without a partition (plain ERC-20 style transfers of a security token) count under
-- partition null. Balances are exact at any size and sign: sums of 26-digit limbs
-- (src/warehouse/limbSql.ts). The sum reads each token's whole history for the few buckets of a
-- run (a day and its week); security_token_holders keeps snapshots instead, which a per-partition
-- history would need once tokens carry millions of movements.

-- @insert
INSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)
WITH {{windows}},
buckets AS (
  SELECT DISTINCT w.grain, b."timestamp" - MOD(b."timestamp" - w.offset_s, w.step) AS bucket_s, w.step
  FROM {{schema}}.blocks b
  JOIN windows w ON b."timestamp" >= w.from_s AND b."timestamp" < w.to_s
  WHERE b."timestamp" >= {{scan_from}} AND b."timestamp" < {{scan_to}}
),
movements AS (
  SELECT token_address, "partition", from_address, to_address, block_timestamp, CAST(value AS VARCHAR(100)) AS v
  FROM {{schema}}.security_token_movements
  WHERE block_timestamp < {{scan_to}}
),
deltas AS (
  SELECT token_address, "partition", to_address AS holder, block_timestamp,
    {{limb_lo(v)}} AS lo, {{limb_mid(v)}} AS mid, {{limb_hi(v)}} AS hi
  FROM movements
  WHERE to_address IS NOT NULL AND to_address <> '0x0000000000000000000000000000000000000000'
  UNION ALL
  SELECT token_address, "partition", from_address, block_timestamp,
    0 - {{limb_lo(v)}}, 0 - {{limb_mid(v)}}, 0 - {{limb_hi(v)}}
  FROM movements
  WHERE from_address IS NOT NULL AND from_address <> '0x0000000000000000000000000000000000000000'
),
balances AS (
  SELECT k.grain, k.bucket_s, d.token_address, d."partition", d.holder, SUM(d.lo) AS lo, SUM(d.mid) AS mid, SUM(d.hi) AS hi
  FROM buckets k
  JOIN deltas d ON d.block_timestamp < k.bucket_s + k.step
  GROUP BY k.grain, k.bucket_s, d.token_address, d."partition", d.holder
),
carried_lo AS (
  SELECT grain, bucket_s, token_address, "partition", hi, mid + {{carry(lo)}} AS mid, {{rem(lo)}} AS lo
  FROM balances
),
carried_mid AS (
  SELECT grain, bucket_s, token_address, "partition", hi + {{carry(mid)}} AS hi, {{rem(mid)}} AS mid, lo
  FROM carried_lo
),
counted AS (
  SELECT grain, bucket_s, token_address, "partition",
    SUM(CASE WHEN {{positive(hi, mid, lo)}} THEN 1 ELSE 0 END) AS holders
  FROM carried_mid
  GROUP BY grain, bucket_s, token_address, "partition"
)
SELECT {{metric}}, grain, TIMESTAMP '1970-01-01 00:00:00' + bucket_s * INTERVAL '1 second',
  '{"partition":' || COALESCE('"' || "partition" || '"', 'null') || ',"token_address":"' || token_address || '"}',
  holders, NULL
FROM counted;
