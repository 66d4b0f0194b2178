import * as pkce from '@site/src/flows/authorization-code-pkce';
import * as flow from '@site/src/flows/multiple-audiences';
import type {CatalogApi} from '@site/src/contract/catalog';
import {defineWalkthrough} from '../engine/define';
import {apiById, assertPageIsRedirectUri} from '../engine/environment';
import type {WalkthroughEnv} from '../engine/types';
import {callApi, callApiExpectingRefusal} from '../steps/api';
import {
  authorizationRequest,
  authorizeAgain,
  createSecrets,
  discover,
  exchangeCode,
  signIn,
} from '../steps/authorization';

/** The single-page app's configuration without an API, as `configFor` takes it. */
const app = (env: WalkthroughEnv): flow.MultiApiConfig => ({
  issuer: env.issuer,
  clientId: env.client.client_id,
  redirectUri: assertPageIsRedirectUri(env),
  baseScope: 'openid offline_access',
  allowInsecureRequests: env.allowInsecureRequests,
});

/** An API as the flow module names it: its identifier (the `resource`) and its read scope. */
const audience = (api: CatalogApi): flow.ApiAudience => ({identifier: api.identifier, scope: `${api.id}:read`});
const contacts = (env: WalkthroughEnv) => apiById(env, 'contacts');

/** One SPA, two APIs: a token for the calendar is refused by the contacts API; a second round, without a login, gets one for contacts. */
export default defineWalkthrough((env) => ({config: flow.configFor(app(env), audience(env.api))}))
  .step(createSecrets(pkce.createAuthorizationSecrets))
  .step(discover(flow.discover))
  .step(
    authorizationRequest(pkce.buildAuthorizationUrl, {
      why: 'The app puts its request in the URL the browser will visit. This first round names one API, the calendar: its identifier as resource, and only its scope, calendar:read.',
    }),
  )
  .step(signIn(pkce.validateCallback))
  .step(exchangeCode(pkce))
  .step(callApi(flow.callApi, {path: '/events', title: 'Call the calendar API'}))
  .step(
    callApiExpectingRefusal(flow.callApi, {
      path: '/people',
      api: contacts,
      lane: 'api2',
      title: 'Call the contacts API with the calendar token',
      why: 'The app has one access token, and a second API to call. The token was issued for the calendar API; the contacts API checks the audience like every other claim.',
    }),
  )
  .step(
    authorizeAgain(pkce.beginAuthorization, {
      title: 'Start a second authorization, for the contacts API',
      why: "A token for the contacts API takes an authorization that names it: the contacts API's identifier as resource, and contacts:read. Only these two parameters differ from the first round.",
      reconfigure: (env) => flow.configFor(app(env), audience(contacts(env))),
    }),
  )
  .step(signIn(pkce.validateCallback, {singleSignOn: true}))
  .step(exchangeCode(pkce))
  .step(
    callApi(flow.callApi, {
      path: '/people',
      api: contacts,
      lane: 'api2',
      title: 'Call the contacts API with its own token',
    }),
  )
  .build();
