/**
 * One HTTP request and its response as plain, JSON-serializable data, and the recording fetch that
 * captures them. Shared by the pages (which show exchanges) and the demo web apps' server side (which
 * records its back-channel calls for the page to show), so it uses web-standard APIs only.
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
      onExchange({
        request,
        failure: error instanceof Error ? error.message : String(error),
        durationMs: Date.now() - started,
      });
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
