import { Inject, Injectable } from '@nestjs/common';
import { CaptureIdSchema, type CaptureRecord, type CaptureRequest, CaptureRequestSchema } from '@capture-gateway/domain';
import type { ApiClient } from '../auth/api-clients';
import { ApiError, notFound } from '../errors/api.errors';
import { apiErrorFromZod } from '../errors/zod-issue';
import { CAPTURE_REPOSITORY } from '../persistence/persistence.module';
import type { CaptureRepository } from '../persistence/capture.repository';
import { MetricsService } from '../observability';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import type { PluginRegistry, ProviderAccount } from '../plugins/plugin.registry';
import { newCaptureId } from './capture-id';
import { type CaptureResponse, responseForError, responseForRecord } from './capture-response';
import { callProvider } from './provider-call';

/** A request that passed every check that needs no provider call. */
export interface PreparedCapture {
  request: CaptureRequest;
  account: ProviderAccount;
  options: unknown;
}

@Injectable()
export class CapturesService {
  constructor(
    @Inject(CAPTURE_REPOSITORY) private readonly repository: CaptureRepository,
    @Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  /** Validates the body and refuses what the account's plugin cannot do, before anything is stored. */
  prepare(client: ApiClient, body: unknown): PreparedCapture {
    const request = CaptureRequestSchema.parse(body);
    const account = client.canUse(request.account) ? this.registry.account(request.account) : undefined;
    if (!account) throw new ApiError('not_found', `No account "${request.account}"`, 'account');
    const { capabilities } = account.plugin;
    if (!request.amount && !capabilities.captureWithoutAmount) {
      throw new ApiError('invalid_request', `amount is required: ${account.plugin.displayName} cannot capture without one`, 'amount');
    }
    if (request.amount && capabilities.currencies !== 'any' && !capabilities.currencies.includes(request.amount.currency)) {
      throw new ApiError('unsupported_by_provider', `${account.plugin.displayName} does not capture in ${request.amount.currency}`, 'amount.currency');
    }
    return { request, account, options: this.parseOptions(account, request.providerOptions) };
  }

  /** Writes the capture as `unknown`, calls the provider once, then stores what it said. */
  async execute(prepared: PreparedCapture, client: ApiClient, requestId: string, idempotencyKey?: string): Promise<CaptureResponse> {
    const { request, account } = prepared;
    const now = new Date().toISOString();
    const record: CaptureRecord = {
      id: newCaptureId(),
      account: account.id,
      provider: account.plugin.id,
      authorisationId: request.authorisationId,
      ...(request.amount ? { requestedAmount: request.amount } : {}),
      status: 'unknown',
      providerReferences: {},
      ...(request.description !== undefined ? { description: request.description } : {}),
      ...(request.metadata ? { metadata: request.metadata } : {}),
      createdAt: now,
      updatedAt: now,
    };
    const singleCapture = !account.plugin.capabilities.multipleCaptures;
    const inserted = await this.repository.insertCapture({ record, clientId: client.id, singleCapture, ...(idempotencyKey ? { idempotencyKey } : {}) });
    if (!inserted.inserted) {
      const error = new ApiError('already_captured', `Authorisation ${request.authorisationId} already has capture ${inserted.existing.id}; ${account.plugin.displayName} allows one capture per authorisation`, 'authorisationId');
      return responseForError(error, requestId);
    }
    const providerTimer = this.metrics.startProviderTimer(account.plugin.id);
    const outcome = await callProvider(
      account,
      {
        captureId: record.id,
        authorisationId: request.authorisationId,
        ...(request.amount ? { amount: request.amount } : {}),
        ...(request.description !== undefined ? { description: request.description } : {}),
        ...(request.metadata ? { metadata: request.metadata } : {}),
        options: prepared.options,
      },
      requestId,
    );
    providerTimer(outcome.status);
    const stored = await this.repository.applyOutcome(record.id, outcome, 'api');
    this.metrics.recordCapture({ account: account.id, provider: account.plugin.id, outcome: stored.status });
    return responseForRecord(stored, requestId);
  }

  /**
   * A capture the client may see, or 404 (another client's capture is not even acknowledged).
   * Something that cannot be a capture id at all is 400 with `param: "id"`.
   */
  async get(client: ApiClient, id: string): Promise<CaptureRecord> {
    if (!CaptureIdSchema.safeParse(id).success) throw new ApiError('invalid_request', 'id: must be a capture id such as "cap_01J…"', 'id');
    const record = await this.repository.findById(id);
    if (!record || !client.canUse(record.account)) throw notFound('capture');
    return record;
  }

  private parseOptions(account: ProviderAccount, options: Record<string, unknown> | undefined): unknown {
    const schema = account.plugin.captureOptionsSchema;
    if (!schema) {
      if (options && Object.keys(options).length > 0) {
        throw new ApiError('invalid_request', `${account.plugin.displayName} takes no providerOptions`, 'providerOptions');
      }
      return undefined;
    }
    const parsed = schema.safeParse(options);
    if (parsed.success) return parsed.data;
    throw apiErrorFromZod(parsed.error, ['providerOptions']);
  }
}
