-- model: security_token_holders
-- table: security_token_holders
-- depends: security_token_movements, security_token_balances
-- Holders per token (addresses other than 0x0 with a positive balance across all partitions) at
-- the end of each hour, day and week in which the token moved. Balances before the window come
-- from the latest daily snapshot before it; inside the window, each holder's movements are summed
-- per hour and running sums over those hours mark the hours a holder appears (+1) or leaves (-1),
-- so the cost grows with the holders and the window's movements, not with history. A day's
-- holders depend on all earlier days: run incremental days in date order (as the schedule and
-- backfills do), or refresh. Balances are exact at any size and sign: running sums of 26-digit
-- limbs (src/warehouse/limbSql.ts).

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
movements AS (
  SELECT token_address, from_address, to_address, block_timestamp, CAST(value AS VARCHAR(100)) AS v
  FROM {{schema}}.security_token_movements
  WHERE block_timestamp >= {{week_from}} AND block_timestamp < {{week_to}}
),
deltas AS (
  SELECT token_address, to_address AS holder, block_timestamp - MOD(block_timestamp, 3600) AS hour_s,
    {{limb_lo(v)}} AS lo, {{limb_mid(v)}} AS mid, {{limb_hi(v)}} AS hi
  FROM movements
  WHERE to_address IS NOT NULL AND to_address <> '0x0000000000000000000000000000000000000000'
  UNION ALL
  SELECT token_address, from_address, block_timestamp - MOD(block_timestamp, 3600),
    0 - {{limb_lo(v)}}, 0 - {{limb_mid(v)}}, 0 - {{limb_hi(v)}}
  FROM movements
  WHERE from_address IS NOT NULL AND from_address <> '0x0000000000000000000000000000000000000000'
),
hourly_deltas AS (
  SELECT token_address, holder, hour_s, SUM(lo) AS lo, SUM(mid) AS mid, SUM(hi) AS hi
  FROM deltas
  GROUP BY token_address, holder, hour_s
),
opening_text AS (
  SELECT token_address, holder, CAST(balance AS VARCHAR(100)) AS t, REPLACE(CAST(balance AS VARCHAR(100)), '-', '') AS v
  FROM {{schema}}.security_token_balances
  WHERE day_start = (SELECT MAX(day_start) FROM {{schema}}.security_token_balances WHERE day_start < {{week_from}})
),
opening AS (
  SELECT token_address, holder, {{signed_limb_lo(t, v)}} AS lo, {{signed_limb_mid(t, v)}} AS mid, {{signed_limb_hi(t, v)}} AS hi
  FROM opening_text
),
opening_holders AS (
  SELECT token_address, SUM(CASE WHEN t NOT LIKE '-%' AND t <> '0' THEN 1 ELSE 0 END) AS holders
  FROM opening_text GROUP BY token_address
),
running AS (
  SELECT d.token_address, d.hour_s, d.lo AS d_lo, d.mid AS d_mid, d.hi AS d_hi,
    COALESCE(o.lo, 0) + SUM(d.lo) OVER (PARTITION BY d.token_address, d.holder ORDER BY d.hour_s ROWS UNBOUNDED PRECEDING) AS lo,
    COALESCE(o.mid, 0) + SUM(d.mid) OVER (PARTITION BY d.token_address, d.holder ORDER BY d.hour_s ROWS UNBOUNDED PRECEDING) AS mid,
    COALESCE(o.hi, 0) + SUM(d.hi) OVER (PARTITION BY d.token_address, d.holder ORDER BY d.hour_s ROWS UNBOUNDED PRECEDING) AS hi
  FROM hourly_deltas d
  LEFT JOIN opening o ON o.token_address = d.token_address AND o.holder = d.holder
),
before_and_after AS (
  SELECT token_address, hour_s, hi, mid, lo, hi - d_hi AS p_hi, mid - d_mid AS p_mid, lo - d_lo AS p_lo
  FROM running
),
carried_lo AS (
  SELECT token_address, hour_s,
    hi, mid + {{carry(lo)}} AS mid, {{rem(lo)}} AS lo,
    p_hi, p_mid + {{carry(p_lo)}} AS p_mid, {{rem(p_lo)}} AS p_lo
  FROM before_and_after
),
carried_mid AS (
  SELECT token_address, hour_s,
    hi + {{carry(mid)}} AS hi, {{rem(mid)}} AS mid, lo,
    p_hi + {{carry(p_mid)}} AS p_hi, {{rem(p_mid)}} AS p_mid, p_lo
  FROM carried_lo
),
hourly AS (
  SELECT token_address, hour_s,
    SUM(CASE
      WHEN {{positive(hi, mid, lo)}} AND NOT {{positive(p_hi, p_mid, p_lo)}} THEN 1
      WHEN {{positive(p_hi, p_mid, p_lo)}} AND NOT {{positive(hi, mid, lo)}} THEN -1
      ELSE 0
    END) AS change
  FROM carried_mid
  GROUP BY token_address, hour_s
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
SELECT grain, TIMESTAMP '1970-01-01 00:00:00' + bucket_s * INTERVAL '1 second', token_address, holders
FROM bucketed
WHERE latest = 1;
