import { Client, Connection } from '@temporalio/client';
import { ConfigurationError } from '../../errors/LedgerflowError.js';

export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: boolean;
  /** Temporal Cloud API key; kept out of every message. */
  apiKey?: string;
}

/**
 * TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_TLS / TEMPORAL_API_KEY, the names the `temporal`
 * CLI reads too.
 */
export function temporalTargetFromEnv(env: Record<string, string | undefined> = process.env): TemporalTarget {
  return {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    tls: env.TEMPORAL_TLS === 'true' || Boolean(env.TEMPORAL_API_KEY),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
  };
}

export async function connectClient(target: TemporalTarget = temporalTargetFromEnv()): Promise<{ client: Client; close(): Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: target.address,
      connectTimeout: 5_000,
      ...(target.tls ? { tls: true } : {}),
      ...(target.apiKey ? { apiKey: target.apiKey } : {}),
    });
  } catch (error) {
    throw new ConfigurationError(`Cannot reach Temporal at ${target.address}`, {
      context: { namespace: target.namespace },
      fix: 'start it (`ledgerflow stack up`) or set TEMPORAL_ADDRESS to the frontend host:port',
      cause: error,
    });
  }
  return { client: new Client({ connection, namespace: target.namespace }), close: () => connection.close() };
}
