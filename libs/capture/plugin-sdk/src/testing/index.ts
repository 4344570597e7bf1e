// Test-only entry point: sandboxes, contract and conformance helpers. Production code imports the root.
export * from './sandbox-server';
export * from './memory-logger';
export * from './pact-files';
export * from './verify-pact';
export * from './conformance';
export * from './sandbox-conventions';
export * from './webhook-receiver';
export * from './scripted-answer';
export * from './conformance-status-check';
export * from './pact-form-bodies';
