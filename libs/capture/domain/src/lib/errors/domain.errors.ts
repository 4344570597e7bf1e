import type { ErrorCode } from './error-codes';

/** An error with a stable code and, where one field is at fault, the path of that field. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** An amount that a currency cannot express, or a string that is not an amount. */
export class MoneyError extends DomainError {
  constructor(message: string, param?: string) {
    super('invalid_request', message, param);
  }
}
