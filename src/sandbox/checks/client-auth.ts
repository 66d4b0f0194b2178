import type {MiddlewareHandler} from 'hono';
import {findClient, type CatalogClient} from '../catalog';
import type {Sandbox, SandboxEnv} from '../context';
import {InvalidClient, InvalidRequest} from '../errors';
import {authenticateByAssertion} from './client-assertion';
import {readFormParams, type Params} from './params';

export interface ClientAuthOptions {
  /** Public clients (`none`) may call this endpoint with just their client_id. */
  allowPublic: boolean;
  /** Realm for `WWW-Authenticate: Basic`, RFC 6749 §5.2. */
  realm: string;
}

/** RFC 6749 §5.2: failed Basic authentication answers with the Basic challenge. */
function invalidBasicClient(description: string, realm: string): InvalidClient {
  return new InvalidClient(description).withChallenge(`Basic realm="${realm}"`);
}

/**
 * Middleware factory: parses the form body into `params` and authenticates the client
 * (RFC 6749 §2.3.1 client_secret_basic and client_secret_post, RFC 7523 §2.2 private_key_jwt, `none` for
 * public clients, §2.1), setting `client`. Using more than one method is invalid_request (§2.3); any failure is
 * 401 invalid_client, with `WWW-Authenticate: Basic` when Basic was used (§5.2).
 */
export function clientAuth(sandbox: Sandbox, options: ClientAuthOptions): MiddlewareHandler<SandboxEnv> {
  return async function clientAuthMiddleware(c, next) {
    const params = await readFormParams(c);
    c.set('params', params);
    const url = new URL(c.req.url);
    const endpointUrl = `${url.origin}${url.pathname}`;
    const {client, method} = await authenticate(sandbox, params, c.req.header('authorization'), options, endpointUrl);
    c.set('client', client);
    c.set('clientAuthMethod', method);
    await next();
  };
}

async function authenticate(
  sandbox: Sandbox,
  params: Params,
  authorization: string | undefined,
  options: ClientAuthOptions,
  endpointUrl: string,
): Promise<{client: CatalogClient; method: CatalogClient['token_endpoint_auth_method']}> {
  for (const name of ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type']) {
    if (params.repeated.has(name)) throw new InvalidRequest(`parameter ${name} must not be repeated`);
  }
  const bodyId = params.values.get('client_id');
  const bodySecret = params.values.get('client_secret');
  const assertion = params.values.get('client_assertion');
  const assertionType = params.values.get('client_assertion_type');

  if (assertion !== undefined || assertionType !== undefined) {
    // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
    if (authorization !== undefined || bodySecret !== undefined)
      throw new InvalidRequest('use a client_assertion or a client secret, not both');
    // RFC 7521 §4.2: the two parameters go together.
    if (assertion === undefined) throw new InvalidRequest('client_assertion_type without client_assertion');
    if (assertionType === undefined) throw new InvalidRequest('client_assertion without client_assertion_type');
    const client = await authenticateByAssertion(sandbox, assertion, assertionType, bodyId, endpointUrl);
    return {client, method: 'private_key_jwt'};
  }

  if (authorization !== undefined) {
    const basic = parseBasic(authorization, options.realm);
    // RFC 6749 §5.2: an unsupported authentication method is invalid_client (401, with a challenge).
    if (!basic)
      throw invalidBasicClient(
        'unsupported or malformed Authorization header; use Basic client credentials',
        options.realm,
      );
    // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
    if (bodySecret !== undefined)
      throw new InvalidRequest('use either client_secret_basic or client_secret_post, not both');
    if (bodyId !== undefined && bodyId !== basic.id)
      throw new InvalidRequest('client_id in the body differs from the Basic credentials');
    const client = findClient(sandbox.catalog, basic.id);
    if (client?.token_endpoint_auth_method === 'private_key_jwt') throw mustUseAssertion(client, options.realm);
    if (
      !client ||
      client.token_endpoint_auth_method !== 'client_secret_basic' ||
      !secretsMatch(client.client_secret, basic.secret)
    ) {
      throw invalidBasicClient('client authentication failed', options.realm);
    }
    return {client, method: 'client_secret_basic'};
  }

  if (bodyId === undefined) throw new InvalidClient('client authentication is required');
  const client = findClient(sandbox.catalog, bodyId);
  if (!client) throw new InvalidClient('client authentication failed');
  if (client.token_endpoint_auth_method === 'private_key_jwt') throw mustUseAssertion(client);
  if (bodySecret !== undefined) {
    if (client.token_endpoint_auth_method !== 'client_secret_post' || !secretsMatch(client.client_secret, bodySecret)) {
      throw new InvalidClient('client authentication failed');
    }
    return {client, method: 'client_secret_post'};
  }
  // RFC 6749 §3.2.1: a confidential client must authenticate.
  if (client.token_endpoint_auth_method !== 'none')
    throw new InvalidClient('client authentication is required for a confidential client');
  if (!options.allowPublic) throw new InvalidClient('this endpoint requires a confidential client');
  return {client, method: 'none'};
}

/**
 * A private_key_jwt client that sent a secret, or nothing: it is registered for one method only (RFC 7591 §2),
 * so it is refused, saying which (RFC 6749 §5.2 invalid_client).
 */
function mustUseAssertion(client: CatalogClient, basicRealm?: string): InvalidClient {
  const error = new InvalidClient(
    `client ${client.client_id} is registered for private_key_jwt: authenticate with a client_assertion (RFC 7523 section 2.2)`,
  );
  return basicRealm === undefined ? error : error.withChallenge(`Basic realm="${basicRealm}"`);
}

/** RFC 6749 §2.3.1: Basic credentials whose id and secret are each form-urlencoded first. */
function parseBasic(header: string, realm: string): {id: string; secret: string} | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!match) return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', {fatal: true}).decode(
      Uint8Array.from(atob(match[1]!), (char) => char.charCodeAt(0)),
    );
  } catch {
    throw invalidBasicClient('malformed Basic credentials', realm);
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidBasicClient('malformed Basic credentials', realm);
  try {
    return {id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1))};
  } catch {
    throw invalidBasicClient('malformed Basic credentials', realm);
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Compares secrets without an early exit, so timing does not reveal a matching prefix. */
function secretsMatch(expected: string | undefined, actual: string): boolean {
  if (expected === undefined) return false;
  let difference = expected.length ^ actual.length;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ (actual.charCodeAt(i) || 0);
  return difference === 0;
}
