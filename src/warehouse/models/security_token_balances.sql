-- model: security_token_balances
-- table: security_token_balances
-- depends: security_token_movements
-- Closing balance of every security-token holder (other than 0x0, non-zero balances only) at the
-- end of each UTC day with loaded blocks: the previous snapshot plus the day's movements. Other
-- models read their opening balances here instead of summing all history, so a day's update
-- costs the same after 30 days as after 3. Needs the previous day's snapshot: days run in order.

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.security_token_balances (
  day_start BIGINT NOT NULL,
  token_address VARCHAR(42) NOT NULL,
  holder VARCHAR(42) NOT NULL,
  balance {{uint}} NOT NULL
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
opening AS (
  SELECT token_address, holder, balance
  FROM {{schema}}.security_token_balances
  WHERE day_start = (SELECT MAX(day_start) FROM {{schema}}.security_token_balances WHERE day_start < {{hour_from}})
),
deltas AS (
  SELECT token_address, to_address AS holder, block_timestamp, value AS delta
  FROM {{schema}}.security_token_movements
  WHERE to_address IS NOT NULL AND to_address <> '0x0000000000000000000000000000000000000000'
    AND block_timestamp >= {{hour_from}} AND block_timestamp < {{hour_to}}
  UNION ALL
  SELECT token_address, from_address, block_timestamp, 0 - value
  FROM {{schema}}.security_token_movements
  WHERE from_address IS NOT NULL AND from_address <> '0x0000000000000000000000000000000000000000'
    AND block_timestamp >= {{hour_from}} AND block_timestamp < {{hour_to}}
),
daily AS (
  SELECT token_address, holder, block_timestamp - MOD(block_timestamp, 86400) AS day_start, SUM(delta) AS delta
  FROM deltas
  GROUP BY token_address, holder, block_timestamp - MOD(block_timestamp, 86400)
),
holders AS (
  SELECT token_address, holder FROM opening
  UNION
  SELECT token_address, holder FROM daily
)
SELECT d.day_start, h.token_address, h.holder, COALESCE(MAX(o.balance), 0) + COALESCE(SUM(x.delta), 0)
FROM days d
CROSS JOIN holders h
LEFT JOIN opening o ON o.token_address = h.token_address AND o.holder = h.holder
LEFT JOIN daily x ON x.token_address = h.token_address AND x.holder = h.holder AND x.day_start <= d.day_start
GROUP BY d.day_start, h.token_address, h.holder
HAVING COALESCE(MAX(o.balance), 0) + COALESCE(SUM(x.delta), 0) <> 0;
