/**
 * Client Credentials grant for a machine-to-machine client (a confidential client).
 *
 * A program acting on its own behalf authenticates to the token endpoint with its
 * own client_id and secret and gets an access token for one API, named by its
 * identifier in `resource` (RFC 8707). No user, no browser, no refresh token:
 * when the access token expires, the client simply asks again (RFC 6749 §4.4.3).
 *
 * The same file runs in the browser (the page's walkthrough) and as a Node
 * script: `npx tsx client-credentials.ts` gets a token for the sandbox's
 * Calendar API, calls it and prints the answer (see `main` at the end).
 *
 * @see RFC 6749 §4.4 (client credentials grant)
 * @see RFC 6749 §2.3.1 (client_secret_basic and client_secret_post)
 * @see RFC 8707 §2 (resource indicators)
 * @see RFC 6750 §2.1 (calling the API with a bearer token)
 */
import * as oauth from 'oauth4webapi';

/** What the job knows about itself, the authorization server and the API it calls. */
export interface ClientCredentialsConfig {
  /** Issuer identifier of the authorization server, e.g. `https://auth.example.com`. */
  issuer: string;
  /** The job's registered client_id. */
  clientId: string;
  /** The job's client secret. Keep it in a secret store or the environment, never in source control. */
  clientSecret: string;
  /**
   * How the secret travels (RFC 6749 §2.3.1): in an HTTP Basic `Authorization` header
   * (`client_secret_basic`, the default every server must support) or in the request body
   * (`client_secret_post`). Use the one the client is registered with.
   */
  authMethod?: 'client_secret_basic' | 'client_secret_post';
  /** Identifier of the API the access token is for, sent as the RFC 8707 `resource` parameter. */
  audience: string;
  /** Space-separated scopes, e.g. `calendar:read`. Leave it out to get the server's default for the API (RFC 6749 §3.3). */
  scope?: string;
  /** A fetch implementation to use instead of the global one (e.g. to log or test requests). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * Allow plain-HTTP endpoints. Only for a development server on localhost;
   * never enable it in production.
   */
  allowInsecureRequests?: boolean;
}

/** Result of a call to a protected API. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

type TransportConfig = Pick<ClientCredentialsConfig, 'fetch' | 'allowInsecureRequests'>;

function httpOptions(config: TransportConfig): oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> {
  const options: oauth.HttpRequestOptions<string, oauth.ProtectedResourceRequestBody> = {};
  const customFetch = config.fetch;
  // oauth4webapi's request options are fetch()'s RequestInit in all but their TypeScript name.
  if (customFetch) options[oauth.customFetch] = (url, init) => customFetch(url, init as RequestInit);
  // oauth4webapi refuses http: URLs unless told otherwise (RFC 6749 §3.1 and §3.2 require TLS).
  if (config.allowInsecureRequests) options[oauth.allowInsecureRequests] = true;
  return options;
}

function clientOf(config: ClientCredentialsConfig): oauth.Client {
  return {client_id: config.clientId, token_endpoint_auth_method: config.authMethod ?? 'client_secret_basic'};
}

/**
 * The client's credentials, sent the way it is registered to send them.
 *
 * @see RFC 6749 §2.3.1 (Basic with the form-encoded id and secret, or both in the body)
 */
function clientAuthentication(config: ClientCredentialsConfig): oauth.ClientAuth {
  return config.authMethod === 'client_secret_post'
    ? oauth.ClientSecretPost(config.clientSecret)
    : oauth.ClientSecretBasic(config.clientSecret);
}

/**
 * Fetches and validates the authorization server's metadata, to learn its token endpoint.
 * Uses the OpenID Connect location, which sits under the issuer's own path.
 *
 * @see OpenID Connect Discovery 1.0 §4
 * @see RFC 8414 §3 (the response's `issuer` must equal the issuer asked for)
 */
export async function discover(
  config: Pick<ClientCredentialsConfig, 'issuer' | 'fetch' | 'allowInsecureRequests'>,
): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, {...httpOptions(config), algorithm: 'oidc'});
  return oauth.processDiscoveryResponse(issuer, response);
}

/**
 * Asks the token endpoint for an access token with `grant_type=client_credentials`,
 * authenticating as the client. Throws `oauth.ResponseBodyError` (e.g. `invalid_scope`,
 * `invalid_target`) on refusal, and `oauth.WWWAuthenticateChallengeError` (401, `Basic`
 * challenge) when Basic client authentication fails.
 *
 * @see RFC 6749 §4.4.2 (the request), §4.4.3 (the response, without a refresh token)
 * @see RFC 8707 §2 (`resource`: the API the token is for)
 */
export async function requestToken(
  as: oauth.AuthorizationServer,
  config: ClientCredentialsConfig,
): Promise<oauth.TokenEndpointResponse> {
  const client = clientOf(config);
  const parameters = new URLSearchParams({resource: config.audience});
  if (config.scope) parameters.set('scope', config.scope);
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    clientAuthentication(config),
    parameters,
    httpOptions(config),
  );
  return oauth.processClientCredentialsResponse(as, client, response);
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
// Run as a script: `npx tsx client-credentials.ts` (the sandbox: `npm run sandbox`).
//
//   ISSUER         default http://localhost:4000/sandbox
//   CLIENT_ID      default: the sandbox catalog's machine-to-machine client
//   CLIENT_SECRET  default: that client's secret from the catalog
//   AUTH_METHOD    client_secret_basic (default) or client_secret_post
//   SCOPE          default calendar:read
//   AUDIENCE       default: the catalog's Calendar API identifier
//   API_URL        default: <Calendar API base URL>/events
//
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
  clients: {client_id: string; client_secret?: string; guide_case: string; token_endpoint_auth_method: string}[];
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
  const m2m = async () => {
    const client = (await fromCatalog()).clients.find((candidate) => candidate.guide_case === 'machine-to-machine');
    if (!client?.client_secret)
      throw new Error(`no machine-to-machine client in ${issuer}/catalog; set CLIENT_ID and CLIENT_SECRET`);
    return client;
  };
  const calendar = async () => {
    const api = (await fromCatalog()).apis.find((candidate) => candidate.id === 'calendar');
    if (!api) throw new Error(`no calendar API in ${issuer}/catalog; set AUDIENCE and API_URL`);
    return api;
  };

  // Another client's id with the catalog client's secret could only fail.
  if (env.CLIENT_ID && !env.CLIENT_SECRET) throw new Error('CLIENT_ID is set: set its CLIENT_SECRET too');
  const config: ClientCredentialsConfig = {
    issuer,
    clientId: env.CLIENT_ID ?? (await m2m()).client_id,
    clientSecret: env.CLIENT_SECRET ?? (await m2m()).client_secret!,
    authMethod: env.AUTH_METHOD === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic',
    audience: env.AUDIENCE ?? (await calendar()).identifier,
    scope: env.SCOPE ?? 'calendar:read',
    allowInsecureRequests,
  };
  const apiUrl = env.API_URL ?? `${(await calendar()).base_url}/events`;

  const as = await discover(config);
  console.log(`Token endpoint: ${as.token_endpoint}`);
  const tokens = await requestToken(as, config);
  console.log(`Access token:   ${tokens.token_type}, expires in ${tokens.expires_in}s, scope "${tokens.scope ?? ''}"`);
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
    return `Refused (${error.status}): ${body.error ?? 'authentication failed'} ${body.error_description ?? ''} [WWW-Authenticate: ${challenge}]`;
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
