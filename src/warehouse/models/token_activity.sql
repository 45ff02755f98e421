-- model: token_activity
-- table: token_activity
-- depends:
-- Per hour, day and week and token: transfers, volume (sum of raw token units; for ERC-721 the
-- sum of token ids is meaningless and only the counts matter), distinct senders and receivers.

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.token_activity (
  grain VARCHAR(8) NOT NULL,
  bucket_start TIMESTAMP NOT NULL,
  token_address VARCHAR(42) NOT NULL,
  transfers BIGINT NOT NULL,
  volume {{uint}} NOT NULL,
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
    x.token_address, x.from_address, x.to_address, CAST(x.value AS {{uint}}) AS value
  FROM {{schema}}.blocks b
  JOIN windows w ON b."timestamp" >= w.from_s AND b."timestamp" < w.to_s
  JOIN {{schema}}.token_transfers x ON x.block_number = b.number
  WHERE b."timestamp" >= {{scan_from}} AND b."timestamp" < {{scan_to}}
    AND x.block_number BETWEEN {{block_from}} AND {{block_to}}
)
SELECT grain, TIMESTAMP 'epoch' + bucket_s * INTERVAL '1 second', token_address, COUNT(*),
  COALESCE(SUM(value), 0), COUNT(DISTINCT from_address), COUNT(DISTINCT to_address)
FROM transfers
GROUP BY grain, bucket_s, token_address;
