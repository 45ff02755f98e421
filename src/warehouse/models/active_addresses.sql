-- model: active_addresses
-- kind: gauge
-- grains: daily, weekly
-- depends: chain_activity
-- Distinct addresses that sent or received a transaction, per day and per week, as a registry
-- metric in metrics_data (no dimensions). The count itself is chain_activity's, computed once
-- there: this file shows how a metric is built on top of a model.

-- @insert
INSERT INTO {{schema}}.metrics_data (metric, grain, bucket_start, dimensions, value, value_json)
SELECT {{metric}}, grain, bucket_start, '{}', active_addresses, NULL
FROM {{schema}}.chain_activity
WHERE {{bucket_filter}};
