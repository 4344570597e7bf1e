import { Controller, Get, Inject, Param } from '@nestjs/common';
import { authorisationSummary, type CaptureRecord, type Money } from '@capture-gateway/domain';
import { CurrentClient, RequireScope } from '../auth/api-key.guard';
import type { ApiClient } from '../auth/api-clients';
import { notFound } from '../errors/api.errors';
import type { CaptureStore } from '../persistence/captures.store';
import { CAPTURE_STORE } from '../persistence/storage';

/** An authorisation captured in parts, as `GET /v1/authorisations/{account}/{authorisationId}` answers it. */
export interface AuthorisationBody {
  account: string;
  authorisationId: string;
  authorisedAmount?: Money;
  /** A final capture that did not fail, or the provider, closed it: nothing more can be captured. */
  closed: boolean;
  /** What its succeeded captures took, per currency. */
  capturedTotal: Money[];
  captures: CaptureRecord[];
}

@Controller('v1/authorisations')
export class AuthorisationsController {
  constructor(@Inject(CAPTURE_STORE) private readonly captures: CaptureStore) {}

  /** An authorisation's captures, its captured total per currency and whether it is closed; 404 on an account the key may not use. */
  @Get(':account/:authorisationId')
  @RequireScope('captures:read')
  async get(
    @Param('account') account: string,
    @Param('authorisationId') authorisationId: string,
    @CurrentClient() client: ApiClient,
  ): Promise<AuthorisationBody> {
    const view = client.canUse(account) ? await this.captures.authorisation(account, authorisationId) : undefined;
    if (!view) throw notFound('authorisation');
    const { closed, captured } = authorisationSummary(view.state);
    return {
      account,
      authorisationId,
      ...(view.state.authorisedAmount ? { authorisedAmount: view.state.authorisedAmount } : {}),
      closed,
      capturedTotal: captured,
      captures: view.captures,
    };
  }
}
