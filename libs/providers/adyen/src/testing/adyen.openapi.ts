import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { workspaceRoot } from '@capture-gateway/plugin-sdk/testing';

// Adyen's own published OpenAPI documents (CheckoutService v71, Webhooks v1), read from
// `shared/provider-specs/` beside the repository, as validators: the fidelity tests' oracle. Test-only.

/** `../shared/provider-specs` from the repository root (CI clones it beside `shared/`), else from a folder above. */
function specsDir(): string {
  for (let dir = dirname(workspaceRoot()); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'provider-specs');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`No shared/provider-specs beside ${workspaceRoot()} or above it: the fidelity tests need Adyen's OpenAPI documents`);
}

// The documents are read as they are: any shape, checked by the validators below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
const read = (name: string): Json => JSON.parse(readFileSync(join(specsDir(), name), 'utf8'));
export const checkout = read('adyen-checkout-v71-captures.json');
export const webhooks = read('adyen-webhooks-v1-capture.json');
/** `POST /payments/{paymentPspReference}/captures`, mounted under the server's `/v71`. */
export const captureOperation = checkout['paths']['/payments/{paymentPspReference}/captures']['post'];
export const documentedStatuses = Object.keys(captureOperation.responses).map(Number);

// OpenAPI 3.1 schemas are JSON Schema 2020-12 with OpenAPI's own keywords (example, x-…), ignored here;
// its integer formats are checked.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
ajv.addSchema(checkout, 'checkout');
ajv.addSchema(webhooks, 'webhooks');
const schema = (doc: 'checkout' | 'webhooks', name: string): ValidateFunction => {
  const validate = ajv.getSchema(`${doc}#/components/schemas/${name}`);
  if (!validate) throw new Error(`${doc} has no schema ${name}`);
  return validate;
};
export const captureRequest = schema('checkout', 'PaymentCaptureRequest');
export const captureResponse = schema('checkout', 'PaymentCaptureResponse');
export const serviceError = schema('checkout', 'ServiceError');
export const captureNotification = schema('webhooks', 'CaptureNotificationRequest');
export const captureFailedNotification = schema('webhooks', 'RefundCaptureFailedNotificationRequest');

/** The validator's complaints, or [] when the value is what the document says. */
export function problems(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
}

/** The documented body of a capture's answer of this status: the 201's, else `ServiceError`. */
export const responseSchemaFor = (status: number) => (status === 201 ? captureResponse : serviceError);
