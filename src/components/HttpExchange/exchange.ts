/**
 * The pure helpers the exchange view uses (parameter breakdown, curl and fetch
 * rendering), and the recorded-exchange shapes (from src/lib/http-exchange).
 * No React here, so unit tests and the walkthrough's sessionStorage share them.
 */

export {createRecordingFetch} from '../../lib/http-exchange';
export type {
  FetchFunction,
  HeaderList,
  HttpExchangeRecord,
  RecordedRequest,
  RecordedResponse,
} from '../../lib/http-exchange';
import type {HeaderList, RecordedRequest} from '../../lib/http-exchange';

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

/**
 * Aims a copied request at another sandbox: `from` is the issuer the page talks to (e.g.
 * `http://localhost:3000/sandbox`), `to` the issuer of `npm run sandbox` (`http://localhost:4000/sandbox`).
 * Only URLs under the issuer move; a redirect_uri that is a docs page stays as it is, because the
 * Node sandbox registers the same docs pages for its `--site-url` (by default http://localhost:3000/).
 */
export interface Retarget {
  from: string;
  to: string;
}

/** Form fields that carry something an authorization server issued (RFC 6749 §4.1.3, §6; RFC 7009 §2.1; RFC 7662 §2.1). */
const ISSUED_FIELDS = ['code', 'refresh_token', 'token', 'access_token'];

/**
 * Whether a request carries a token or a code issued by the server it was sent to: a bearer token
 * (RFC 6750 §2.1) or one of those form fields. Sent to another server (the curl command goes to
 * `npm run sandbox`), it is unknown there and refused.
 */
export function carriesIssuedCredential(request: RecordedRequest): boolean {
  if (/^(bearer|dpop) /i.test(headerValue(request.headers, 'authorization') ?? '')) return true;
  const fields = formFields(request.headers, request.body) ?? [];
  return fields.some(([name]) => ISSUED_FIELDS.includes(name));
}

/** The issuer `npm run sandbox` serves by default. */
export const NODE_SANDBOX_ISSUER = 'http://localhost:4000/sandbox';

/** The Retarget for "Copy as curl": from the page's sandbox issuer to the Node sandbox's. */
export function toNodeSandbox(pageIssuer: string, nodeIssuer: string = NODE_SANDBOX_ISSUER): Retarget {
  return {from: pageIssuer, to: nodeIssuer};
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Rewrites the issuer prefix wherever it begins a URL: the issuer itself or anything under it
 * (`/`, `?`, `#` next), never a longer path that merely starts with the same characters.
 */
function retarget(text: string, target: Retarget | undefined): string {
  if (!target) return text;
  const prefix = new RegExp(`${escapeRegExp(target.from)}(?=$|[/?#'"\\s])`, 'g');
  return text.replace(prefix, target.to);
}

/** Retargets a request URL, and its query values one by one, so an encoded redirect_uri under the issuer moves too. */
function retargetUrl(address: string, target: Retarget | undefined): string {
  const moved = retarget(address, target);
  let url: URL;
  try {
    url = new URL(moved);
  } catch {
    return moved;
  }
  const query = [...url.searchParams];
  const retargeted = query.map(([name, value]): [string, string] => [name, retarget(value, target)]);
  if (retargeted.every(([, value], index) => value === query[index][1])) return moved;
  url.search = new URLSearchParams(retargeted).toString();
  return url.href;
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
  const lines = [`curl -i -X ${request.method} ${shellQuote(retargetUrl(request.url, target))}`];
  for (const [name, value] of portableHeaders(request.headers)) {
    lines.push(`-H ${shellQuote(`${name}: ${retarget(value, target)}`)}`);
  }
  const fields = formFields(request.headers, request.body);
  if (fields) {
    for (const [name, value] of fields)
      lines.push(`--data-urlencode ${shellQuote(`${name}=${retarget(value, target)}`)}`);
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
    for (const [name, value] of headers)
      options.push(`    ${JSON.stringify(name)}: ${JSON.stringify(retarget(value, target))},`);
    options.push('  },');
  }
  const fields = formFields(request.headers, request.body);
  if (fields) {
    options.push('  body: new URLSearchParams({');
    for (const [name, value] of fields)
      options.push(`    ${JSON.stringify(name)}: ${JSON.stringify(retarget(value, target))},`);
    options.push('  }),');
  } else if (request.body !== undefined) {
    options.push(`  body: ${JSON.stringify(retarget(request.body, target))},`);
  }
  return [
    `const response = await fetch(${JSON.stringify(retargetUrl(request.url, target))}, {`,
    ...options,
    '});',
    'console.log(response.status, await response.text());',
  ].join('\n');
}
