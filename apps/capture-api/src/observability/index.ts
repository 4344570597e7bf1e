// Logs
export { createAppLogger } from './logging/logger.factory';
export { APP_LOGGER } from './logging/app-logger.token';
export type { AppLogger, AppLoggerOptions } from './logging/logger.factory';
export { SecretSet, SENSITIVE_HEADERS, redactLogLine } from './logging/log-redaction';
export { PinoNestLogger } from './logging/nest-logger.service';
export { toPluginLogger } from './logging/plugin-logger.adapter';
export { REQUEST_ID_HEADER, registerRequestIdHeader, requestIdAdapterOptions, resolveRequestId } from './logging/request-id';
export { registerRequestLogging } from './logging/request-logging';
// Metrics
export { MetricsModule } from './metrics/metrics.module';
export { MetricsService } from './metrics/metrics.service';
export { FAILED_AUTH_LIMIT, MetricsServer } from './metrics/metrics.access';
export type { FailedAuthLimit } from './metrics/metrics.access';
export type { CaptureOutcomeLabel } from './metrics/metrics.service';
export { registerHttpMetrics } from './metrics/http-metrics.hook';
// Health
export { HealthModule } from './health/health.module';
export { HealthService } from './health/health.service';
export type { ReadinessReport } from './health/health.service';
export type { HealthModuleOptions, ReadinessCheck } from './health/readiness-check';
// Traces
export { startTracing } from './tracing/tracing.setup';
export type { Tracing } from './tracing/tracing.types';
export { tracingSettingsFrom, DEFAULT_SERVICE_NAME } from './tracing/tracing.config';
export { registerRequestTracing } from './tracing/request-tracing.hook';
export { traceStatement, traceStatementSync, statementShape } from './tracing/statement-span';
export { inActiveSpan } from './tracing/active-span';
export { CaptureAttributes } from './tracing/tracer';
export { traceLogFields } from './tracing/log-trace-fields';
export { reportTracingProblems } from './tracing/tracing-problems';
