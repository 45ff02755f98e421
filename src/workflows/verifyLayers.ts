// The layers verify-day proves, defined once for the workflow, the activities and the CLI.
// Pure module, safe inside the workflow sandbox.

/** (a) the stored lake objects and the manifest's signature, (b) the chain re-exported, (c) the warehouse rows. */
export const VERIFY_LAYERS = ['lake', 'chain', 'warehouse'] as const;

export type VerifyLayer = (typeof VERIFY_LAYERS)[number];
