import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface LogFilter {
  fromBlock: string;
  toBlock: string;
  address?: string[];
  topics?: string[][];
}

interface RecordedLog {
  address: string;
  topics: string[];
}

/**
 * ethereum-etl's token transfer job reads logs through a filter (eth_newFilter, then
 * eth_getFilterLogs), which is what its fixtures recorded; Ledgerflow asks eth_getLogs with the
 * same range and topics, plus the contracts. This answers such a call from the recorded filter's
 * logs, keeping those of the requested contracts. A call whose range or topics differ from every
 * recorded filter is not answered (the replay server then fails it), so nothing is made up.
 */
export function derivedLogs(dirs: readonly string[]) {
  return (method: string, params: readonly unknown[]): unknown => {
    if (method !== 'eth_getLogs') return undefined;
    const filter = params[0] as LogFilter;
    const topics = (filter.topics?.[0] ?? []).map((t) => t.toLowerCase());
    const recordedName = `web3_response.eth_newFilter_fromBlock_${filter.fromBlock}_toBlock_${filter.toBlock}_topics_${topics.join('_')}.json`;
    const dir = dirs.find((d) => readdirSync(d).includes(recordedName));
    const logsFile = dir && path.join(dir, 'web3_response.eth_getFilterLogs_0x0.json');
    if (!logsFile || !existsSync(logsFile)) return undefined;
    const logs = (JSON.parse(readFileSync(logsFile, 'utf8')) as { result: RecordedLog[] }).result;
    const wanted = new Set((filter.address ?? []).map((a) => a.toLowerCase()));
    return logs.filter((log) => wanted.has(log.address.toLowerCase()));
  };
}
