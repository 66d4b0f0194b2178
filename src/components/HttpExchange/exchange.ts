/**
 * Plain data describing one HTTP request and its response, the recording
 * fetch that captures them, and the pure helpers the exchange view uses
 * (parameter breakdown, curl and fetch rendering). No React here, so unit
 * tests and the walkthrough's sessionStorage share the same shapes.
 */

export type HeaderList = Array<[name: string, value: string]>;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: HeaderList;
  body?: string;
}

export interface RecordedResponse {
  status: number;
  statusText: string;
  headers: HeaderList;
  body: string;
}

/** One request/response pair, JSON-serializable so it survives a page navigation. */
export interface HttpExchangeRecord {
  request: RecordedRequest;
  response?: RecordedResponse;
  /** Set when no response arrived at all (network failure). */
  failure?: string;
  durationMs: number;
}

export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

function headerList(headers: HeadersInit | Headers | undefined): HeaderList {
  const list: HeaderList = [];
  new Headers(headers).forEach((value, name) => list.push([name, value]));
  return list;
}

function bodyText(body: BodyInit | null | undefined): string | undefined {
  if (body == null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  return `[${Object.prototype.toString.call(body).slice(8, -1)} body]`;
}

/**
 * Wraps a fetch so every request and response is reported to `onExchange`.
 * The caller still gets an unread response; the recording reads a clone.
 */
export function createRecordingFetch(
  onExchange: (exchange: HttpExchangeRecord) => void,
  baseFetch: FetchFunction = (url, init) => fetch(url, init),
): FetchFunction {
  return async (url, init) => {
    const request: RecordedRequest = {
      method: (init.method ?? 'GET').toUpperCase(),
      url,
      headers: headerList(init.headers),
      body: bodyText(init.body),
    };
    const started = Date.now();
    let response: Response;
    try {
      response = await baseFetch(url, init);
    } catch (error) {
      onExchange({request, failure: error instanceof Error ? error.message : String(error), durationMs: Date.now() - started});
      throw error;
    }
    const body = await response.clone().text();
    onExchange({
      request,
      response: {
        status: response.status,
        statusText: response.statusText,
        headers: headerList(response.headers),
        body,
      },
      durationMs: Date.now() - started,
    });
    return response;
  };
}

/** A URL split into its address and its query parameters, in order. */
export function breakDownUrl(url: string): {address: string; parameters: HeaderList} {
  const parsed = new URL(url);
  const parameters = [...parsed.searchParams.entries()];
  parsed.search = '';
  parsed.hash = '';
  return {address: parsed.href, parameters};
}

function headerValue(headers: HeaderList, name: string): string | undefined {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

/** The fields of a form-encoded body, or undefined when the body is something else. */
export function formFields(headers: HeaderList, body: string | undefined): HeaderList | undefined {
  if (body === undefined) return undefined;
  const type = headerValue(headers, 'content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
  return [...new URLSearchParams(body).entries()];
}

/** The body pretty-printed when it is JSON, otherwise as received. */
export function prettyBody(body: string): {text: string; json: boolean} {
  try {
    return {text: JSON.stringify(JSON.parse(body), null, 2), json: true};
  } catch {
    return {text: body, json: false};
  }
}

/** Replaces one base URL with another everywhere in a string (used to aim a command at another server). */
export interface Retarget {
  from: string;
  to: string;
}

function retarget(text: string, target: Retarget | undefined): string {
  return target ? text.split(target.from).join(target.to) : text;
}

/** Quotes a string for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Headers a copied command should carry (the rest are added by the runtime anyway). */
function portableHeaders(headers: HeaderList): HeaderList {
  return headers.filter(([name]) => !['user-agent', 'content-length'].includes(name.toLowerCase()));
}

/**
 * Renders the request as a curl command. Form fields become `--data-urlencode`
 * arguments so each one reads on its own line.
 */
export function toCurl(request: RecordedRequest, target?: Retarget): string {
  const lines = [`curl -i -X ${request.method} ${shellQuote(retarget(request.url, target))}`];
  for (const [name, value] of portableHeaders(request.headers)) {
    lines.push(`-H ${shellQuote(`${name}: ${retarget(value, target)}`)}`);
  }
  const fields = formFields(request.headers, request.body);
  if (fields) {
    for (const [name, value] of fields) lines.push(`--data-urlencode ${shellQuote(`${name}=${retarget(value, target)}`)}`);
  } else if (request.body !== undefined) {
    lines.push(`--data-raw ${shellQuote(retarget(request.body, target))}`);
  }
  return lines.join(' \\\n  ');
}

/** Renders the request as a `fetch()` call to paste into a browser console or a script. */
export function toFetch(request: RecordedRequest, target?: Retarget): string {
  const options: string[] = [`  method: ${JSON.stringify(request.method)},`];
  const headers = portableHeaders(request.headers);
  if (headers.length > 0) {
    options.push('  headers: {');
    for (const [name, value] of headers) options.push(`    ${JSON.stringify(name)}: ${JSON.stringify(retarget(value, target))},`);
    options.push('  },');
  }
  const fields = formFields(request.headers, request.body);
  if (fields) {
    options.push('  body: new URLSearchParams({');
    for (const [name, value] of fields) options.push(`    ${JSON.stringify(name)}: ${JSON.stringify(retarget(value, target))},`);
    options.push('  }),');
  } else if (request.body !== undefined) {
    options.push(`  body: ${JSON.stringify(retarget(request.body, target))},`);
  }
  return [
    `const response = await fetch(${JSON.stringify(retarget(request.url, target))}, {`,
    ...options,
    '});',
    'console.log(response.status, await response.text());',
  ].join('\n');
}
