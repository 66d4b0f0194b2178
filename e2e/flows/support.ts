import type {Page} from '@playwright/test';
import type {Catalog, CatalogClient, GuideCase} from '../../src/sandbox/catalog';
import {expect} from '../fixtures';

/** What a request made from the page got back: status, headers (lower-case names) and the parsed body. */
export interface PageResponse<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

/**
 * Sends a request from the page, so it goes through the page's Service Worker as the site's own
 * requests do. A JSON body is parsed; any other body is returned as text.
 */
export async function fetchFromPage<T = Record<string, unknown>>(
  page: Page,
  url: string,
  init: {method?: string; headers?: Record<string, string>; body?: string} = {},
): Promise<PageResponse<T>> {
  return page.evaluate(
    async ({url, init}) => {
      const response = await fetch(url, init);
      const text = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      const json = (headers['content-type'] ?? '').includes('json');
      return {status: response.status, headers, body: json ? JSON.parse(text) : text};
    },
    {url, init},
  );
}

/** POSTs an `application/x-www-form-urlencoded` body from the page (RFC 6749 §3.2), with extra headers. */
export async function postFormFromPage<T = Record<string, unknown>>(
  page: Page,
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<PageResponse<T>> {
  return fetchFromPage<T>(page, url, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded', ...headers},
    body: new URLSearchParams(form).toString(),
  });
}

/** RFC 6749 §2.3.1: client_secret_basic, with id and secret form-urlencoded before base64. */
export function basicAuthorization(clientId: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({v: value}).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** The demo world as the page sees it: `GET {issuer}/catalog`. */
export async function catalogFrom(page: Page, issuer: string): Promise<Catalog> {
  const {status, body} = await fetchFromPage<Catalog>(page, `${issuer}/catalog`);
  expect(status, 'GET /catalog').toBe(200);
  return body;
}

/** The catalog's client for one of the guide's cases. */
export function clientFor(catalog: Catalog, guideCase: GuideCase): CatalogClient {
  const client = catalog.clients.find((candidate) => candidate.guide_case === guideCase);
  if (!client) throw new Error(`the catalog has no client for the ${guideCase} case`);
  return client;
}

/** Checks the flow page's main heading and that its text names the sandbox client it describes. */
export async function expectFlowPage(page: Page, heading: string, clientId: string): Promise<void> {
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', {level: 1, name: heading})).toBeVisible();
  await expect(main.getByText(clientId, {exact: true}).first()).toBeVisible();
}

/** A decoded compact JWS: protected header and claims, not yet verified. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export function decodeJwt(jwt: string): DecodedJwt {
  const parts = jwt.split('.');
  expect(parts, 'a JWS in compact serialization has three parts').toHaveLength(3);
  const part = (index: number) => JSON.parse(Buffer.from(parts[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  return {header: part(0), payload: part(1)};
}

/**
 * Verifies a JWT's RS256 signature in the page with WebCrypto, against the key its `kid` names in
 * `{issuer}/jwks` (RFC 7515 §5.2), and returns the decoded token.
 */
export async function verifyJwt(page: Page, issuer: string, jwt: string): Promise<DecodedJwt> {
  const decoded = decodeJwt(jwt);
  expect(decoded.header.alg).toBe('RS256');
  const verified = await page.evaluate(
    async ({jwksUrl, jwt, kid}) => {
      const {keys} = (await (await fetch(jwksUrl)).json()) as {keys: Array<JsonWebKey & {kid?: string}>};
      const jwk = keys.find((key) => key.kid === kid);
      if (!jwk) return false;
      const algorithm = {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'};
      const key = await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['verify']);
      const [header, payload, signature] = jwt.split('.') as [string, string, string];
      const bytes = Uint8Array.from(atob(signature.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
      return crypto.subtle.verify(algorithm, key, bytes, new TextEncoder().encode(`${header}.${payload}`));
    },
    {jwksUrl: `${issuer}/jwks`, jwt, kid: decoded.header.kid as string},
  );
  expect(verified, 'the JWT signature verifies against the issuer JWKS').toBe(true);
  return decoded;
}

/** A PKCE pair made in the page with WebCrypto (RFC 7636 §4.1, §4.2: S256). */
export async function pkcePairInPage(page: Page): Promise<{verifier: string; challenge: string}> {
  return page.evaluate(async () => {
    const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    return {verifier, challenge: base64url(digest)};
  });
}

/** A random URL-safe value made in the page, for `state` and `nonce`. */
export async function randomValueInPage(page: Page): Promise<string> {
  return page.evaluate(() => Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join(''));
}

/** Everything the page keeps in Web Storage and cookies, as one string to search for tokens. */
export async function browserStorageOf(page: Page): Promise<string> {
  const local = await page.evaluate(() => JSON.stringify({...localStorage, ...sessionStorage}));
  const cookies = await page.context().cookies();
  return `${local}\n${JSON.stringify(cookies)}`;
}
