import type {Context} from 'hono';
import {IncompleteBody, InvalidRequest, PayloadTooLarge} from '../errors';

/** Largest request body any endpoint reads. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Longest accepted parameter value; anything longer is almost certainly garbage. */
export const MAX_PARAM_LENGTH = 4096;
const MAX_PARAM_COUNT = 64;

/** Request parameters with RFC 6749 §3.1 semantics applied. */
export interface Params {
  /** First value of each parameter; parameters sent without a value are absent. */
  values: Map<string, string>;
  /** Names that appeared more than once. */
  repeated: Set<string>;
}

/**
 * Parses query or form parameters. RFC 6749 §3.1: "Parameters sent without a value MUST be
 * treated as if they were omitted from the request" and "Request and response parameters
 * MUST NOT be included more than once" (recorded here, refused by `assertSingleValued`).
 */
export function parseParams(search: URLSearchParams): Params {
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  let count = 0;
  for (const [name, value] of search) {
    if (++count > MAX_PARAM_COUNT) throw new InvalidRequest('too many parameters');
    if (value.length > MAX_PARAM_LENGTH) throw new InvalidRequest(`parameter ${name} is too long`);
    if (value === '') continue;
    if (values.has(name)) repeated.add(name);
    else values.set(name, value);
  }
  return {values, repeated};
}

/**
 * RFC 6749 §3.1: refuses a request in which a parameter is repeated. `resource` (RFC 8707 §2 allows
 * repeating it) and its alias `audience` are left to the audience check, which answers invalid_target.
 */
export function assertSingleValued(params: Params): void {
  for (const name of params.repeated) {
    if (name !== 'resource' && name !== 'audience') throw new InvalidRequest(`parameter ${name} must not be repeated`);
  }
}

/** Reads a required parameter, RFC 6749 §5.2 invalid_request when missing. */
export function required(params: Params, name: string): string {
  const value = params.values.get(name);
  if (value === undefined) throw new InvalidRequest(`missing required parameter ${name}`);
  return value;
}

/**
 * Reads a request body of at most MAX_BODY_BYTES as UTF-8 text.
 *
 * A Request's `body` stream (Fetch Standard, the Body mixin) is not there in every engine: Firefox's
 * Request has no `body` attribute at all, the one a Service Worker's fetch event hands over included,
 * so a reader that only knows the stream sees an empty body there. Where the stream exists (Node,
 * Chromium, WebKit) it is read chunk by chunk, so the Node server never buffers more than the limit;
 * elsewhere `arrayBuffer()`, which every engine has, reads the body the browser already holds.
 */
export async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new PayloadTooLarge(`request body exceeds ${MAX_BODY_BYTES} bytes`);
  const stream = request.body as ReadableStream<Uint8Array> | null | undefined;
  const bytes =
    stream === undefined ? await readWhole(request) : stream === null ? new Uint8Array() : await readStream(stream);
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(bytes);
  } catch {
    throw new InvalidRequest('request body is not valid UTF-8');
  }
}

/** The body of a Request without a `body` stream, read at once and held to the limit. */
async function readWhole(request: Request): Promise<Uint8Array> {
  let buffer: ArrayBuffer;
  try {
    buffer = await request.arrayBuffer();
  } catch {
    throw new IncompleteBody('the request body ended before it was complete');
  }
  if (buffer.byteLength > MAX_BODY_BYTES) throw new PayloadTooLarge(`request body exceeds ${MAX_BODY_BYTES} bytes`);
  return new Uint8Array(buffer);
}

/** A body stream, read chunk by chunk and cancelled as soon as it passes the limit. */
async function readStream(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The stream fails when the client goes away mid-body (Node: "aborted", ECONNRESET).
      throw new IncompleteBody('the request body ended before it was complete');
    }
    const {done, value} = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new PayloadTooLarge(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** True when the request declares a form-encoded body (parameters like `charset` allowed). */
export function isFormEncoded(request: Request): boolean {
  const type = request.headers.get('content-type') ?? '';
  return type.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * Parses an `application/x-www-form-urlencoded` body, the only encoding RFC 6749 §3.2, RFC 7009 §2.1
 * and RFC 7662 §2.1 accept for POSTed parameters.
 */
export async function readFormParams(c: Context): Promise<Params> {
  if (!isFormEncoded(c.req.raw)) {
    throw new InvalidRequest('the request body must be application/x-www-form-urlencoded');
  }
  return parseParams(new URLSearchParams(await readBodyText(c.req.raw)));
}

/** Query parameters of a GET request. */
export function readQueryParams(c: Context): Params {
  return parseParams(new URL(c.req.url).searchParams);
}

/** Splits a space-delimited list (RFC 6749 §3.3) into unique values. */
export function spaceList(value: string | undefined): string[] {
  return value ? [...new Set(value.split(' ').filter(Boolean))] : [];
}
