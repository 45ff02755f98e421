import { ENTITY_NAMES, type EntityName } from '../types.js';
import { blocks } from './blocks.js';
import { contracts } from './contracts.js';
import type { Entity } from './entity.js';
import { erc1155Transfers } from './erc1155Transfers.js';
import { gethTraces } from './gethTraces.js';
import { logs } from './logs.js';
import { receipts } from './receipts.js';
import { securityTokenEvents } from './securityTokenEvents.js';
import { tokens } from './tokens.js';
import { tokenTransfers } from './tokenTransfers.js';
import { traces } from './traces.js';
import { transactions } from './transactions.js';

/** Every exported table, listed once. */
export const ENTITIES: Readonly<Record<EntityName, Entity>> = {
  blocks,
  transactions,
  receipts,
  logs,
  token_transfers: tokenTransfers,
  erc1155_transfers: erc1155Transfers,
  security_token_events: securityTokenEvents,
  contracts,
  tokens,
  traces,
  geth_traces: gethTraces,
};

export function entityOf(name: EntityName): Entity {
  return ENTITIES[name];
}

/** Column order of an entity's files (what the lake and the warehouse need). */
export function columnsOf(name: EntityName): readonly string[] {
  return ENTITIES[name].columns;
}

export function isEntityName(name: string): name is EntityName {
  return (ENTITY_NAMES as readonly string[]).includes(name);
}
