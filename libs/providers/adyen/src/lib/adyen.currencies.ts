import type { MinorUnitOverrides } from '@capture-gateway/domain';

/**
 * Adyen's exponents where they differ from ISO 4217 (Adyen's "Currency codes" page: "For CLP, CVE, IDR
 * and ISK the standard has a different number of decimals than shown in our currency codes table
 * ... the decimals in the table on this page are leading"). Every other currency as in ISO 4217.
 */
export const ADYEN_MINOR_UNITS: MinorUnitOverrides = {
  // ISO: 0; Adyen: 2. 1500 CLP is sent as 150000.
  CLP: 2,
  // ISO: 2; Adyen: 0. 1500.00 CVE is sent as 1500; 1500.50 cannot be.
  CVE: 0,
  // ISO: 2; Adyen: 0.
  IDR: 0,
  // ISO: 0; Adyen: 2.
  ISK: 2,
};
