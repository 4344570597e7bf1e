import { type CaptureEvent, EventVerificationError, SIGNATURE_HEADER, verifyEvent } from '@capture-gateway/client';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EventSink {
  /** Where the dev config's subscription posts: `http://127.0.0.1:<port>/events`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface EventSinkOptions {
  port: number;
  /** The subscription's signing secrets (both during a rotation). */
  secrets: readonly string[];
  /** One line per event, without the newline (default: stdout). */
  print?: (line: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** One line a developer can scan: what happened to which capture, and why it came. */
export function eventLine(event: CaptureEvent): string {
  const { capture, source, previousStatus } = event.data;
  const money = capture.capturedAmount ?? capture.requestedAmount;
  const amount = money ? ` ${money.amount} ${money.currency}` : '';
  const from = previousStatus ? ` (was ${previousStatus})` : '';
  return `event ${event.type} ${capture.id} ${capture.account}${amount} source=${source}${from} seq=${event.sequence} ${event.id}`;
}

/**
 * A local stand-in for a product team's endpoint: it verifies each delivery's signature with the
 * client library's `verifyEvent`, exactly as a receiver should, answers 204, and prints the event.
 * A bad signature is answered 400 (the service will retry it) and printed as refused.
 */
export async function startEventSink(options: EventSinkOptions): Promise<EventSink> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server: Server = createServer((request, response) => void receive(request, response));

  async function receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return answer(response, 405);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return answer(response, 413);
      chunks.push(chunk);
    }
    try {
      const event = verifyEvent(Buffer.concat(chunks), header(request), options.secrets);
      print(eventLine(event));
      answer(response, 204);
    } catch (error) {
      const reason = error instanceof EventVerificationError ? error.reason : 'unreadable';
      print(`event refused: ${reason} (${error instanceof Error ? error.message : String(error)})`);
      answer(response, 400);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/events`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function header(request: IncomingMessage): string | undefined {
  const value = request.headers[SIGNATURE_HEADER.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function answer(response: ServerResponse, status: number): void {
  response.statusCode = status;
  response.end();
}
