import * as flow from '@site/src/flows/device-authorization';
import {defineWalkthrough} from '../engine/define';
import {callApi} from '../steps/api';
import {discover} from '../steps/authorization';
import {pollForTokens, requestDeviceCode} from '../steps/device';
import {inspectTokens} from '../steps/tokens';

/** The demo registration whose codes expire in seconds, to watch `expired_token` happen (RFC 8628 §3.5). */
export const QUICK_EXPIRY_CLIENT = 'tv-app-quick-expiry';

/**
 * A TV app's code, run in this page: it asks for a device code, shows the user code and a QR code, and
 * polls while the reader answers on the "phone", the sandbox's verification page framed beside it.
 */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    scope: [
      'openid profile offline_access',
      ...env.api.scopes.filter((scope) => scope.value.endsWith(':read')).map((scope) => scope.value),
    ].join(' '),
    audience: env.api.identifier,
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies flow.DeviceConfig,
}))
  .step(
    discover(flow.discover, {
      why: "The device reads the server's endpoints from its discovery document, among them the device_authorization_endpoint (RFC 8628 §4), and checks that the document names the issuer it asked for.",
      endpoints: ['issuer', 'device_authorization_endpoint', 'token_endpoint', 'jwks_uri'],
    }),
  )
  .step(
    requestDeviceCode(flow.requestDeviceCode, {
      choices: {
        legend: 'Code lifetime',
        options: [
          {clientId: 'tv-app', label: '10 minutes, as a TV app would ask (client tv-app)'},
          {
            clientId: QUICK_EXPIRY_CLIENT,
            label: `15 seconds, to watch the code expire (client ${QUICK_EXPIRY_CLIENT})`,
          },
        ],
      },
    }),
  )
  .step(pollForTokens(flow.pollForTokens))
  .step(
    inspectTokens({
      why: "The device got its tokens without ever seeing a password or a browser. It verifies the ID token with the server's published keys before trusting who approved; the access token is for the API.",
    }),
  )
  .step(callApi(flow.callApi, {path: '/events'}))
  .build();
