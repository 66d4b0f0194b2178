import type {MiddlewareHandler} from 'hono';
import {findClient, type CatalogClient} from '../catalog';
import type {Sandbox, SandboxEnv} from '../context';
import {InvalidClient, InvalidRequest} from '../errors';
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
 * (RFC 6749 §2.3.1 client_secret_basic and client_secret_post, `none` for public clients, §2.1),
 * setting `client`. Using more than one method is invalid_request (§2.3); any failure is
 * 401 invalid_client, with `WWW-Authenticate: Basic` when Basic was used (§5.2).
 */
export function clientAuth(sandbox: Sandbox, options: ClientAuthOptions): MiddlewareHandler<SandboxEnv> {
  return async function clientAuthMiddleware(c, next) {
    const params = await readFormParams(c);
    c.set('params', params);
    const {client, method} = authenticate(sandbox, params, c.req.header('authorization'), options);
    c.set('client', client);
    c.set('clientAuthMethod', method);
    await next();
  };
}

function authenticate(
  sandbox: Sandbox,
  params: Params,
  authorization: string | undefined,
  options: ClientAuthOptions,
): {client: CatalogClient; method: CatalogClient['token_endpoint_auth_method']} {
  for (const name of ['client_id', 'client_secret']) {
    if (params.repeated.has(name)) throw new InvalidRequest(`parameter ${name} must not be repeated`);
  }
  const bodyId = params.values.get('client_id');
  const bodySecret = params.values.get('client_secret');

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
