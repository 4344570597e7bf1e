import { Inject, Injectable } from '@nestjs/common';
import { type CaptureChange, type CaptureRecord, recordAfter } from '@capture-gateway/domain';
import type { ApiClient } from '../auth/api-clients';
import { ApiError } from '../errors/api.errors';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import type { PluginRegistry } from '../plugins/plugin.registry';
import { CaptureStatusService } from './capture-status.service';
import { CapturesService } from './captures.service';
import type { AcknowledgeCapture, ResolveCapture } from './resolve-capture.schemas';

/** The history's name for an operator: the client and the key it used, so an action is traceable to whoever holds that key. */
export const operatorOf = (client: ApiClient) => `${client.id}/${client.keyId}`;

/** Operators settle what no provider check can, and close flags: through the one status path, audited. */
@Injectable()
export class CaptureResolutionService {
  constructor(
    @Inject(CapturesService) private readonly captures: CapturesService,
    @Inject(CaptureStatusService) private readonly status: CaptureStatusService,
    @Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
  ) {}

  /**
   * An operator settles a capture in doubt (`unknown`, `pending`) as succeeded or failed, audited
   * with who (client and key), why and the request. A final capture, or one still being sent, is 409.
   */
  resolve(client: ApiClient, id: string, body: ResolveCapture, requestId: string): Promise<CaptureRecord> {
    const { status, reason, providerReference } = body;
    return this.settle(client, id, { kind: 'resolve', status, reason, ...(providerReference ? { providerReference } : {}) }, requestId);
  }

  /** An operator has looked at a flagged capture: the flag closes, the status stays. 409 without a flag. */
  acknowledge(client: ApiClient, id: string, body: AcknowledgeCapture, requestId: string): Promise<CaptureRecord> {
    return this.settle(client, id, { kind: 'acknowledge', note: body.note }, requestId);
  }

  private async settle(client: ApiClient, id: string, change: CaptureChange, requestId: string): Promise<CaptureRecord> {
    const current = await this.captures.get(client, id);
    // An account gone from the config can still be resolved: the status path needs no plugin for it.
    const account = this.registry.account(current.account);
    // The state machine decides under the row lock: a webhook may have settled the capture meanwhile.
    const settlement = await this.status.apply(account, id, { ...change, actor: operatorOf(client), requestId });
    if (settlement.kind === 'refused') throw new ApiError(settlement.code, settlement.message, settlement.param);
    return recordAfter(settlement);
  }
}
