import { Client, Connection } from '@temporalio/client';
import { codecConverterFromEnv } from '../../codec/dataConverter.js';
import { temporalSettingsFromEnv, type TemporalSettings } from '../../config.js';
import { ConfigurationError } from '../../errors/LedgerflowError.js';
import { temporalConnectionOptions } from '../../temporalConnectionOptions.js';

/** Where the CLI's client connects; the fields of the configuration that concern Temporal. */
export type TemporalTarget = TemporalSettings;

/**
 * TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_TLS / TEMPORAL_API_KEY, the names the `temporal`
 * CLI reads too, parsed by the same rules as the workers' configuration.
 */
export function temporalTargetFromEnv(env: Record<string, string | undefined> = process.env): TemporalTarget {
  return temporalSettingsFromEnv(env);
}

/**
 * A client on the same data converter as the workers (payload codec and failure converter from
 * LEDGERFLOW_CODEC_KEYS in `env`), so it reads what they write and they read what it starts.
 */
export async function connectClient(
  target: TemporalTarget = temporalTargetFromEnv(),
  env: Record<string, string | undefined> = process.env,
): Promise<{ client: Client; close(): Promise<void> }> {
  // Before connecting: a malformed key is a configuration error, not an unreachable server.
  const { dataConverter } = codecConverterFromEnv(env);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(target), connectTimeout: 5_000 });
  } catch (error) {
    throw new ConfigurationError(`Cannot reach Temporal at ${target.temporalAddress}`, {
      context: { namespace: target.temporalNamespace },
      fix: 'start it (`ledgerflow stack up`) or set TEMPORAL_ADDRESS to the frontend host:port',
      cause: error,
    });
  }
  return { client: new Client({ connection, namespace: target.temporalNamespace, dataConverter }), close: () => connection.close() };
}
