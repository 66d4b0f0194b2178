/**
 * Tokens the explorer obtained, offered for reuse as a bearer token or as the `token` to revoke or
 * introspect. Kept in this tab's sessionStorage so they survive the round trip through the sign-in
 * page, and gone when the tab closes (RFC 9700 §4.2.4 on not keeping secrets in long-lived places);
 * never in a URL.
 */
import type {HttpExchangeRecord} from '../../lib/http-exchange';
import {decodeToken} from '../TokenInspector/checks';
import {TOKENS_KEY as STORAGE_KEY} from './storage-keys';

export interface HeldToken {
  kind: 'access_token' | 'refresh_token' | 'id_token';
  value: string;
  /** The client it was issued to: the only one that may refresh or revoke it (RFC 6749 §6, RFC 7009 §2.1). */
  clientId: string;
  issuer: string;
  /** For an access token: the API it is for (its `aud`, RFC 9068 §3). */
  audience?: string;
  /** The scopes granted with it (RFC 6749 §5.1). */
  scope?: string;
  /** When it arrived, for ordering (newest first) and labels. */
  obtainedAt: number;
  /** Set when a walkthrough of this tab obtained it, not the explorer. */
  fromWalkthrough?: boolean;
}

/** Enough to reuse what a reader just got, without growing the tab's storage without end. */
const KEEP = 12;

/** The tokens of a successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export function tokensFromResponse(
  body: unknown,
  context: {clientId: string; issuer: string; obtainedAt: number},
): HeldToken[] {
  if (typeof body !== 'object' || body === null) return [];
  const response = body as Record<string, unknown>;
  const scope = typeof response.scope === 'string' ? response.scope : undefined;
  const held: HeldToken[] = [];
  for (const kind of ['access_token', 'refresh_token', 'id_token'] as const) {
    const value = response[kind];
    if (typeof value !== 'string' || value === '') continue;
    const aud = kind === 'access_token' ? decodeToken(value)?.claims.aud : undefined;
    held.push({
      kind,
      value,
      ...context,
      ...(typeof aud === 'string'
        ? {audience: aud}
        : Array.isArray(aud) && typeof aud[0] === 'string'
          ? {audience: aud[0]}
          : {}),
      ...(scope !== undefined ? {scope} : {}),
    });
  }
  return held;
}

/**
 * The client a token request came from: HTTP Basic credentials (each part form-urlencoded, RFC 6749
 * §2.3.1) or the `client_id` form field (client_secret_post, public clients).
 */
function clientOf(exchange: HttpExchangeRecord): string | undefined {
  const authorization = exchange.request.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  if (authorization?.toLowerCase().startsWith('basic ')) {
    try {
      const decoded = atob(authorization.slice(6).trim());
      return new URLSearchParams(`id=${decoded.slice(0, decoded.indexOf(':'))}`).get('id') ?? undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(exchange.request.body ?? '').get('client_id') ?? undefined;
}

/** The tokens in recorded token responses to `issuer` (for example, a walkthrough's), newest first. */
export function tokensFromExchanges(
  exchanges: HttpExchangeRecord[],
  issuer: string,
  tokenEndpoint = `${issuer}/token`,
): HeldToken[] {
  const found: HeldToken[] = [];
  for (const exchange of exchanges) {
    const response = exchange.response;
    if (
      exchange.request.method !== 'POST' ||
      exchange.request.url !== tokenEndpoint ||
      !response ||
      response.status !== 200
    )
      continue;
    const clientId = clientOf(exchange);
    if (!clientId) continue;
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      continue;
    }
    const accessToken = (body as {access_token?: unknown}).access_token;
    const issuedAt = decodeToken(typeof accessToken === 'string' ? accessToken : '')?.claims.iat;
    const obtainedAt = (typeof issuedAt === 'number' ? issuedAt : 0) * 1000;
    found.push(
      ...tokensFromResponse(body, {clientId, issuer, obtainedAt}).map((token) => ({...token, fromWalkthrough: true})),
    );
  }
  return found.sort((a, b) => b.obtainedAt - a.obtainedAt);
}

/** Adds tokens, newest first, the same value only once. */
export function addTokens(held: HeldToken[], added: HeldToken[]): HeldToken[] {
  const values = new Set(added.map((token) => token.value));
  return [...added, ...held.filter((token) => !values.has(token.value))].slice(0, KEEP);
}

export interface TokenFilter {
  issuer: string;
  audience?: string;
  scope?: string;
}

/** The newest token of a kind for an issuer, optionally for an audience or carrying a scope. */
export function latestToken(held: HeldToken[], kind: HeldToken['kind'], filter: TokenFilter): HeldToken | undefined {
  return held.find(
    (token) =>
      token.kind === kind &&
      token.issuer === filter.issuer &&
      (filter.audience === undefined || token.audience === filter.audience) &&
      (filter.scope === undefined || (token.scope ?? '').split(' ').includes(filter.scope)),
  );
}

/** The kinds of token a parameter takes: the `token` to revoke or introspect (RFC 7009 §2.1, RFC 7662 §2.1). */
const FIELD_TOKEN_KINDS = new Map<string, HeldToken['kind'][]>([
  ['token', ['access_token', 'refresh_token']],
  ['refresh_token', ['refresh_token']],
  ['access_token', ['access_token']],
]);

/** The tokens to offer for a parameter, or undefined when it takes none. */
export function tokensForField(name: string, tokens: HeldToken[]): HeldToken[] | undefined {
  const kinds = FIELD_TOKEN_KINDS.get(name);
  return kinds ? tokens.filter((token) => kinds.includes(token.kind)) : undefined;
}

/** The `token_type_hint` that names a token's kind (RFC 7009 §2.1, RFC 7662 §2.1). */
export function tokenTypeHint(token: HeldToken): 'access_token' | 'refresh_token' {
  return token.kind === 'refresh_token' ? 'refresh_token' : 'access_token';
}

/** A short label for a token select: kind, client, audience, scopes and the token's last characters. */
export function describeToken(token: HeldToken): string {
  const kind = token.kind.replace('_', ' ');
  const audience = token.audience ? ` for ${token.audience.split('/').pop()}` : '';
  const scope = token.scope ? ` (${token.scope})` : '';
  return `${kind} of ${token.clientId}${audience}${scope}${token.fromWalkthrough ? ', from a walkthrough' : ''} …${token.value.slice(-6)}`;
}

export function loadTokens(): HeldToken[] {
  try {
    const parsed = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as HeldToken[]) : [];
  } catch {
    return [];
  }
}

export function saveTokens(held: HeldToken[]): void {
  window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(held));
}
