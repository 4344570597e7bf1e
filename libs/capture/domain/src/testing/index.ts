// Test-only entry point: generators for property tests. Production code imports the root.
export * from './card-shapes';
export * from './lifecycle-fixtures';
