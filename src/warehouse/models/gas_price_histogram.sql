-- model: gas_price_histogram
-- kind: histogram
-- grains: hourly, daily, weekly
-- depends:
-- Transactions per bucket by the gas price they paid (the receipt's effective_gas_price, or the
-- transaction's gas_price where the node gave no receipt price), in fixed gwei bins so buckets
-- compare across days: value is the number of transactions, value_json
-- {"le_gwei":[1,2,5,...,1000,null],"counts":[...]} the count in each bin (a price above the
-- previous bound and at most this one; null is the open bin above 1000 gwei).

-- @insert
INSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)
WITH {{windows}},
priced AS (
  SELECT w.grain, t.block_timestamp - MOD(t.block_timestamp - w.offset_s, w.step) AS bucket_s,
    COALESCE(CAST(r.effective_gas_price AS {{uint}}), CAST(t.gas_price AS {{uint}})) AS price
  FROM {{schema}}.transactions t
  JOIN windows w ON t.block_timestamp >= w.from_s AND t.block_timestamp < w.to_s
  LEFT JOIN {{schema}}.receipts r
    ON r.block_number = t.block_number AND r.transaction_hash = t.hash AND r.block_number BETWEEN {{block_from}} AND {{block_to}}
  WHERE t.block_number BETWEEN {{block_from}} AND {{block_to}}
),
binned AS (
  SELECT grain, bucket_s,
    CASE
      WHEN price IS NULL THEN 10
      WHEN price <= 1000000000 THEN 0
      WHEN price <= 2000000000 THEN 1
      WHEN price <= 5000000000 THEN 2
      WHEN price <= 10000000000 THEN 3
      WHEN price <= 20000000000 THEN 4
      WHEN price <= 50000000000 THEN 5
      WHEN price <= 100000000000 THEN 6
      WHEN price <= 200000000000 THEN 7
      WHEN price <= 500000000000 THEN 8
      WHEN price <= 1000000000000 THEN 9
      ELSE 10
    END AS bin
  FROM priced
),
counted AS (
  SELECT grain, bucket_s, COUNT(*) AS transactions,
    SUM(CASE WHEN bin = 0 THEN 1 ELSE 0 END) AS b0, SUM(CASE WHEN bin = 1 THEN 1 ELSE 0 END) AS b1,
    SUM(CASE WHEN bin = 2 THEN 1 ELSE 0 END) AS b2, SUM(CASE WHEN bin = 3 THEN 1 ELSE 0 END) AS b3,
    SUM(CASE WHEN bin = 4 THEN 1 ELSE 0 END) AS b4, SUM(CASE WHEN bin = 5 THEN 1 ELSE 0 END) AS b5,
    SUM(CASE WHEN bin = 6 THEN 1 ELSE 0 END) AS b6, SUM(CASE WHEN bin = 7 THEN 1 ELSE 0 END) AS b7,
    SUM(CASE WHEN bin = 8 THEN 1 ELSE 0 END) AS b8, SUM(CASE WHEN bin = 9 THEN 1 ELSE 0 END) AS b9,
    SUM(CASE WHEN bin = 10 THEN 1 ELSE 0 END) AS b10
  FROM binned
  GROUP BY grain, bucket_s
)
SELECT {{metric}}, grain, TIMESTAMP '1970-01-01 00:00:00' + bucket_s * INTERVAL '1 second', '{}', transactions,
  '{"le_gwei":[1,2,5,10,20,50,100,200,500,1000,null],"counts":['
    || CAST(b0 AS VARCHAR(20)) || ',' || CAST(b1 AS VARCHAR(20)) || ',' || CAST(b2 AS VARCHAR(20)) || ','
    || CAST(b3 AS VARCHAR(20)) || ',' || CAST(b4 AS VARCHAR(20)) || ',' || CAST(b5 AS VARCHAR(20)) || ','
    || CAST(b6 AS VARCHAR(20)) || ',' || CAST(b7 AS VARCHAR(20)) || ',' || CAST(b8 AS VARCHAR(20)) || ','
    || CAST(b9 AS VARCHAR(20)) || ',' || CAST(b10 AS VARCHAR(20)) || ']}'
FROM counted;
