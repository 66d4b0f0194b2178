import type {Handler} from 'hono';
import {DEVICE_CODE_GRANT_TYPE} from '../catalog';
import {assertSingleValued} from '../checks/params';
import {resolveScopeAndAudience} from '../checks/scope';
import type {Sandbox, SandboxEnv} from '../context';
import {formatUserCode, startDeviceAuthorization} from '../device';
import {assertClientMayUse} from '../grants/types';
import {defaultAudience} from '../tokens';

/** The device authorization response, RFC 8628 §3.2. */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/**
 * The device authorization endpoint, RFC 8628 §3.1 (runs after `clientAuth`, as the token endpoint does:
 * a confidential client authenticates, a public one sends its `client_id`). `scope`, and `audience` or
 * `resource` (RFC 8707 §2), are checked as at the authorization endpoint. Errors are those of RFC 6749
 * §5.2 (§3.2: "the same error codes as the token endpoint"), and invalid_target.
 */
export function deviceAuthorizationEndpoint(sandbox: Sandbox): Handler<SandboxEnv> {
  return async function deviceAuthorization(c) {
    const params = c.get('params');
    const client = c.get('client');
    assertSingleValued(params); // RFC 6749 §3.1
    // RFC 6749 §5.2 unauthorized_client: only a client registered for the device grant gets a device code.
    assertClientMayUse(client, DEVICE_CODE_GRANT_TYPE);
    const {scopes, api} = resolveScopeAndAudience(sandbox.catalog, params);
    const {deviceCode, userCode, record} = await startDeviceAuthorization(sandbox, client, {
      scopes,
      aud: api?.identifier ?? defaultAudience(sandbox),
    });
    const verificationUri = sandbox.endpoints.deviceVerification;
    const shown = formatUserCode(userCode);
    const body: DeviceAuthorizationResponse = {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: verificationUri,
      // §3.3.1: the URI with the user code in it, for a QR code or a link; the user still confirms it (§5.4).
      verification_uri_complete: `${verificationUri}?user_code=${shown}`,
      expires_in: Math.round((record.expiresAt - sandbox.now()) / 1000),
      interval: record.interval,
    };
    // §3.2: a response carrying a credential, like the token endpoint's (RFC 6749 §5.1).
    return c.json(body, 200, {'Cache-Control': 'no-store', Pragma: 'no-cache'});
  };
}
