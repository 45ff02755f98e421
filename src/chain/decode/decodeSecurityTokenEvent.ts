import { AbiCoder } from 'ethers/abi';
import { getAddress } from 'ethers/address';
import type { LogLike } from './tokenTransferFromLog.js';
import { SECURITY_TOKEN_EVENTS_BY_TOPIC, type EventParam, type SecurityTokenEventType, type SecurityTokenField } from './securityTokenEventTypes.js';

export interface DecodedSecurityTokenEvent {
  type: SecurityTokenEventType;
  fields: Partial<Record<SecurityTokenField, string | bigint>>;
  /** False when topics/data do not fit the layout; the raw log still gets a row. */
  decoded: boolean;
}

const coder = AbiCoder.defaultAbiCoder();

/**
 * Recognises an ERC-1400-family event by topic0 and decodes it by its layout. A log whose topic
 * count does not match the declared indexed parameters (a deployment that indexed differently)
 * is decoded with its first N-1 static parameters taken as indexed, and failing that reported
 * undecoded with its raw topics and data.
 */
export function decodeSecurityTokenEvent(log: LogLike): DecodedSecurityTokenEvent | null {
  const topic0 = log.topics[0]?.toLowerCase();
  if (topic0 === undefined) return null;
  const type = SECURITY_TOKEN_EVENTS_BY_TOPIC.get(topic0);
  if (!type) return null;
  const indexedCount = log.topics.length - 1;
  const layouts: EventParam[][] = [[...type.params]];
  if (type.params.filter((x) => x.indexed).length !== indexedCount) {
    layouts[0] = type.params.map((x, i) => ({ ...x, indexed: i < indexedCount }));
  }
  for (const params of layouts) {
    const fields = tryDecode(params, log);
    if (fields) return { type, fields, decoded: true };
  }
  return { type, fields: {}, decoded: false };
}

function tryDecode(params: readonly EventParam[], log: LogLike): DecodedSecurityTokenEvent['fields'] | undefined {
  const indexed = params.filter((x) => x.indexed);
  if (indexed.length !== log.topics.length - 1) return undefined;
  if (indexed.some((x) => x.type === 'bytes' || x.type === 'string')) return undefined;
  const fields: DecodedSecurityTokenEvent['fields'] = {};
  try {
    indexed.forEach((param, i) => {
      fields[param.field] = fromAbi(param.type, coder.decode([param.type], log.topics[i + 1] as string)[0]);
    });
    const rest = params.filter((x) => !x.indexed);
    const values = coder.decode(rest.map((x) => x.type), log.data ?? '0x');
    rest.forEach((param, i) => {
      fields[param.field] = fromAbi(param.type, values[i]);
    });
  } catch {
    return undefined;
  }
  return fields;
}

function fromAbi(type: EventParam['type'], value: unknown): string | bigint {
  if (type === 'uint256') return value as bigint;
  if (type === 'address') return getAddress(value as string).toLowerCase();
  return value as string;
}
