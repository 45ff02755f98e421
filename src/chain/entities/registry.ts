import type { Column } from '../columnTypes.js';
import { blocks } from './blocks.js';
import { contracts } from './contracts.js';
import type { Entity, EntityWarehouseTable } from './entity.js';
import { erc1155Transfers } from './erc1155Transfers.js';
import { gethTraces } from './gethTraces.js';
import { logs } from './logs.js';
import { nativeTransfers } from './nativeTransfers.js';
import { receipts } from './receipts.js';
import { securityTokenEvents } from './securityTokenEvents.js';
import { tokens } from './tokens.js';
import { tokenTransfers } from './tokenTransfers.js';
import { traces } from './traces.js';
import { transactions } from './transactions.js';

/**
 * Every exported table, listed once. The order is the order of manifests and CLI listings:
 * append new entities at the end, so the manifests of existing days stay byte-identical.
 */
const REGISTRY = [
  blocks,
  transactions,
  receipts,
  logs,
  tokenTransfers,
  erc1155Transfers,
  securityTokenEvents,
  contracts,
  tokens,
  traces,
  gethTraces,
  nativeTransfers,
] as const;

type RegisteredEntity = (typeof REGISTRY)[number];

export type EntityName = RegisteredEntity['name'];

/** The entities with a warehouse table (the table has the entity's name). */
export type WarehouseEntityName = Extract<RegisteredEntity, { readonly warehouse: EntityWarehouseTable }>['name'];

export const ENTITY_NAMES: readonly [EntityName, ...EntityName[]] = [REGISTRY[0].name, ...REGISTRY.slice(1).map((e) => e.name)];

export const ENTITIES: Readonly<Record<EntityName, Entity>> = Object.fromEntries(REGISTRY.map((e) => [e.name, e])) as Record<EntityName, Entity>;

/** The entities a daily run exports by default: all but the opt-in ones (geth-only RPC, or derived from traces at extra cost). */
export const DEFAULT_DAILY_ENTITIES: readonly EntityName[] = REGISTRY.filter((e) => e.daily).map((e) => e.name);

/** Entities every JSON-RPC node can serve: no tracing API needed. */
export const UNTRACED_ENTITIES: readonly EntityName[] = REGISTRY.filter((e) => !e.needs.some((n) => n === 'traces' || n === 'gethTraces')).map((e) => e.name);

/** Entities built from logs alone: what an export limited to some contracts can serve. */
export const LOG_ENTITIES: readonly EntityName[] = REGISTRY.filter((e) => e.logTopics !== undefined).map((e) => e.name);

export const WAREHOUSE_ENTITIES: readonly WarehouseEntityName[] = REGISTRY.filter(
  (e): e is Extract<RegisteredEntity, { readonly warehouse: EntityWarehouseTable }> => e.warehouse !== null,
).map((e) => e.name);

const COLUMN_NAMES = new Map<EntityName, readonly string[]>(REGISTRY.map((e) => [e.name, e.columns.map((c) => c.name)]));

export function entityOf(name: EntityName): Entity {
  return ENTITIES[name];
}

/** Column names in file order: the CSV header, the JSON keys, the warehouse column order. */
export function columnsOf(name: EntityName): readonly string[] {
  return COLUMN_NAMES.get(name) ?? [];
}

/** Columns in file order with their types and nullability (for typed formats such as Parquet). */
export function schemaOf(name: EntityName): readonly Column[] {
  return ENTITIES[name].columns;
}

export function isEntityName(name: string): name is EntityName {
  return (ENTITY_NAMES as readonly string[]).includes(name);
}
