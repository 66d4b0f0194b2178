/**
 * Resource Owner Password Credentials grant for a trusted first-party app (a confidential client).
 *
 * The app shows its own login form; the form posts the user's username and password
 * to the app's own backend, and the backend (which holds the client secret) trades
 * them at the token endpoint for tokens. This module is that backend's side. On the
 * guide's page it runs in your browser, standing in for the backend.
 *
 * RFC 9700 §2.4 says this grant MUST NOT be used: the app sees the password, and nothing
 * the authorization server does at login (MFA, passkeys, SSO, consent) can happen. It is
 * here so you can recognize it and plan the move to the authorization code flow.
 *
 * oauth4webapi has no helper for `grant_type=password` (it implements current practice),
 * so the request goes through its generic token endpoint request, which still does the
 * client authentication and validates the response.
 *
 * The same file runs in the browser (the page's walkthrough) and as a Node script:
 * `npx tsx resource-owner-password.ts` signs a demo user in against the sandbox, calls
 * its Calendar API and prints the answer (see `main` at the end).
 *
 * @see RFC 6749 §4.3 (resource owner password credentials grant)
 * @see RFC 6749 §2.3.1 (client_secret_post)
 * @see RFC 9700 §2.4 (why not to use it)
 */
import * as oauth from 'oauth4webapi';

/** What the app's backend knows about itself and the authorization server. */
export interface PasswordGrantConfig {
  /** Issuer identifier of the authorization server, e.g. `https://auth.example.com`. */
  issuer: string;
  /** The app's registered client_id. */
  clientId: string;
  /** The app's client secret; it lives on the backend, never in the login page. */
  clientSecret: string;
  /**
   * How the secret travels (RFC 6749 §2.3.1): in the request body (`client_secret_post`, the
   * default here, as the sandbox's first-party client is registered) or in an HTTP Basic header.
   */
  authMethod?: 'client_secret_post' | 'client_secret_basic';
  /** Space-separated scopes, e.g. `openid offline_access calendar:read`. */
  scope: string;
  /** Identifier of the API the access token is for (RFC 8707 `resource`). */
  audience?: string;
  /** A fetch implementation to use instead of the global one (e.g. to log or test requests). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * Allow plain-HTTP endpoints. Only for a development server on localhost;
   * never enable it in production.
   */
  allowInsecureRequests?: boolean;
}

/** What the user typed into the app's login form. */
export interface ResourceOwnerCredentials {
  username: string;
  password: string;
}

/** Result of a call to a protected API. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

type TransportConfig = Pick<PasswordGrantConfig, 'fetch' | 'allowInsecureRequests'>;

function httpOptions(config: TransportConfig): oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> {
  const options: oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> = {};
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  return options;
}

function clientOf(config: PasswordGrantConfig): oauth.Client {
  return {client_id: config.clientId, token_endpoint_auth_method: config.authMethod ?? 'client_secret_post'};
}

/** The client's credentials, the way it is registered to send them (RFC 6749 §2.3.1). */
function clientAuthentication(config: PasswordGrantConfig): oauth.ClientAuth {
  return config.authMethod === 'client_secret_basic'
    ? oauth.ClientSecretBasic(config.clientSecret)
    : oauth.ClientSecretPost(config.clientSecret);
}

/**
 * Fetches and validates the authorization server's metadata, to learn its token endpoint.
 *
 * @see OpenID Connect Discovery 1.0 §4
 * @see RFC 8414 §3 (the response's `issuer` must equal the issuer asked for)
 */
export async function discover(
  config: Pick<PasswordGrantConfig, 'issuer' | 'fetch' | 'allowInsecureRequests'>,
): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, {...httpOptions(config), algorithm: 'oidc'});
  return oauth.processDiscoveryResponse(issuer, response);
}

/**
 * Trades the user's username and password for tokens, authenticating as the client.
 * Wrong credentials come back as `oauth.ResponseBodyError` with `error` `invalid_grant`
 * (400); a wrong client secret as `invalid_client` (401). Forget the password as soon
 * as this returns.
 *
 * @see RFC 6749 §4.3.2 (the request), §4.3.3 (the response), §5.2 (errors)
 * @see RFC 8707 §2 (`resource`)
 */
export async function requestToken(
  as: oauth.AuthorizationServer,
  config: PasswordGrantConfig,
  credentials: ResourceOwnerCredentials,
): Promise<oauth.TokenEndpointResponse> {
  const client = clientOf(config);
  const parameters = new URLSearchParams({
    username: credentials.username,
    password: credentials.password,
    scope: config.scope,
  });
  if (config.audience) parameters.set('resource', config.audience);
  const response = await oauth.genericTokenEndpointRequest(
    as,
    client,
    clientAuthentication(config),
    'password',
    parameters,
    httpOptions(config),
  );
  return oauth.processGenericTokenEndpointResponse(as, client, response);
}

/**
 * Calls an API with the access token as a bearer token and returns its JSON.
 * Throws when the API refuses the token (`oauth.WWWAuthenticateChallengeError`)
 * or answers with another error status.
 *
 * @see RFC 6750 §2.1 (Authorization: Bearer)
 */
export async function callApi(
  url: string | URL,
  accessToken: string,
  config: TransportConfig = {},
): Promise<ApiResponse> {
  const response = await oauth.protectedResourceRequest(
    accessToken,
    'GET',
    new URL(url),
    new Headers({accept: 'application/json'}),
    null,
    httpOptions(config),
  );
  const body: unknown = await response.json();
  if (!response.ok) {
    throw new Error(`The API answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return {status: response.status, body};
}

// ---------------------------------------------------------------------------
// Run as a script: `npx tsx resource-owner-password.ts` (the sandbox: `npm run sandbox`).
//
//   ISSUER                   default http://localhost:4000/sandbox
//   CLIENT_ID                default: the sandbox catalog's trusted first-party client
//   CLIENT_SECRET            default: that client's secret from the catalog
//   AUTH_METHOD              client_secret_post (default) or client_secret_basic
//   RESOURCE_OWNER_USERNAME  default alice
//   RESOURCE_OWNER_PASSWORD  default: that user's demo password from the catalog
//   SCOPE                    default openid offline_access calendar:read
//   AUDIENCE                 default: the catalog's Calendar API identifier
//   API_URL                  default: <Calendar API base URL>/events
//
// The user's name and password come from the environment only because the sandbox's are public
// demo values: a real backend gets them from its login form, once, and keeps them nowhere.
// Nothing here imports a Node module, so the file bundles for the browser unchanged;
// in a browser (or when another module imports this one) `main` never runs.
// ---------------------------------------------------------------------------

interface NodeLikeProcess {
  argv: string[];
  env: Record<string, string | undefined>;
  exitCode?: number | string | null | undefined;
}

/** The sandbox's demo world, at `{issuer}/catalog`: only what this script reads. */
interface SandboxCatalog {
  clients: {client_id: string; client_secret?: string; guide_case: string}[];
  users: {username: string; password: string}[];
  apis: {id: string; identifier: string; base_url: string}[];
}

function isLoopback(issuer: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
}

async function main(env: NodeLikeProcess['env']): Promise<void> {
  const issuer = env.ISSUER ?? 'http://localhost:4000/sandbox';
  const issuerUrl = new URL(issuer);
  // Plain HTTP only for a sandbox on this machine.
  const allowInsecureRequests = issuerUrl.protocol === 'http:' && isLoopback(issuerUrl);

  let catalog: SandboxCatalog | undefined;
  const fromCatalog = async (): Promise<SandboxCatalog> => {
    catalog ??= (await (await fetch(`${issuer}/catalog`)).json()) as SandboxCatalog;
    return catalog;
  };
  const firstParty = async () => {
    const client = (await fromCatalog()).clients.find((candidate) => candidate.guide_case === 'trusted-first-party');
    if (!client?.client_secret) {
      throw new Error(`no trusted first-party client in ${issuer}/catalog; set CLIENT_ID and CLIENT_SECRET`);
    }
    return client;
  };
  const calendar = async () => {
    const api = (await fromCatalog()).apis.find((candidate) => candidate.id === 'calendar');
    if (!api) throw new Error(`no calendar API in ${issuer}/catalog; set AUDIENCE and API_URL`);
    return api;
  };
  const username = env.RESOURCE_OWNER_USERNAME ?? 'alice';
  const demoPassword = async () => {
    const user = (await fromCatalog()).users.find((candidate) => candidate.username === username);
    if (!user) throw new Error(`no user ${username} in ${issuer}/catalog; set RESOURCE_OWNER_PASSWORD`);
    return user.password;
  };

  // Another client's id with the catalog client's secret could only fail.
  if (env.CLIENT_ID && !env.CLIENT_SECRET) throw new Error('CLIENT_ID is set: set its CLIENT_SECRET too');
  const config: PasswordGrantConfig = {
    issuer,
    clientId: env.CLIENT_ID ?? (await firstParty()).client_id,
    clientSecret: env.CLIENT_SECRET ?? (await firstParty()).client_secret!,
    authMethod: env.AUTH_METHOD === 'client_secret_basic' ? 'client_secret_basic' : 'client_secret_post',
    scope: env.SCOPE ?? 'openid offline_access calendar:read',
    audience: env.AUDIENCE ?? (await calendar()).identifier,
    allowInsecureRequests,
  };
  const credentials: ResourceOwnerCredentials = {
    username,
    password: env.RESOURCE_OWNER_PASSWORD ?? (await demoPassword()),
  };
  const apiUrl = env.API_URL ?? `${(await calendar()).base_url}/events`;

  const as = await discover(config);
  console.log(`Token endpoint: ${as.token_endpoint}`);
  const tokens = await requestToken(as, config, credentials);
  console.log(`Access token:   ${tokens.token_type}, expires in ${tokens.expires_in}s, scope "${tokens.scope ?? ''}"`);
  const issued = (token: string | undefined) => (token ? 'issued' : 'none');
  console.log(`Refresh token:  ${issued(tokens.refresh_token)}; ID token: ${issued(tokens.id_token)}`);
  const result = await callApi(apiUrl, tokens.access_token, config);
  console.log(`GET ${apiUrl} -> ${result.status}`);
  console.log(JSON.stringify(result.body, null, 2));
}

/** One line saying why the script failed, with the server's `error` code when it sent one (RFC 6749 §5.2). */
async function describeFailure(error: unknown): Promise<string> {
  if (error instanceof oauth.ResponseBodyError) {
    return `The authorization server refused (${error.status}): ${error.error} ${error.error_description ?? ''}`.trim();
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    // The body of a refused Basic authentication still says why (invalid_client, RFC 6749 §5.2).
    const body = (await error.response.json().catch(() => ({}))) as {error?: string; error_description?: string};
    const challenge = error.response.headers.get('www-authenticate');
    const reason = `${body.error ?? 'authentication failed'} ${body.error_description ?? ''}`;
    return `Refused (${error.status}): ${reason} [WWW-Authenticate: ${challenge}]`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** True when this file is the script Node was started with (not imported, not bundled). */
function isEntryPoint(moduleUrl: string, scriptPath: string | undefined): boolean {
  if (!scriptPath || !moduleUrl.startsWith('file:')) return false;
  const modulePath = decodeURIComponent(new URL(moduleUrl).pathname);
  const script = scriptPath.replace(/\\/g, '/');
  // On Windows the URL path is /C:/... while the script path is C:/...
  return modulePath === script || modulePath === `/${script}`;
}

const nodeProcess = (globalThis as {process?: NodeLikeProcess}).process;
if (typeof nodeProcess === 'object' && isEntryPoint(import.meta.url, nodeProcess.argv[1])) {
  main(nodeProcess.env).catch(async (error: unknown) => {
    console.error(await describeFailure(error));
    nodeProcess.exitCode = 1;
  });
}
