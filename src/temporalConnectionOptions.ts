import type { Config } from './config.js';

/**
 * Connection settings shared by workers (NativeConnection) and clients (Connection): the local dev
 * server and the Helm chart speak plain gRPC inside the cluster; Temporal Cloud needs TLS and an
 * API key (TEMPORAL_TLS, TEMPORAL_API_KEY). The key never reaches a log line.
 */
export function temporalConnectionOptions(config: Pick<Config, 'temporalAddress' | 'temporalTls' | 'temporalApiKey'>): {
  address: string;
  tls?: boolean;
  apiKey?: string;
} {
  return {
    address: config.temporalAddress,
    ...(config.temporalTls ? { tls: true } : {}),
    ...(config.temporalApiKey ? { apiKey: config.temporalApiKey } : {}),
  };
}
