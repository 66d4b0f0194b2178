/**
 * The explorer's form state, the HTTP request it makes, and the part of it that can be shared in the
 * page's URL fragment. Pure functions, so unit tests check what is sent and what is never shared.
 */
import type {HeaderList, RecordedRequest} from '../../lib/http-exchange';
import {fieldsFor, isSecretHeader, isSecretName, variantOf, type ExplorerOperation} from './model';

/**
 * Where requests go: this browser's Service Worker sandbox, `npm run sandbox` on this machine, or the
 * reader's own provider named in the page's query (`?issuer=…&client_id=…`).
 */
export type Target = 'browser' | 'node' | 'provider';

/** How the client authenticates at the token, revocation and introspection endpoints (RFC 6749 §2.3). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface NameValue {
  name: string;
  value: string;
}

export interface ExplorerState {
  target: Target;
  /** The Node sandbox's issuer, editable (default http://localhost:4000/sandbox). */
  nodeIssuer: string;
  operation: string;
  /** The token endpoint's grant_type. */
  grant: string;
  clientId: string;
  authMethod: ClientAuthMethod;
  clientSecret: string;
  /** The access token sent as `Authorization: Bearer` to a protected operation. */
  bearer: string;
  /** The operation's own parameters by name (path, query, header and form body alike). */
  values: Record<string, string>;
  /** Extra query or body parameters the reader added. */
  extraParameters: NameValue[];
  /** Extra request headers the reader added. */
  extraHeaders: NameValue[];
  /** The body of a JSON operation (an API's POST). */
  jsonBody: string;
}

export const NODE_SANDBOX_ISSUER = 'http://localhost:4000/sandbox';

export function emptyState(operation: string): ExplorerState {
  return {
    target: 'browser',
    nodeIssuer: NODE_SANDBOX_ISSUER,
    operation,
    grant: '',
    clientId: '',
    authMethod: 'none',
    clientSecret: '',
    bearer: '',
    values: {},
    extraParameters: [],
    extraHeaders: [],
    jsonBody: '',
  };
}

/**
 * `client_secret_basic`: the client_id and the secret, each form-urlencoded, joined by a colon and
 * base64-encoded (RFC 6749 §2.3.1; the encoding first is what the RFC asks and many servers forget).
 */
export function basicCredentials(clientId: string, secret: string): string {
  const encode = (text: string) => new URLSearchParams({x: text}).toString().slice(2);
  const bytes = new TextEncoder().encode(`${encode(clientId)}:${encode(secret)}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

const named = (entries: NameValue[]) => entries.filter((entry) => entry.name.trim() !== '');

/** The request the form describes, for an issuer (no trailing slash): what is sent and what the exchange view shows. */
export function buildRequest(operation: ExplorerOperation, state: ExplorerState, issuer: string): RecordedRequest {
  const fields = fieldsFor(operation, state.grant);
  const value = (name: string) => state.values[name] ?? '';
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(value(name)));
  const url = new URL(operation.url ?? `${operation.server ?? issuer}${path}`);
  const headers: HeaderList = [];
  const form = new URLSearchParams();
  const isForm = operation.body?.type === 'form';

  for (const field of fields) {
    const text = value(field.name);
    if (text === '') continue;
    if (field.in === 'query') url.searchParams.append(field.name, text);
    else if (field.in === 'header') headers.push([field.name, text]);
    else if (field.in === 'body') form.append(field.name, text);
  }
  const variant = variantOf(operation, state.grant);
  if (variant?.grant) form.set('grant_type', variant.grant);
  // Keep grant_type first, the way people write token requests.
  const ordered = variant?.grant
    ? new URLSearchParams([['grant_type', variant.grant], ...[...form].filter(([name]) => name !== 'grant_type')])
    : form;

  if (operation.auth === 'client') {
    if (state.authMethod === 'client_secret_basic')
      headers.push(['Authorization', basicCredentials(state.clientId, state.clientSecret)]);
    else if (state.clientId !== '') {
      // RFC 6749 §2.3.1 (client_secret_post) and §3.2.1 (a public client names itself with client_id).
      ordered.append('client_id', state.clientId);
      if (state.authMethod === 'client_secret_post') ordered.append('client_secret', state.clientSecret);
    }
  }
  // RFC 6750 §2.1: the access token in the Authorization header, the one way every resource server accepts.
  if (operation.auth === 'bearer' && state.bearer.trim() !== '')
    headers.push(['Authorization', `Bearer ${state.bearer.trim()}`]);

  for (const extra of named(state.extraParameters)) {
    if (isForm) ordered.append(extra.name.trim(), extra.value);
    else url.searchParams.append(extra.name.trim(), extra.value);
  }
  for (const extra of named(state.extraHeaders)) headers.push([extra.name.trim(), extra.value]);

  let body: string | undefined;
  if (isForm && operation.method === 'POST') {
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    body = ordered.toString();
  } else if (operation.body?.type === 'json') {
    headers.push(['Content-Type', 'application/json']);
    body = state.jsonBody;
  }
  return {method: operation.method, url: url.href, headers, ...(body !== undefined ? {body} : {})};
}

/** The fragment's prefix: `#explore?op=postToken&grant=password&...`. */
export const FRAGMENT_PREFIX = '#explore?';

/**
 * The shareable part of the state as a URL fragment. Secrets are stripped HERE, by design and tested:
 * the client secret, passwords, tokens, codes, PKCE verifiers (every name `isSecretName` knows, and
 * every parameter whose schema says `format: password`), the bearer token, and the Authorization,
 * Cookie and similar headers never reach the URL, whose history, logs and Referer leak it
 * (RFC 6750 §5.3, RFC 9700 §4.3). A restored form gets them again from the catalog or the reader.
 */
/** One-time values of an authorization request: not secrets, but made afresh for every request, so a link leaves them out. */
const ONE_TIME = new Set(['state', 'nonce', 'code_challenge']);

export function toFragment(state: ExplorerState, operation: ExplorerOperation | undefined): string {
  const secretFields = new Set(
    operation
      ? fieldsFor(operation, state.grant)
          .filter((field) => field.secret)
          .map((field) => field.name)
      : [],
  );
  const shared = new URLSearchParams();
  shared.set('op', state.operation);
  if (state.grant) shared.set('grant', state.grant);
  if (state.target !== 'browser') shared.set('target', state.target);
  if (state.target === 'node' && state.nodeIssuer !== NODE_SANDBOX_ISSUER) shared.set('node', state.nodeIssuer);
  if (state.clientId) shared.set('client', state.clientId);
  if (operation?.auth === 'client') shared.set('auth', state.authMethod);
  for (const [name, value] of Object.entries(state.values)) {
    if (value === '' || secretFields.has(name) || isSecretName(name) || ONE_TIME.has(name)) continue;
    shared.set(`v.${name}`, value);
  }
  for (const {name, value} of named(state.extraParameters)) {
    if (!isSecretName(name)) shared.append('p', `${name.trim()}=${value}`);
  }
  for (const {name, value} of named(state.extraHeaders)) {
    if (!isSecretHeader(name)) shared.append('h', `${name.trim()}: ${value}`);
  }
  if (state.jsonBody !== '' && operation?.body?.type === 'json') shared.set('json', state.jsonBody);
  return `${FRAGMENT_PREFIX}${shared.toString()}`;
}

/** What a shared fragment restores; secrets were never in it, and are dropped again should someone add them by hand. */
export interface SharedState {
  operation: string;
  grant?: string;
  target?: Target;
  nodeIssuer?: string;
  clientId?: string;
  authMethod?: ClientAuthMethod;
  values: Record<string, string>;
  extraParameters: NameValue[];
  extraHeaders: NameValue[];
  jsonBody?: string;
}

const AUTH_METHODS: ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];

export function fromFragment(hash: string): SharedState | undefined {
  if (!hash.startsWith(FRAGMENT_PREFIX)) return undefined;
  const shared = new URLSearchParams(hash.slice(FRAGMENT_PREFIX.length));
  const operation = shared.get('op');
  if (!operation) return undefined;
  const values: Record<string, string> = {};
  for (const [name, value] of shared) {
    if (name.startsWith('v.') && !isSecretName(name.slice(2))) values[name.slice(2)] = value;
  }
  const split = (text: string, separator: string): NameValue => {
    const at = text.indexOf(separator);
    return at < 0 ? {name: text, value: ''} : {name: text.slice(0, at), value: text.slice(at + separator.length)};
  };
  const target = shared.get('target');
  const auth = shared.get('auth') as ClientAuthMethod | null;
  return {
    operation,
    ...(shared.get('grant') ? {grant: shared.get('grant')!} : {}),
    ...(target === 'node' || target === 'browser' || target === 'provider' ? {target} : {}),
    ...(shared.get('node') ? {nodeIssuer: shared.get('node')!} : {}),
    ...(shared.get('client') ? {clientId: shared.get('client')!} : {}),
    ...(auth && AUTH_METHODS.includes(auth) ? {authMethod: auth} : {}),
    values,
    extraParameters: shared
      .getAll('p')
      .map((entry) => split(entry, '='))
      .filter((entry) => !isSecretName(entry.name)),
    extraHeaders: shared
      .getAll('h')
      .map((entry) => split(entry, ': '))
      .filter((entry) => !isSecretHeader(entry.name)),
    ...(shared.get('json') !== null ? {jsonBody: shared.get('json')!} : {}),
  };
}
