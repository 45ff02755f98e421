-- model: security_token_holders
-- table: security_token_holders
-- depends: security_token_movements, security_token_balances
-- Holders per token (addresses other than 0x0 with a positive balance across all partitions) at
-- the end of each hour, day and week in which the token moved. Balances before the window come
-- from the latest daily snapshot before it; inside the window, running sums per holder mark the
-- moments a holder appears (+1) or leaves (-1), so the cost grows with the holders and the
-- window's movements, not with history. A day's holders depend on all earlier days: run
-- incremental days in date order (as the schedule and backfills do), or refresh.

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
deltas AS (
  SELECT token_address, to_address AS holder, block_timestamp, block_number, log_index, 1 AS side, value AS delta
  FROM {{schema}}.security_token_movements
  WHERE to_address IS NOT NULL AND to_address <> '0x0000000000000000000000000000000000000000'
    AND block_timestamp >= {{week_from}} AND block_timestamp < {{week_to}}
  UNION ALL
  SELECT token_address, from_address, block_timestamp, block_number, log_index, 0, 0 - value
  FROM {{schema}}.security_token_movements
  WHERE from_address IS NOT NULL AND from_address <> '0x0000000000000000000000000000000000000000'
    AND block_timestamp >= {{week_from}} AND block_timestamp < {{week_to}}
),
opening AS (
  SELECT token_address, holder, balance
  FROM {{schema}}.security_token_balances
  WHERE day_start = (SELECT MAX(day_start) FROM {{schema}}.security_token_balances WHERE day_start < {{week_from}})
),
opening_holders AS (
  SELECT token_address, SUM(CASE WHEN balance > 0 THEN 1 ELSE 0 END) AS holders
  FROM opening GROUP BY token_address
),
running AS (
  SELECT d.token_address, d.block_timestamp, d.delta,
    COALESCE(o.balance, 0) + SUM(d.delta) OVER (
      PARTITION BY d.token_address, d.holder
      ORDER BY d.block_timestamp, d.block_number, d.log_index, d.side
      ROWS UNBOUNDED PRECEDING
    ) AS balance
  FROM deltas d
  LEFT JOIN opening o ON o.token_address = d.token_address AND o.holder = d.holder
),
hourly AS (
  SELECT token_address, block_timestamp - MOD(block_timestamp, 3600) AS hour_s,
    SUM(CASE
      WHEN balance > 0 AND balance - delta <= 0 THEN 1
      WHEN balance <= 0 AND balance - delta > 0 THEN -1
      ELSE 0
    END) AS change
  FROM running
  GROUP BY token_address, block_timestamp - MOD(block_timestamp, 3600)
),
cumulative AS (
  SELECT h.token_address, h.hour_s,
    COALESCE(oh.holders, 0) + SUM(h.change) OVER (PARTITION BY h.token_address ORDER BY h.hour_s ROWS UNBOUNDED PRECEDING) AS holders
  FROM hourly h
  LEFT JOIN opening_holders oh ON oh.token_address = h.token_address
),
bucketed AS (
  SELECT w.grain, c.hour_s - MOD(c.hour_s - w.offset_s, w.step) AS bucket_s, c.token_address, c.holders,
    ROW_NUMBER() OVER (
      PARTITION BY w.grain, c.hour_s - MOD(c.hour_s - w.offset_s, w.step), c.token_address
      ORDER BY c.hour_s DESC
    ) AS latest
  FROM cumulative c
  JOIN windows w ON c.hour_s >= w.from_s AND c.hour_s < w.to_s
)
SELECT grain, TIMESTAMP 'epoch' + bucket_s * INTERVAL '1 second', token_address, holders
FROM bucketed
WHERE latest = 1;
