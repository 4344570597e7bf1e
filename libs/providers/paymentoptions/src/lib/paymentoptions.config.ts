import { secret } from '@capture-gateway/plugin-sdk';
import { z } from 'zod';

/** What one PaymentOptions account needs. Both credentials are secrets; the docs allow them to differ. */
export const PaymentOptionsConfigSchema = z.object({
  baseUrl: z.url().describe('Host of the PaymentOptions API, without the path, e.g. https://api-dev.paymentoptions.com'),
  authorizationKey: secret('Sent as `Authorization: Basic <authorizationKey>`'),
  apiKey: secret('Sent as `x-api-key: <apiKey>`'),
  merchantId: z.string().min(1).describe('The PaymentOptions merchant id, sent as `merchant_id`'),
});

export type PaymentOptionsConfig = z.infer<typeof PaymentOptionsConfigSchema>;
