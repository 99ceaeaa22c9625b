/**
 * The tag every OpsItem the remediation functions create carries: its key, and as its value the
 * name of the stack whose functions created it. The escalation policy (lib/iam) lets the functions
 * read and update only OpsItems with their own stack's tag; the OpsCenter adapter (lambdas/adapters)
 * sets it on CreateOpsItem. Shared so both name the same key.
 */
export const OPS_ITEM_STACK_TAG_KEY = 'selfheal:stack';
