import { RpcAttemptFailure } from './rpcEndpoint.js';

interface Envelope {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

function errorFailure(error: Envelope['error'], index: number | undefined): RpcAttemptFailure {
  const code = typeof error?.code === 'number' ? error.code : 0;
  const message = typeof error?.message === 'string' ? error.message : '';
  return new RpcAttemptFailure({ type: 'rpc', code, message }, message || `error code ${code}`, { index });
}

function malformed(detail: string, index?: number): RpcAttemptFailure {
  return new RpcAttemptFailure({ type: 'malformed' }, detail, { index });
}

/** The result of a single call's reply, or an RpcAttemptFailure for an error object or a bad envelope. */
export function decodeSingle(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw malformed('reply is not a JSON-RPC object');
  const envelope = json as Envelope;
  if (envelope.error !== undefined && envelope.error !== null) throw errorFailure(envelope.error, undefined);
  if (!('result' in envelope)) throw malformed('reply has neither result nor error');
  return envelope.result;
}

/**
 * Results of a batch sent with ids 0..count-1, put back in request order. Nodes may answer in any
 * order; a reply that misses, repeats or invents an id is malformed, since we could not tell which
 * result belongs to which request. Null results stay null: the caller decides what they mean.
 */
export function decodeBatch(json: unknown, count: number): unknown[] {
  if (!Array.isArray(json)) {
    // Some nodes and proxies answer a whole batch with one error object (rate limit, batch too large).
    if (json !== null && typeof json === 'object' && (json as Envelope).error) throw errorFailure((json as Envelope).error, undefined);
    throw malformed('batch reply is not an array');
  }
  if (json.length !== count) throw malformed(`batch reply has ${json.length} entries for ${count} requests`);
  const results = new Array<unknown>(count);
  const seen = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const envelope = json[i] as Envelope | null;
    if (envelope === null || typeof envelope !== 'object') throw malformed(`batch entry ${i} is not an object`);
    const id = envelope.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= count || seen[id]) {
      throw malformed(`batch entry ${i} has missing, unknown or repeated id ${JSON.stringify(id)}`);
    }
    seen[id] = 1;
    if (envelope.error !== undefined && envelope.error !== null) throw errorFailure(envelope.error, id);
    if (!('result' in envelope)) throw malformed(`batch entry for id ${id} has neither result nor error`, id);
    results[id] = envelope.result;
  }
  return results;
}
