-- model: security_token_movements
-- table: security_token_movements
-- depends:
-- One row per security-token balance movement (issue, redeem, transfer), normalised from the
-- ERC-1400 family of events. ConsenSys-style tokens emit both `Issued` and `IssuedByPartition`
-- (likewise for redemptions and controller transfers) for one movement: the plain event counts
-- only when its transaction has no partition event of the same kind for the same token.
-- Undecoded events (unknown layouts, kept raw by the exporter) carry no amount and are skipped.
-- Amounts are exact at any size ({{int_exact}}: NUMERIC, or the decimal text on Redshift, whose
-- DECIMAL stops at 38 digits while any contract can emit an amount of 78).
-- Incremental by day: the day's movements are deleted and derived again.

-- @create
CREATE TABLE IF NOT EXISTS {{schema}}.security_token_movements (
  block_timestamp BIGINT NOT NULL,
  block_number BIGINT NOT NULL,
  transaction_hash VARCHAR(66),
  log_index BIGINT NOT NULL,
  token_address VARCHAR(42) NOT NULL,
  "partition" VARCHAR(66),
  kind VARCHAR(8) NOT NULL,
  from_address VARCHAR(42),
  to_address VARCHAR(42),
  value {{int_exact}} NOT NULL
);

-- @index
CREATE INDEX IF NOT EXISTS security_token_movements_time_idx ON {{schema}}.security_token_movements (block_timestamp);
CREATE INDEX IF NOT EXISTS security_token_movements_token_idx ON {{schema}}.security_token_movements (token_address, block_timestamp);

-- @delete
DELETE FROM {{schema}}.security_token_movements WHERE block_timestamp >= {{hour_from}} AND block_timestamp < {{hour_to}};

-- @insert
INSERT INTO {{schema}}.security_token_movements (
  block_timestamp, block_number, transaction_hash, log_index, token_address, "partition", kind,
  from_address, to_address, value
)
SELECT b."timestamp", e.block_number, e.transaction_hash, e.log_index, e.token_address, e."partition",
  CASE
    WHEN e.event_name IN ('Issued', 'IssuedByPartition') THEN 'issue'
    WHEN e.event_name IN ('Redeemed', 'RedeemedByPartition', 'ControllerRedemption') THEN 'redeem'
    ELSE 'transfer'
  END,
  CASE WHEN e.event_name IN ('Issued', 'IssuedByPartition') THEN NULL ELSE e.from_address END,
  CASE WHEN e.event_name IN ('Redeemed', 'RedeemedByPartition', 'ControllerRedemption') THEN NULL ELSE e.to_address END,
  COALESCE(CAST(e.amount AS {{int_exact}}), CAST('0' AS {{int_exact}}))
FROM {{schema}}.blocks b
JOIN {{schema}}.security_token_events e ON e.block_number = b.number
WHERE b."timestamp" >= {{hour_from}} AND b."timestamp" < {{hour_to}}
  AND e.block_number BETWEEN {{block_from}} AND {{block_to}}
  AND e.decoded
  AND (
    e.event_name IN ('IssuedByPartition', 'RedeemedByPartition', 'TransferByPartition')
    OR (
      e.event_name IN ('Issued', 'Redeemed', 'ControllerTransfer', 'ControllerRedemption')
      AND NOT EXISTS (
        SELECT 1 FROM {{schema}}.security_token_events p
        WHERE p.block_number = e.block_number
          AND p.transaction_hash = e.transaction_hash
          AND p.token_address = e.token_address
          AND p.event_name = CASE e.event_name
            WHEN 'Issued' THEN 'IssuedByPartition'
            WHEN 'ControllerTransfer' THEN 'TransferByPartition'
            ELSE 'RedeemedByPartition'
          END
      )
    )
  );
