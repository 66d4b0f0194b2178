/**
 * A command-line app that signs its user in the way RFC 8252 asks of native apps:
 * it listens on the loopback interface, opens the system browser at the
 * authorization endpoint, receives the one response on
 * `http://127.0.0.1:<port>/callback`, and redeems the code with PKCE.
 *
 *   npx tsx src/flows/native-apps-cli.ts [--issuer http://localhost:4000/sandbox] [--no-open]
 *
 * Options: --issuer, --client-id (native-app), --scope, --audience (read from
 * the sandbox's catalog when omitted), --timeout (seconds, 300), --no-open.
 * Exits 0 once signed in, 1 on any error (an RFC 6749 error code when the server sent one).
 */
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {parseArgs} from 'node:util';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import {
  buildAuthorizationUrl,
  createAuthorizationSecrets,
  discover,
  exchangeCode,
  loopbackRedirectUri,
  validateCallback,
  type NativeAppConfig,
} from './native-apps';
import {apiFromCatalog, describeError, runIfScript} from './cli-support';

const USAGE = `Usage: native-apps-cli [--issuer URL] [--client-id ID] [--scope SCOPES] [--audience URI] [--timeout SECONDS] [--no-open]`;

interface Options {
  issuer: string;
  clientId: string;
  scope: string;
  audience?: string;
  timeoutSeconds: number;
  open: boolean;
}

function parseOptions(args: string[]): Options | undefined {
  const {values} = parseArgs({
    args,
    options: {
      issuer: {type: 'string', default: 'http://localhost:4000/sandbox'},
      'client-id': {type: 'string', default: 'native-app'},
      scope: {type: 'string', default: 'openid profile offline_access calendar:read'},
      audience: {type: 'string'},
      timeout: {type: 'string', default: '300'},
      'no-open': {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
  });
  if (values.help) return undefined;
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new Error(`invalid --timeout ${values.timeout}`);
  return {
    issuer: values.issuer.replace(/\/+$/, ''),
    clientId: values['client-id'],
    scope: values.scope,
    ...(values.audience ? {audience: values.audience} : {}),
    timeoutSeconds,
    open: !values['no-open'],
  };
}

/** Opens the URL in the system browser (RFC 8252 §8.12: never an embedded web view). */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? // `start` is a cmd built-in; its first quoted argument is a window title, and & must be escaped.
          ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, {detached: true, stdio: 'ignore', windowsVerbatimArguments: true});
  child.on('error', () => console.error('Could not open a browser: open the URL above yourself.'));
  child.unref();
}

/** Listens on the loopback IP literal, on a port the operating system picks (RFC 8252 §7.3, §8.3). */
async function listenOnLoopback(): Promise<Server> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error as Error)),
  ]);
  return server;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The listener stops once it has answered, so the page names an empty icon rather than have the browser ask for /favicon.ico. */
function page(title: string, message: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family: system-ui, sans-serif; margin: 3rem"><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`
  );
}

/**
 * Waits for the one request to the redirect URI's path, checks it with `validate`, and answers the
 * browser with a page saying the tab can be closed. Resolves with what `validate` returns, or
 * rejects with what it throws. Any other path gets 404; a second request gets 410, since the
 * listener takes exactly one response.
 */
function receiveCallback<T>(
  server: Server,
  redirectUri: string,
  timeoutMs: number,
  validate: (url: URL) => T,
): Promise<T> {
  const expectedPath = new URL(redirectUri).pathname;
  return new Promise<T>((resolve, reject) => {
    let received = false;
    const timer = setTimeout(
      () => reject(new Error(`no response reached ${redirectUri} within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    server.on('request', (request, response) => {
      const url = new URL(request.url ?? '/', redirectUri);
      response.setHeader('connection', 'close');
      if (request.method !== 'GET' || url.pathname !== expectedPath) {
        response.writeHead(404, {'content-type': 'text/plain'}).end('Not found');
        return;
      }
      if (received) {
        response
          .writeHead(410, {'content-type': 'text/html; charset=utf-8'})
          .end(page('Already done', 'This sign-in is finished. You can close this tab.'));
        return;
      }
      received = true;
      clearTimeout(timer);
      response.setHeader('cache-control', 'no-store');
      response.setHeader('content-type', 'text/html; charset=utf-8');
      try {
        const result = validate(url);
        response
          .writeHead(200)
          .end(
            page('Signed in', 'The app has your authorization. You can close this tab and return to the terminal.'),
            () => resolve(result),
          );
      } catch (error) {
        const message = `The sign-in did not complete (${describeError(error)}). You can close this tab and return to the terminal.`;
        // 200: the listener got the response it waited for; the refusal is the OAuth outcome, told on the page.
        response
          .writeHead(200)
          .end(page('Sign-in failed', message), () =>
            reject(error instanceof Error ? error : new Error(String(error))),
          );
      }
    });
  });
}

/** Prints who signed in and what the tokens allow. */
function printSummary(tokens: oauth.TokenEndpointResponse, requestedAudience: string | undefined): void {
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  if (claims) {
    const name = typeof claims.name === 'string' ? claims.name : claims.sub;
    console.log(`Signed in as ${name} (sub ${claims.sub}); ID token claims validated (OIDC Core §3.1.3.7).`);
  }
  console.log(`Access token: ${tokens.token_type}`);
  // For display only: a client treats the access token as opaque (RFC 9068 §6); the API checks it.
  let audience = requestedAudience;
  try {
    const {aud} = jose.decodeJwt(tokens.access_token);
    if (aud) audience = Array.isArray(aud) ? aud.join(' ') : aud;
  } catch {
    // Not a JWT: keep the audience that was asked for.
  }
  if (audience) console.log(`  audience: ${audience}`);
  // RFC 6749 §5.1: no scope in the response means the scope requested was granted.
  if (tokens.scope) console.log(`  scope:    ${tokens.scope}`);
  if (tokens.expires_in !== undefined) {
    console.log(
      `  expires:  in ${tokens.expires_in} s (${new Date(Date.now() + tokens.expires_in * 1000).toISOString()})`,
    );
  }
  console.log(tokens.refresh_token ? 'Refresh token: received.' : 'Refresh token: none.');
}

export async function main(args = process.argv.slice(2)): Promise<number> {
  const options = parseOptions(args);
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const audience = options.audience ?? (await apiFromCatalog(options.issuer, options.scope))?.identifier;
  const server = await listenOnLoopback();
  const stop = () => {
    if (server.listening) server.close();
    server.closeAllConnections();
  };
  const interrupt = () => {
    stop();
    process.exit(130);
  };
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  try {
    const {port} = server.address() as AddressInfo;
    const config: NativeAppConfig = {
      issuer: options.issuer,
      clientId: options.clientId,
      redirectUri: loopbackRedirectUri(port),
      scope: options.scope,
      ...(audience ? {audience} : {}),
      // Plain HTTP only to a server on this machine, such as `npm run sandbox`.
      allowInsecureRequests: new URL(options.issuer).protocol === 'http:',
    };
    const as = await discover(config);
    const secrets = await createAuthorizationSecrets();
    const url = buildAuthorizationUrl(as, config, secrets);
    console.log(`Waiting for the response on ${config.redirectUri} (for ${options.timeoutSeconds} s).`);
    console.log('Sign in with your browser at:');
    console.log(`  ${url.href}`);
    if (options.open) openInBrowser(url.href);

    const parameters = await receiveCallback(server, config.redirectUri, options.timeoutSeconds * 1000, (callbackUrl) =>
      validateCallback(as, config, callbackUrl, secrets.state),
    );
    stop();
    const tokens = await exchangeCode(as, config, parameters, secrets);
    printSummary(tokens, audience);
    return 0;
  } catch (error) {
    console.error(`Error: ${describeError(error)}`);
    return 1;
  } finally {
    stop();
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
  }
}

runIfScript(import.meta.url, main);
