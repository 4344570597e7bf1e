import { Inject, Injectable } from '@nestjs/common';
import type { CaptureOutcome, CaptureRecord } from '@capture-gateway/domain';
import type { ApiClient } from '../auth/api-clients';
import { ApiError, notFound } from '../errors/api.errors';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import type { PluginRegistry } from '../plugins/plugin.registry';
import { CaptureStatusService } from './capture-status.service';
import { CapturesService } from './captures.service';
import { PROVIDER_GRACE_MS } from '../config/config.schemas';
import type { ResolveCapture } from './resolve-capture.schemas';

/** Operators settle what no provider check can: through the one status path, audited. */
@Injectable()
export class CaptureResolutionService {
  constructor(
    @Inject(CapturesService) private readonly captures: CapturesService,
    @Inject(CaptureStatusService) private readonly status: CaptureStatusService,
    @Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
  ) {}

  /**
   * An operator settles a capture in doubt (`unknown`, `pending`) as succeeded or failed, audited
   * with who, why and the request. A final capture is 409; failed frees a once-only authorisation.
   */
  async resolve(client: ApiClient, id: string, body: ResolveCapture, requestId: string): Promise<CaptureRecord> {
    const current = await this.captures.get(client, id);
    const account = this.registry.account(current.account);
    if (!account) throw notFound('capture');
    // No answer stored yet (a stored `unknown` carries its error): its provider call may still be
    // running, and settling it now could contradict what the provider does.
    const callEnds = Date.parse(current.createdAt) + account.timeoutMs + PROVIDER_GRACE_MS;
    if (current.status === 'unknown' && !current.error && Date.now() < callEnds) {
      throw new ApiError(
        'capture_not_in_doubt',
        `Capture ${id} is still being sent to its provider; resolve it after ${new Date(callEnds).toISOString()}`,
        'id',
      );
    }
    const outcome: CaptureOutcome =
      body.status === 'succeeded'
        ? { status: 'succeeded', references: body.providerReference ? { captureId: body.providerReference } : {} }
        : {
            status: 'failed',
            error: { code: 'resolved_by_operator', message: `Resolved as failed by an operator: ${body.reason}` },
            references: body.providerReference ? { captureId: body.providerReference } : {},
          };
    const meta = { source: 'operator' as const, actor: client.id, reason: body.reason, requestId };
    // The store re-checks the status under its row lock: a webhook may have settled it meanwhile.
    const { before, record } = await this.status.apply(account, id, outcome, meta);
    if (before !== 'unknown' && before !== 'pending') {
      throw new ApiError(
        'capture_not_in_doubt',
        `Capture ${id} is already ${before}; only unknown or pending captures can be resolved`,
        'id',
      );
    }
    return record;
  }
}
