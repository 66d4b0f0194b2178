/**
 * Sensible first values for a form, from the sandbox's catalog (`GET {issuer}/catalog`) and the tokens
 * this page has obtained: the client registered for the grant, its secret and auth method, a user,
 * scopes and the API identifier. Everything stays editable.
 */
import {DEVICE_CODE_GRANT_TYPE, type Catalog, type CatalogClient} from '../../contract/catalog';
import {fieldsFor, isAuthorization, type ExplorerOperation} from './model';
import type {ClientAuthMethod, ExplorerState, SharedState} from './request';
import type {HeldToken} from './tokens';
import {DEFAULT_PROVIDER_SCOPE, type ProviderSettings} from '../../walkthroughs/engine/provider';

/** The client a reader most likely wants for an operation and grant. */
function defaultClient(
  catalog: Catalog,
  operation: ExplorerOperation,
  grant: string,
  token: HeldToken | undefined,
  deviceCode?: HeldDeviceCode,
): CatalogClient | undefined {
  const byId = (id: string | undefined) => catalog.clients.find((client) => client.client_id === id);
  if (operation.id === 'postIntrospect') {
    // RFC 7662 §2.1: introspection is for protected resources, and §4: the server decides which tokens a
    // caller may introspect. The sandbox answers an API's own credential about tokens for that API, and a
    // confidential client about tokens issued to it; anyone else learns only {"active": false}.
    const apiOfToken = catalog.apis.find((api) => api.identifier === token?.audience);
    const owner = byId(token?.clientId);
    return (
      byId(apiOfToken?.introspection_client_id) ??
      (owner?.type === 'confidential' ? owner : undefined) ??
      byId(catalog.apis.map((api) => api.introspection_client_id).find(Boolean)) ??
      catalog.clients.find((client) => client.type === 'confidential')
    );
  }
  if (operation.id === 'postRevoke' || grant === 'refresh_token') {
    // RFC 7009 §2.1, RFC 6749 §6: a token is revoked or refreshed by the client it was issued to.
    return byId(token?.clientId) ?? catalog.clients.find((client) => client.grant_types.includes('refresh_token'));
  }
  if (operation.id === 'postDeviceAuthorization' || grant === DEVICE_CODE_GRANT_TYPE) {
    // RFC 8628 §3.4: a device code is redeemed by the client it was issued to. A device is a public
    // client as a rule (§5.6), so the public one comes first.
    const devices = catalog.clients.filter((client) => client.grant_types.includes(DEVICE_CODE_GRANT_TYPE));
    return (
      byId(grant === DEVICE_CODE_GRANT_TYPE ? deviceCode?.clientId : undefined) ??
      devices.find((client) => client.type === 'public' && !client.lab) ??
      devices[0] ??
      catalog.clients[0]
    );
  }
  if (operation.path === '/par') {
    // RFC 9126 §6: the client registered to push its requests shows what the endpoint is for.
    return (
      catalog.clients.find((client) => client.require_pushed_authorization_requests && !client.lab) ??
      catalog.clients.find((client) => client.type === 'public' && client.response_types.includes('code')) ??
      catalog.clients[0]
    );
  }
  if (operation.path === '/authorize' || grant === 'authorization_code') {
    return (
      catalog.clients.find((client) => client.type === 'public' && client.response_types.includes('code')) ??
      catalog.clients[0]
    );
  }
  return catalog.clients.find((client) => client.grant_types.includes(grant)) ?? catalog.clients[0];
}

export function authMethodOf(client: CatalogClient | undefined): ClientAuthMethod {
  const method = client?.token_endpoint_auth_method;
  // The explorer does not sign client assertions: a private_key_jwt client is sent with its client_id alone.
  return method === undefined || method === 'private_key_jwt' ? 'none' : method;
}

/** The device code of the newest device authorization response on this page (RFC 8628 §3.2), and its client. */
export interface HeldDeviceCode {
  value: string;
  clientId: string;
}

export interface PrefillContext {
  catalog: Catalog;
  /** This page's address without query or fragment: the explorer's redirect URI when a client registered it. */
  pageUrl: string;
  /** The newest token of each kind obtained on this page, for the operations that take one. */
  latest: (kind: HeldToken['kind'], filter?: {audience?: string; scope?: string}) => HeldToken | undefined;
  /** The device code to poll with, once a device authorization request has succeeded here. */
  deviceCode?: HeldDeviceCode;
}

/** The state for a freshly chosen operation (and grant), keeping the target. */
export function prefill(
  operation: ExplorerOperation,
  grant: string,
  previous: ExplorerState,
  context: PrefillContext,
): ExplorerState {
  const {catalog} = context;
  const firstApi = catalog.apis[0];
  const user = catalog.users[0];
  const apiOfOperation = catalog.apis.find(
    (api) => operation.group === 'APIs' && `${catalog.issuer}${operation.path}`.startsWith(api.base_url),
  );
  const refresh = context.latest('refresh_token');
  // A resource server takes tokens for its own audience only (RFC 9068 §4): an API its identifier, UserInfo
  // its own URL, which is the audience of a token asked for with `openid` and no resource (OIDC Core §5.3).
  const audience = operation.scopes.includes('openid')
    ? `${catalog.issuer}${operation.path}`
    : apiOfOperation?.identifier;
  const access = context.latest('access_token', audience ? {audience} : {});
  const anyAccess = context.latest('access_token');
  const tokenForRevoke =
    operation.id === 'postRevoke' ? (anyAccess ?? refresh) : grant === 'refresh_token' ? refresh : undefined;
  const tokenOfCaller = operation.id === 'postIntrospect' ? anyAccess : tokenForRevoke;
  const client =
    operation.auth === 'client' || isAuthorization(operation)
      ? defaultClient(catalog, operation, grant, tokenOfCaller, context.deviceCode)
      : undefined;
  const redirectUri = client?.redirect_uris.find((uri) => uri === context.pageUrl) ?? client?.redirect_uris[0] ?? '';
  const apiScopes = firstApi ? firstApi.scopes.map((scope) => scope.value) : [];

  const suggestions: Record<string, string> = {};
  const suggest = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') suggestions[name] = value;
  };
  if (grant === 'client_credentials') {
    suggest('resource', firstApi?.identifier);
    suggest('scope', apiScopes[0]);
  } else if (grant === 'password') {
    suggest('username', user?.username);
    suggest('password', user?.password);
    // OIDC Core §11: offline_access asks for a refresh token. No resource: the access token is then for
    // UserInfo; name an API in `resource` for a token to call it instead.
    suggest('scope', 'openid profile email offline_access');
  } else if (grant === 'authorization_code') {
    suggest('redirect_uri', redirectUri);
  } else if (grant === 'refresh_token') {
    suggest('refresh_token', refresh?.value);
  } else if (grant === DEVICE_CODE_GRANT_TYPE && context.deviceCode?.clientId === client?.client_id) {
    suggest('device_code', context.deviceCode?.value);
  }
  if (operation.id === 'postDeviceAuthorization') {
    // OIDC Core §11: offline_access asks for a refresh token, so the user approves the device once.
    suggest('scope', 'openid profile offline_access');
  }
  if (operation.id === 'postRevoke') {
    suggest('token', tokenForRevoke?.value);
    suggest(
      'token_type_hint',
      tokenForRevoke?.kind === 'refresh_token' ? 'refresh_token' : tokenForRevoke ? 'access_token' : undefined,
    );
  }
  if (operation.id === 'postIntrospect') {
    suggest('token', anyAccess?.value);
    suggest('token_type_hint', anyAccess ? 'access_token' : undefined);
  }
  if (isAuthorization(operation)) {
    suggest('response_type', 'code');
    // At the PAR endpoint the client authenticates as at the token endpoint, which names it (RFC 9126 §2).
    if (operation.path === '/authorize') suggest('client_id', client?.client_id);
    suggest('redirect_uri', redirectUri);
    suggest('scope', ['openid', 'profile', 'offline_access', apiScopes[0]].filter(Boolean).join(' '));
    suggest('resource', firstApi?.identifier);
    suggest('code_challenge_method', 'S256');
  }
  // A required parameter with a single allowed value (Sandbox-Reset: confirm) has nothing to choose.
  for (const field of fieldsFor(operation, grant)) {
    if (field.required && field.options?.length === 1) suggest(field.name, field.options[0]);
  }

  return {
    ...previous,
    operation: operation.id,
    grant,
    clientId: client?.client_id ?? '',
    authMethod: authMethodOf(client),
    clientSecret: client?.client_secret ?? '',
    bearer: operation.auth === 'bearer' ? (access?.value ?? '') : '',
    values: suggestions,
    extraParameters: [],
    extraHeaders: [],
    jsonBody: operation.body?.type === 'json' ? operation.body.example : '',
  };
}

/**
 * The state for an operation of the reader's own provider. Nothing is known of its clients but the
 * client_id in the page's query, a public client that authenticates with nothing else (RFC 6749 §2.1,
 * §3.2.1); a confidential client's secret may be typed in. The redirect URI is this page, the scope and
 * the API (`resource`, RFC 8707 §2) are the query's, as the walkthrough asks them.
 */
export function prefillProvider(
  operation: ExplorerOperation,
  grant: string,
  previous: ExplorerState,
  context: Omit<PrefillContext, 'catalog'>,
  provider: ProviderSettings,
): ExplorerState {
  const empty: Catalog = {issuer: provider.issuer, clients: [], users: [], apis: [], oidc_scopes: []};
  const base = prefill(operation, grant, previous, {...context, catalog: empty});
  const names = new Set(fieldsFor(operation, grant).map((field) => field.name));
  const values = {...base.values};
  const suggest = (name: string, value: string | undefined) => {
    if (value && names.has(name)) values[name] = value;
  };
  const scope = provider.scope ?? DEFAULT_PROVIDER_SCOPE;
  if (operation.path === '/authorize') {
    suggest('client_id', provider.clientId);
    suggest('redirect_uri', context.pageUrl);
    suggest('scope', scope);
    suggest('resource', provider.audience);
  } else if (grant === 'authorization_code') {
    suggest('redirect_uri', context.pageUrl);
  } else if (grant === 'client_credentials' || grant === 'password') {
    suggest('scope', scope);
    suggest('resource', provider.audience);
  }
  // A resource server of its own: any access token obtained from this provider, newest first.
  const bearer = operation.auth === 'bearer' ? (context.latest('access_token')?.value ?? '') : '';
  return {
    ...base,
    clientId: operation.auth === 'client' ? provider.clientId : '',
    authMethod: 'none',
    clientSecret: '',
    bearer,
    values,
  };
}

/** A prefilled form with a shared link's choices on top: its client (when the catalog knows it), values and extras. */
export function applyShared(state: ExplorerState, shared: SharedState, catalog: Catalog): ExplorerState {
  const client = catalog.clients.find((candidate) => candidate.client_id === shared.clientId);
  const known = client
    ? {clientId: client.client_id, clientSecret: client.client_secret ?? '', authMethod: authMethodOf(client)}
    : {};
  return {
    ...state,
    ...known,
    ...(shared.authMethod ? {authMethod: shared.authMethod} : {}),
    values: {...state.values, ...shared.values},
    extraParameters: shared.extraParameters,
    extraHeaders: shared.extraHeaders,
    ...(shared.jsonBody !== undefined ? {jsonBody: shared.jsonBody} : {}),
  };
}

/** What the token request that redeems a returned code needs of the authorization request that got it. */
export interface SentAuthorization {
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
}

/**
 * The token request for a code the browser came back with: the client that asked for it, as a public
 * client (RFC 6749 §3.2.1), the same redirect_uri (§4.1.3) and the PKCE code_verifier this tab kept
 * (RFC 7636 §4.5).
 */
export function redeemCode(tokenForm: ExplorerState, sent: SentAuthorization, code: string): ExplorerState {
  return {
    ...tokenForm,
    clientId: sent.clientId,
    authMethod: 'none',
    clientSecret: '',
    values: {...tokenForm.values, code, code_verifier: sent.codeVerifier, redirect_uri: sent.redirectUri},
  };
}
