import * as flow from '@site/src/flows/client-credentials';
import {defineWalkthrough} from '../engine/define';
import {assertClientSecret} from '../engine/environment';
import {callApi} from '../steps/api';
import {discover} from '../steps/authorization';
import {clientAuthenticationFields, clientAuthenticationOf, tokenRequest} from '../steps/token-request';
import {inspectTokens} from '../steps/tokens';

/** The job's own code, run in this page as it runs from Node: a token for the calendar API, then a call. */
export default defineWalkthrough((env) => ({
  config: {
    issuer: env.issuer,
    clientId: env.client.client_id,
    clientSecret: assertClientSecret(env),
    audience: env.api.identifier,
    scope: 'calendar:read',
    allowInsecureRequests: env.allowInsecureRequests,
  } satisfies flow.ClientCredentialsConfig,
}))
  .step(discover(flow.discover))
  .step(
    tokenRequest({
      grantType: 'client_credentials',
      title: 'Authenticate as the client and ask for a token',
      why: 'The job proves who it is with its own client ID and secret, and names the API it wants a token for with resource (RFC 6749 §4.4.2, RFC 8707 §2). No user, no browser, no redirect.',
      action: 'Request a token',
      returns: 'access token only',
      form: {
        legend: "The job's settings",
        intro:
          'What the script reads from AUTH_METHOD and CLIENT_SECRET. Send the secret another way than the client is registered for, or change one character of it, and the server refuses the client with 401 invalid_client.',
        fields: ({env}) => clientAuthenticationFields(env.client),
      },
      request: (as, config, input) => flow.requestToken(as, {...config, ...clientAuthenticationOf(input)}),
      explain: (tokens) =>
        !tokens.refresh_token &&
        !tokens.id_token &&
        'No refresh token and no ID token: no user signed in, and the job can simply authenticate again when this token expires (RFC 6749 §4.4.3).',
    }),
  )
  .step(
    inspectTokens({
      why: "The job need not read its token: it is for the API, which checks it. Reading it here shows what the API will check: the signature with the server's published keys, then issuer, audience, expiry and client (RFC 9068 §4).",
    }),
  )
  .step(callApi(flow.callApi, {path: '/events'}))
  .build();
