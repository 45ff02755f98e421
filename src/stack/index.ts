// Public entry of the local stack, used by the CLI, the demo and the test harness.
export { stackUp, type StackUpOptions } from './stackUp.js';
export { stackDown, type StackDownOptions } from './stackDown.js';
export { stackStatus, stackSigningKey, type ServiceStatus } from './stackStatus.js';
export { signingKeyId, type SigningKeyRecord, type SigningKeyStatus } from './signingKey.js';
export { stackEnvOf, formatExports, type StackEnv } from './stackEnv.js';
export { readStackState, resolveStackDir, DEFAULT_STACK_DIR, type StackState, type ServiceName } from './stackState.js';
export { StackError } from './StackError.js';
export { DEFAULT_SEED_OPTIONS, type SeedOptions } from './seed/seedPlan.js';
export type { SeedSummary } from './seed/seedChain.js';
export { S3_BUCKET, S3RVER_CREDENTIALS } from './s3Server.js';
export { ANVIL_CHAIN_ID } from './anvilNode.js';
