import { Inject, Injectable } from '@nestjs/common';
import {
  admit,
  type AuthorisationState,
  CaptureIdSchema,
  type CaptureRecord,
  type CaptureRequest,
  CaptureRequestSchema,
  firstLookAt,
  insertedCapture,
  newCaptureId,
  providerOutcomeOf,
  recordAfter,
  type StoredCapture,
} from '@capture-gateway/domain';
import { capabilityRefusal } from '@capture-gateway/plugin-sdk';
import type { ApiClient } from '../auth/api-clients';
import type { LoadedConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { ApiError, notFound } from '../errors/api.errors';
import { apiErrorFromZod } from '../errors/zod-issue';
import { MetricsService } from '../observability';
import type { HistoryEntry } from '../persistence/capture-history';
import type { CaptureStore } from '../persistence/captures.store';
import type { IdempotencyEntry, KeyUse } from '../persistence/idempotency-keys.store';
import { CAPTURE_STORE } from '../persistence/storage';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';
import type { PluginRegistry, ProviderAccount } from '../plugins/plugin.registry';
import { CaptureStatusService } from './capture-status.service';
import { type CaptureResponse, responseForError, responseForRecord } from './capture-response';
import { IdempotencyService, type KeyedRequest } from './idempotency.service';
import type { ListCapturesQuery } from './list-captures.query';
import { callProvider } from './provider-call';
import { PendingOutcomes } from './pending-outcomes';
import { ProviderSlotsService } from './provider-slots.service';
import { StorageUnavailableError } from '../persistence/storage-unavailable.error';

/** A request that passed every check that needs no provider call. */
interface PreparedCapture {
  request: CaptureRequest;
  account: ProviderAccount;
  options: unknown;
}

type CaptureStart =
  { kind: 'started'; capture: StoredCapture } | { kind: 'refused'; error: ApiError } | { kind: 'key_taken'; existing: IdempotencyEntry };

/** Captures, from the request to the stored answer: the one path, with or without an idempotency key. */
@Injectable()
export class CapturesService {
  private readonly keyRequired: boolean;

  constructor(
    @Inject(CAPTURE_STORE) private readonly captures: CaptureStore,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(CaptureStatusService) private readonly status: CaptureStatusService,
    @Inject(PendingOutcomes) private readonly pending: PendingOutcomes,
    @Inject(ProviderSlotsService) private readonly slots: ProviderSlotsService,
    @Inject(APP_CONFIG) loaded: LoadedConfig,
  ) {
    this.keyRequired = loaded.config.idempotency.required;
  }

  /**
   * Validates, writes the capture as `unknown`, calls the provider once, stores its answer. With a
   * key, at most one request per key reaches the provider, on any replica, and the answer is replayed.
   */
  async create(
    client: ApiClient,
    body: unknown,
    key: string | undefined,
    requestId: string,
    signal?: AbortSignal,
  ): Promise<CaptureResponse> {
    const prepared = this.prepare(client, body);
    if (key === undefined && this.keyRequired) {
      throw new ApiError(
        'idempotency_key_required',
        'Send an Idempotency-Key header with each capture, and the same one when you retry it',
        'Idempotency-Key',
      );
    }
    const keyed = key === undefined ? undefined : this.idempotency.keyed(key, body);
    // A slot at the provider before anything is written: a capture that gets none is refused
    // (provider_busy), never sent, never stored, its key left free for the retry.
    const ready = await this.slots.beforeCapture(prepared.account.id, client.id, keyed, requestId, signal);
    if ('replay' in ready) return ready.replay;
    try {
      if (keyed === undefined) return await this.run(prepared, client, requestId);
      return await this.runKeyed(prepared, client, requestId, keyed, ready.use ?? keyed);
    } finally {
      ready.slot.release();
    }
  }

  /** A capture the client may see, or 404 (another client's capture is not even acknowledged). */
  async get(client: ApiClient, id: string): Promise<CaptureRecord> {
    // Something that cannot be a capture id at all is 400 with `param: "id"`.
    if (!CaptureIdSchema.safeParse(id).success) throw new ApiError('invalid_request', 'id: must be a capture id such as "cap_01J…"', 'id');
    const record = await this.captures.findById(id);
    if (!record || !client.canUse(record.account)) throw notFound('capture');
    return record;
  }

  /** One page, newest first, of the captures on the accounts the client may use. */
  async list(client: ApiClient, query: ListCapturesQuery): Promise<{ data: CaptureRecord[]; nextCursor: string | null }> {
    const accounts = query.account ? client.accounts.filter((a) => a === query.account) : client.accounts;
    const page = await this.captures.list({
      accounts,
      limit: query.limit + 1,
      ...(query.status ? { status: query.status } : {}),
      ...(query.createdFrom ? { createdFrom: new Date(query.createdFrom) } : {}),
      ...(query.createdTo ? { createdTo: new Date(query.createdTo) } : {}),
      ...(query.cursor ? { after: query.cursor } : {}),
      ...(query.authorisationId ? { authorisationId: query.authorisationId } : {}),
      ...(query.providerCaptureId ? { providerCaptureId: query.providerCaptureId } : {}),
      ...(query.olderThan !== undefined ? { updatedBefore: new Date(Date.now() - query.olderThan * 1000) } : {}),
    });
    const data = page.slice(0, query.limit);
    return { data, nextCursor: page.length > query.limit ? (data.at(-1)?.id ?? null) : null };
  }

  async history(client: ApiClient, id: string): Promise<HistoryEntry[]> {
    return this.captures.history((await this.get(client, id)).id);
  }

  /** Validates the body and refuses what the account's plugin cannot do, before anything is stored. */
  private prepare(client: ApiClient, body: unknown): PreparedCapture {
    const request = CaptureRequestSchema.parse(body);
    const account = client.canUse(request.account) ? this.registry.account(request.account) : undefined;
    if (!account) throw new ApiError('not_found', `No account "${request.account}"`, 'account');
    // What the account's plugin cannot do is refused before anything is stored or sent (the SDK's one check).
    const refusal = capabilityRefusal({ ...account.plugin, accountCurrencies: account.provider.accountCurrencies }, request);
    if (refusal) throw new ApiError(refusal.code, refusal.message, refusal.param);
    return { request, account, options: this.parseOptions(account, request.providerOptions) };
  }

  private async run(prepared: PreparedCapture, client: ApiClient, requestId: string): Promise<CaptureResponse> {
    const started = await this.start(prepared, client, requestId);
    if (started.kind === 'started') return this.finish(prepared, client, started.capture, requestId);
    if (started.kind === 'refused') return responseForError(started.error, requestId);
    throw new Error('a capture without an idempotency key found one taken');
  }

  /** `use` claims the key in the insert's statement, or (after a take-over) links the key already held. */
  private async runKeyed(
    prepared: PreparedCapture,
    client: ApiClient,
    requestId: string,
    keyed: KeyedRequest,
    use: KeyUse,
  ): Promise<CaptureResponse> {
    const started = await this.start(prepared, client, requestId, use);
    if (started.kind === 'key_taken') {
      const taken = await this.idempotency.whenTaken(client.id, keyed, started.existing, requestId);
      return 'replay' in taken ? taken.replay : this.runKeyed(prepared, client, requestId, keyed, { key: keyed.key, held: true });
    }
    if (started.kind === 'refused') {
      const response = responseForError(started.error, requestId);
      await this.idempotency.complete({ clientId: client.id, key: keyed.key, response });
      return response;
    }
    // The key completes in the statement that stores the provider's answer.
    return this.idempotency.releasingOnError(client.id, keyed.key, () =>
      this.finish(prepared, client, started.capture, requestId, { clientId: client.id, key: keyed.key }),
    );
  }

  /**
   * Writes the capture as `unknown` (claiming the key in the same statement); refuses with
   * already_captured when a live capture of a once-only authorisation exists, or hands back the
   * key's owner entry.
   */
  private async start(prepared: PreparedCapture, client: ApiClient, requestId: string, key?: KeyUse): Promise<CaptureStart> {
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
      ...(request.final === false ? { final: false as const } : {}),
      createdAt: now,
      updatedAt: now,
    };
    const { multipleCaptures } = account.plugin.capabilities;
    const singleCapture = !multipleCaptures;
    const capture = insertedCapture(record, client.id, null);
    if (request.providerOptions) capture.providerOptions = request.providerOptions;
    capture.nextCheckAt = firstLookAt(capture, this.status.policy(account), Date.parse(now));
    const inserted = await this.captures.insert({
      record,
      clientId: client.id,
      singleCapture,
      nextCheckAt: capture.nextCheckAt,
      requestId,
      ...(key ? { idempotency: key } : {}),
      ...(request.providerOptions ? { providerOptions: request.providerOptions } : {}),
      // Partial captures, or a declared authorised amount: admitted under the authorisation's lock.
      ...(multipleCaptures || request.authorisedAmount
        ? {
            admit: (authorisation: AuthorisationState) =>
              admit(authorisation, {
                ...(request.amount ? { amount: request.amount } : {}),
                final: request.final !== false,
                ...(request.authorisedAmount ? { authorisedAmount: request.authorisedAmount } : {}),
              }),
          }
        : {}),
    });
    if (inserted.inserted) return { kind: 'started', capture };
    if ('keyTaken' in inserted) return { kind: 'key_taken', existing: inserted.keyTaken };
    if ('refused' in inserted) {
      const { code, message, param } = inserted.refused;
      return { kind: 'refused', error: new ApiError(code, message, param) };
    }
    const message = `Authorisation ${request.authorisationId} already has capture ${inserted.existing.id}; ${account.plugin.displayName} allows one capture per authorisation`;
    return { kind: 'refused', error: new ApiError('already_captured', message, 'authorisationId') };
  }

  /** Calls the provider once for a started capture, then stores what it said (and completes the key). */
  private async finish(
    prepared: PreparedCapture,
    client: ApiClient,
    capture: StoredCapture,
    requestId: string,
    key?: { clientId: string; key: string },
  ): Promise<CaptureResponse> {
    const { request, account } = prepared;
    const { record } = capture;
    const providerTimer = this.metrics.startProviderTimer(account.plugin.id);
    const callStarted = performance.now();
    const outcome = await callProvider(
      account,
      {
        captureId: record.id,
        authorisationId: request.authorisationId,
        ...(request.amount ? { amount: request.amount } : {}),
        ...(request.description !== undefined ? { description: request.description } : {}),
        ...(request.metadata ? { metadata: request.metadata } : {}),
        ...(request.final === false ? { final: false } : {}),
        options: prepared.options,
      },
      requestId,
    );
    providerTimer(outcome.status);
    const provider = { latencyMs: Math.round(performance.now() - callStarted), outcome: providerOutcomeOf(outcome) };
    const change = { kind: 'answer' as const, outcome, provider, actor: client.id, requestId };
    const respond = (stored: CaptureRecord) => responseForRecord(stored, requestId);
    const store = async (): Promise<{ stored: CaptureRecord; response: CaptureResponse }> => {
      let completedWith: CaptureResponse | undefined;
      const { settlement, keyCompleted } = await this.status.firstAnswer(
        account,
        capture,
        change,
        key && { ...key, respond: (settled) => (completedWith = respond(recordAfter(settled))) },
      );
      const stored = recordAfter(settlement);
      // Completed with the write: that response (serialised once, for the key's row) is the answer.
      const response = keyCompleted && completedWith ? completedWith : respond(stored);
      // Moved by something else first (a webhook): the stored record decides what our answer says.
      if (key && !keyCompleted) await this.idempotency.complete({ ...key, response });
      return { stored, response };
    };
    let written: { stored: CaptureRecord; response: CaptureResponse };
    try {
      written = await store();
    } catch (error) {
      // The provider answered but the database is out of reach: the answer is kept and written when
      // it is back; the client gets 503 and retries with its key, which replays the stored answer.
      if (error instanceof StorageUnavailableError) {
        const about = {
          captureId: record.id,
          requestId,
          status: outcome.status,
          ...(outcome.references.captureId ? { providerCaptureId: outcome.references.captureId } : {}),
        };
        this.pending.keep(about, async () => void (await store()));
      }
      throw error;
    }
    this.metrics.recordCapture({ account: account.id, provider: account.plugin.id, outcome: written.stored.status });
    return written.response;
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
