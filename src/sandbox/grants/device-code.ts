import {DEVICE_CODE_GRANT_TYPE, findUserBySub} from '../catalog';
import {required} from '../checks/params';
import {checkGrantedTarget} from '../checks/scope';
import {pollDeviceCode, SLOW_DOWN_STEP} from '../device';
import {AccessDenied, AuthorizationPending, ExpiredToken, InvalidGrant, SlowDown} from '../errors';
import {getGrant, revokeGrant} from '../grant-store';
import {issueTokens} from './issue';
import {assertClientMayUse, type GrantHandler} from './types';

/**
 * The device code grant, RFC 8628 §3.4: the device polls with its device code until the user decided, and
 * is answered as §3.5 says. The rules of one poll are `poll` in device.ts, run in one atomic update of the
 * code's record, so a code redeems once however many polls race.
 */
export const deviceCode: GrantHandler = async (sandbox, client, params, request) => {
  assertClientMayUse(client, DEVICE_CODE_GRANT_TYPE);
  const code = required(params, 'device_code');
  const {outcome, record} = await pollDeviceCode(sandbox, client.client_id, code);
  switch (outcome) {
    case 'unknown':
      throw new InvalidGrant('the device code is invalid, or expired long ago');
    case 'other-client':
      // RFC 6749 §5.2: the grant "was issued to another client".
      throw new InvalidGrant('the device code was issued to another client');
    case 'redeemed':
      // A device code is a one-time credential like an authorization code: a second redemption is refused,
      // and the tokens issued from it are revoked, as for a replayed code (RFC 6749 §4.1.2).
      if (record?.grantId) await revokeGrant(sandbox, record.grantId);
      throw new InvalidGrant('the device code was already used; tokens issued from it are revoked');
    case 'expired':
      throw new ExpiredToken('the device code expired; start again with a new device authorization request');
    case 'denied':
      throw new AccessDenied('the user denied the request');
    case 'slow-down':
      throw new SlowDown(
        `polled sooner than the interval; wait ${record!.interval + SLOW_DOWN_STEP} seconds between polls from now on`,
      );
    case 'pending':
      throw new AuthorizationPending('the user has not yet approved or denied the request');
    case 'approved':
      break;
  }
  const grant = record?.grantId ? await getGrant(sandbox, record.grantId) : undefined;
  if (!grant || grant.revoked) throw new InvalidGrant('the authorization grant was revoked');
  // RFC 8707 §2.2: a resource named here may only be the one the device asked for.
  checkGrantedTarget(sandbox.catalog, params, grant.aud);
  const user = findUserBySub(sandbox.catalog, grant.sub);
  return issueTokens(sandbox, {
    client,
    grant,
    scopes: grant.scopes,
    refresh: true,
    ...request,
    ...(user ? {user} : {}),
  });
};
