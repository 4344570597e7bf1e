// The e2e projects' only door to their shared support: processes, sandboxes, configs, HTTP helpers.
// Both e2e projects (api/ and lifecycle/) import it as `@capture-gateway/e2e-support`. Jest loads it
// afresh for every test file, so the fuzz generators (about 1.2 s to build) have their own entry, fuzz.ts.
export * from './api.types';
export * from './authorisations';
export * from './backends';
export * from './compose';
export * from './config-file';
export * from './defined';
export * from './dockerfile';
export * from './event-receiver';
export * from './fake-sandbox';
export * from './fuzz-service';
export * from './http';
export * from './multi-capture-services';
export * from './image-replay';
export * from './otlp-receiver';
export * from './own-postgres';
export * from './pgbouncer';
export * from './planted-captures';
export * from './postgres';
export * from './real-providers';
export * from './recording-proxy';
export * from './service';
export * from './stored-rows';
export * from './webhook-recorder';
export { signFakeWebhook } from './fixtures/multi.plugin';
