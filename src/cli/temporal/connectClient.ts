import { Client, Connection } from '@temporalio/client';
import { ConfigurationError } from '../../errors/LedgerflowError.js';

export interface TemporalTarget {
  address: string;
  namespace: string;
}

/** TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE, the same names the `temporal` CLI reads. */
export function temporalTargetFromEnv(env: Record<string, string | undefined> = process.env): TemporalTarget {
  return { address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233', namespace: env.TEMPORAL_NAMESPACE || 'default' };
}

export async function connectClient(target: TemporalTarget = temporalTargetFromEnv()): Promise<{ client: Client; close(): Promise<void> }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: target.address, connectTimeout: 5_000 });
  } catch (error) {
    throw new ConfigurationError(`Cannot reach Temporal at ${target.address}`, {
      context: { namespace: target.namespace },
      fix: 'start it (`ledgerflow stack up`) or set TEMPORAL_ADDRESS to the frontend host:port',
      cause: error,
    });
  }
  return { client: new Client({ connection, namespace: target.namespace }), close: () => connection.close() };
}
