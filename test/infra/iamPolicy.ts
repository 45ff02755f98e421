/**
 * Which Deny statements of a resource policy match a request, by the IAM rules for conditions:
 * a negated operator (StringNotEquals, ArnNotEquals) holds when the key is absent, ...IfExists
 * holds when the key is absent, Null tests presence, every other operator fails on an absent key.
 * Enough of IAM to check the lake bucket policy offline; an operator it does not know throws, so
 * a policy change it cannot judge fails the test instead of passing it.
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyRequest {
  action: string;
  /** arn:aws:s3:::bucket/key */
  resource: string;
  /** Condition keys present in the request (aws:PrincipalArn, s3:x-amz-..., aws:SecureTransport). */
  keys: Record<string, string>;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function holds(operator: string, present: string | undefined, values: string[]): boolean {
  if (operator.endsWith('IfExists')) return present === undefined || holds(operator.slice(0, -'IfExists'.length), present, values);
  switch (operator) {
    case 'Null':
      return values.includes(String(present === undefined));
    case 'StringEquals':
    case 'ArnEquals':
    case 'Bool':
      return present !== undefined && values.includes(present);
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return present === undefined || !values.includes(present);
    case 'NumericLessThan':
      return present !== undefined && values.some((v) => Number(present) < Number(v));
    default:
      throw new Error(`iamPolicy: condition operator ${operator} is not modelled`);
  }
}

function matches(statement: PolicyStatement, request: PolicyRequest): boolean {
  if (statement.Principal !== '*') throw new Error(`iamPolicy: principal ${JSON.stringify(statement.Principal)} is not modelled (use "*" and aws:PrincipalArn conditions)`);
  if (!list(statement.Action).some((a) => wildcard(a).test(request.action))) return false;
  if (!list(statement.Resource).some((r) => wildcard(r).test(request.resource))) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => holds(operator, request.keys[key], list(values))),
  );
}

/** Sids of the Deny statements that refuse the request; empty when the policy lets it through to IAM. */
export function denyingStatements(policy: { Statement: PolicyStatement[] }, request: PolicyRequest): string[] {
  return policy.Statement.filter((s) => s.Effect === 'Deny' && matches(s, request)).map((s) => s.Sid ?? '(no sid)');
}
