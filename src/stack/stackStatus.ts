import { anvilHealth, anvilUrl } from './anvilNode.js';
import { codecServerHealth, codecServerUrl } from './codecServerProcess.js';
import { databaseUrl, postgresHealth } from './postgresCluster.js';
import { isRunning } from './processes.js';
import { s3Endpoint, s3Health } from './s3Server.js';
import { readSigningKeyStatus, type SigningKeyStatus } from './signingKey.js';
import { readStackState, resolveStackDir, SERVICE_NAMES, type ServiceName } from './stackState.js';
import { temporalHealth } from './temporalServer.js';

export interface ServiceStatus {
  name: ServiceName;
  pid: number | null;
  port: number | null;
  url: string | null;
  running: boolean;
  healthy: boolean;
  logFile: string | null;
}

/** What runs where, and whether it answers. Services never started show as not running. */
export async function stackStatus(options: { dir?: string } = {}): Promise<ServiceStatus[]> {
  const state = await readStackState(resolveStackDir(options.dir));
  const statuses: ServiceStatus[] = [];
  for (const name of SERVICE_NAMES) {
    const record = state[name];
    if (!record) {
      statuses.push({ name, pid: null, port: null, url: null, running: false, healthy: false, logFile: null });
      continue;
    }
    let healthy = false;
    let url = '';
    if (name === 'temporal' && state.temporal) {
      healthy = await temporalHealth(state.temporal);
      url = `127.0.0.1:${state.temporal.port} (UI http://127.0.0.1:${state.temporal.uiPort})`;
    } else if (name === 'postgres' && state.postgres) {
      healthy = await postgresHealth(state.postgres);
      url = databaseUrl(state.postgres.port);
    } else if (name === 's3' && state.s3) {
      healthy = await s3Health(state.s3);
      url = s3Endpoint(state.s3.port);
    } else if (name === 'anvil' && state.anvil) {
      healthy = await anvilHealth(state.anvil);
      url = anvilUrl(state.anvil.port);
    } else if (name === 'codec' && state.codec) {
      healthy = await codecServerHealth(state.codec);
      url = `${codecServerUrl(state.codec.port)} (key ${state.codec.keyId}, CORS ${state.codec.corsOrigin ?? 'off'})`;
    }
    statuses.push({ name, pid: record.pid, port: record.port, url, running: isRunning(record.pid), healthy, logFile: record.logFile });
  }
  return statuses;
}

/** The manifest signing key's id and file paths (never the key); null if `stack up` has not made one. */
export async function stackSigningKey(options: { dir?: string } = {}): Promise<SigningKeyStatus | null> {
  const state = await readStackState(resolveStackDir(options.dir));
  return readSigningKeyStatus(state.signingKey);
}
