import type {Handler} from 'hono';
import type {Params} from '../checks/params';
import type {Sandbox, SandboxEnv} from '../context';
import {InvalidRequest} from '../errors';
import {PUSHED_REQUEST_LIFETIME, savePushedRequest} from '../par';
import {trustedClientAndRedirect, UntrustedRequest, validateRequest} from './authorize';

/** The pushed authorization response, RFC 9126 §2.2. */
export interface PushedAuthorizationResponse {
  request_uri: string;
  expires_in: number;
}

/** Client authentication parameters: they authenticate the push and are not part of the request (RFC 9126 §2). */
const CLIENT_AUTH_PARAMS = ['client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * The pushed authorization request endpoint, RFC 9126 §2 (runs after `clientAuth`, as the token endpoint
 * does: a confidential client authenticates, a public one sends its `client_id`). The parameters are checked
 * as the authorization endpoint checks them (§2.1), and kept for one use of the `request_uri` answered
 * (§2.2). Errors are the token endpoint's, as JSON (§2.3), including those the authorization endpoint
 * would show on its own page (an unregistered redirect URI: nothing is redirected from here).
 */
export function pushedAuthorizationEndpoint(sandbox: Sandbox): Handler<SandboxEnv> {
  return async function pushedAuthorization(c) {
    const client = c.get('client');
    const sent = c.get('params');
    // §2.1: "The request_uri authorization request parameter is one exception, and it MUST NOT be provided."
    if (sent.values.has('request_uri'))
      throw new InvalidRequest('request_uri must not be pushed (RFC 9126 section 2.1)');
    const values = new Map([...sent.values].filter(([name]) => !CLIENT_AUTH_PARAMS.includes(name)));
    // §2.1: the client_id is that of the authenticated client (clientAuth checked one sent in the body).
    values.set('client_id', client.client_id);
    const params: Params = {
      values,
      repeated: new Set([...sent.repeated].filter((name) => !CLIENT_AUTH_PARAMS.includes(name))),
    };
    let redirectUri: string;
    try {
      ({redirectUri} = trustedClientAndRedirect(sandbox, params, {pushed: true}));
    } catch (error) {
      if (error instanceof UntrustedRequest) throw new InvalidRequest(error.description);
      throw error;
    }
    validateRequest(sandbox, client, redirectUri, params);
    const requestUri = await savePushedRequest(sandbox, client.client_id, params);
    const body: PushedAuthorizationResponse = {request_uri: requestUri, expires_in: PUSHED_REQUEST_LIFETIME};
    // §2.2: 201 Created; the request_uri stands for the request, so it is not cached (as the token response, RFC 6749 §5.1).
    return c.json(body, 201, {'Cache-Control': 'no-store', Pragma: 'no-cache'});
  };
}
