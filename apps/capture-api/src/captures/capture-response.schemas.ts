import { CaptureRecordSchema } from '@capture-gateway/domain';
import { z } from 'zod';

/**
 * The JSON Schema of a capture record, from the zod schema itself: Fastify compiles it once into a
 * fast-json-stringify serialiser for the record answers of POST /v1/captures (201, 202). Derived, not
 * hand-kept, so a field added to the record is never silently dropped from the answer
 * (fast-json-stringify writes only the properties a schema lists).
 */
export const CAPTURE_RECORD_JSON_SCHEMA = z.toJSONSchema(CaptureRecordSchema, { io: 'output' });

/** `schema.response` of the create route: the record answers; errors and failed captures keep JSON.stringify. */
export const CREATE_CAPTURE_RESPONSES = { 201: CAPTURE_RECORD_JSON_SCHEMA, 202: CAPTURE_RECORD_JSON_SCHEMA } as const;
