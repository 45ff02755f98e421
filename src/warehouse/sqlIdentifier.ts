import { InvalidInputError } from '../errors/LedgerflowError.js';

const PLAIN = /^[a-z_][a-z0-9_]*$/;

/**
 * Identifiers come from configuration and table definitions, never from data; still, refuse
 * anything that is not a plain lower-case name rather than quote it, so generated SQL stays
 * readable and identical in both dialects.
 */
export function sqlIdentifier(name: string): string {
  if (!PLAIN.test(name) || name.length > 63) {
    throw new InvalidInputError(`"${name}" is not a plain SQL identifier`, {
      fix: 'use lower-case letters, digits and underscores, starting with a letter or underscore (at most 63 characters)',
    });
  }
  return name;
}

/** `schema.name`, both parts checked. */
export function qualified(schema: string, name: string): string {
  return `${sqlIdentifier(schema)}.${sqlIdentifier(name)}`;
}
