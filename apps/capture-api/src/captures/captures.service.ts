import { Inject, Injectable } from '@nestjs/common';
import { CaptureIdSchema, type CaptureRecord, type CaptureRequest, CaptureRequestSchema } from '@capture-gateway/domain';
import type { ApiClient } from '../auth/api-clients';
import { ApiError, notFound } from '../errors/api.errors';
import { apiErrorFromZod } from '../errors/zod-issue';
import { CAPTURE_REPOSITORY } from '../persistence/persistence.module';
import type { CaptureRepository, IdempotencyEntry, KeyCompletion, KeyUse } from '../persistence/capture.repository';
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

export type CaptureStart =
  | { kind: 'started'; record: CaptureRecord }
  | { kind: 'refused'; response: CaptureResponse }
  | { kind: 'key_taken'; existing: IdempotencyEntry };

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
      throw new ApiError(
        'unsupported_by_provider',
        `${account.plugin.displayName} does not capture in ${request.amount.currency}`,
        'amount.currency',
      );
    }
    return { request, account, options: this.parseOptions(account, request.providerOptions) };
  }

  /** Without an idempotency key: writes the capture, calls the provider once, stores what it said. */
  async execute(prepared: PreparedCapture, client: ApiClient, requestId: string): Promise<CaptureResponse> {
    const started = await this.start(prepared, client, requestId);
    if (started.kind === 'started') return this.finish(prepared, started.record, requestId);
    if (started.kind === 'refused') return started.response;
    throw new Error('a capture without an idempotency key found one taken');
  }

  /**
   * Writes the capture as `unknown` (claiming `key` in the same statement); answers already_captured
   * when a live capture of a once-only authorisation exists, or hands back the key's owner entry.
   */
  async start(prepared: PreparedCapture, client: ApiClient, requestId: string, key?: KeyUse): Promise<CaptureStart> {
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
    const inserted = await this.repository.insertCapture({
      record,
      clientId: client.id,
      singleCapture,
      ...(key ? { idempotency: key } : {}),
    });
    if (inserted.inserted) return { kind: 'started', record };
    if ('keyTaken' in inserted) return { kind: 'key_taken', existing: inserted.keyTaken };
    const error = new ApiError(
      'already_captured',
      `Authorisation ${request.authorisationId} already has capture ${inserted.existing.id}; ${account.plugin.displayName} allows one capture per authorisation`,
      'authorisationId',
    );
    return { kind: 'refused', response: responseForError(error, requestId) };
  }

  /** Calls the provider once for a started capture, then stores what it said (and completes `key`). */
  async finish(prepared: PreparedCapture, record: CaptureRecord, requestId: string, key?: KeyCompletion): Promise<CaptureResponse> {
    const { request, account } = prepared;
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
    const stored = await this.repository.finishCapture(record, outcome, (r) => responseForRecord(r, requestId), key);
    this.metrics.recordCapture({ account: account.id, provider: account.plugin.id, outcome: stored.record.status });
    return stored.response;
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
