-- model: security_token_balances
-- table: security_token_balances
-- depends: security_token_movements
-- Closing balance of every security-token holder (other than 0x0, non-zero balances only) at the
-- end of each UTC day with loaded blocks: the previous snapshot plus the day's movements. Other
-- models read their opening balances here instead of summing all history, so a day's update
-- costs the same after 30 days as after 3. Needs the previous day's snapshot: runModels models later
-- loaded days again after an earlier one, so the order days arrive in does not matter.
-- Balances are exact at any size and sign (a contract can emit transfers from an address that
-- never received anything): summed as 26-digit limbs, see src/warehouse/limbSql.ts.

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.security_token_balances (
  day_start BIGINT NOT NULL,
  token_address VARCHAR(42) NOT NULL,
  holder VARCHAR(42) NOT NULL,
  balance {{int_exact}} NOT NULL
);

-- @index
CREATE INDEX IF NOT EXISTS security_token_balances_day_idx ON {{schema}}.security_token_balances (day_start);

-- @delete
DELETE FROM {{schema}}.security_token_balances WHERE day_start >= {{hour_from}} AND day_start < {{hour_to}};

-- @insert
INSERT INTO {{schema}}.security_token_balances (day_start, token_address, holder, balance)
WITH days AS (
  SELECT DISTINCT "timestamp" - MOD("timestamp", 86400) AS day_start
  FROM {{schema}}.blocks
  WHERE "timestamp" >= {{hour_from}} AND "timestamp" < {{hour_to}}
),
opening_text AS (
  SELECT token_address, holder, CAST(balance AS VARCHAR(100)) AS t, REPLACE(CAST(balance AS VARCHAR(100)), '-', '') AS v
  FROM {{schema}}.security_token_balances
  WHERE day_start = (SELECT MAX(day_start) FROM {{schema}}.security_token_balances WHERE day_start < {{hour_from}})
),
opening AS (
  SELECT token_address, holder, {{signed_limb_lo(t, v)}} AS lo, {{signed_limb_mid(t, v)}} AS mid, {{signed_limb_hi(t, v)}} AS hi
  FROM opening_text
),
movements AS (
  SELECT token_address, from_address, to_address, block_timestamp, CAST(value AS VARCHAR(100)) AS v
  FROM {{schema}}.security_token_movements
  WHERE block_timestamp >= {{hour_from}} AND block_timestamp < {{hour_to}}
),
deltas AS (
  SELECT token_address, to_address AS holder, block_timestamp, {{limb_lo(v)}} AS lo, {{limb_mid(v)}} AS mid, {{limb_hi(v)}} AS hi
  FROM movements
  WHERE to_address IS NOT NULL AND to_address <> '0x0000000000000000000000000000000000000000'
  UNION ALL
  SELECT token_address, from_address, block_timestamp, 0 - {{limb_lo(v)}}, 0 - {{limb_mid(v)}}, 0 - {{limb_hi(v)}}
  FROM movements
  WHERE from_address IS NOT NULL AND from_address <> '0x0000000000000000000000000000000000000000'
),
daily AS (
  SELECT token_address, holder, block_timestamp - MOD(block_timestamp, 86400) AS day_start, SUM(lo) AS lo, SUM(mid) AS mid, SUM(hi) AS hi
  FROM deltas
  GROUP BY token_address, holder, block_timestamp - MOD(block_timestamp, 86400)
),
holders AS (
  SELECT token_address, holder FROM opening
  UNION
  SELECT token_address, holder FROM daily
),
closing AS (
  SELECT d.day_start, h.token_address, h.holder,
    COALESCE(MAX(o.lo), 0) + COALESCE(SUM(x.lo), 0) AS lo,
    COALESCE(MAX(o.mid), 0) + COALESCE(SUM(x.mid), 0) AS mid,
    COALESCE(MAX(o.hi), 0) + COALESCE(SUM(x.hi), 0) AS hi
  FROM days d
  CROSS JOIN holders h
  LEFT JOIN opening o ON o.token_address = h.token_address AND o.holder = h.holder
  LEFT JOIN daily x ON x.token_address = h.token_address AND x.holder = h.holder AND x.day_start <= d.day_start
  GROUP BY d.day_start, h.token_address, h.holder
),
both_signs AS (
  SELECT day_start, token_address, holder, lo, mid, hi, 0 - lo AS n_lo, 0 - mid AS n_mid, 0 - hi AS n_hi
  FROM closing
),
carried_lo AS (
  SELECT day_start, token_address, holder,
    hi, mid + {{carry(lo)}} AS mid, {{rem(lo)}} AS lo,
    n_hi, n_mid + {{carry(n_lo)}} AS n_mid, {{rem(n_lo)}} AS n_lo
  FROM both_signs
),
carried_mid AS (
  SELECT day_start, token_address, holder,
    hi + {{carry(mid)}} AS hi, {{rem(mid)}} AS mid, lo,
    n_hi + {{carry(n_mid)}} AS n_hi, {{rem(n_mid)}} AS n_mid, n_lo
  FROM carried_lo
)
SELECT day_start, token_address, holder,
  CAST(CASE WHEN hi < 0 THEN '-' || {{digits(n_hi, n_mid, n_lo)}} ELSE {{digits(hi, mid, lo)}} END AS {{int_exact}})
FROM carried_mid
WHERE hi <> 0 OR mid <> 0 OR lo <> 0;
