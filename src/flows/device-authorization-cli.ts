/**
 * A command-line device (a TV app, a tool on a remote server) that signs its user in with the Device
 * Authorization Grant (RFC 8628): it prints a code, the address to enter it at and a QR code of that
 * address, polls the token endpoint while the user approves on their phone or computer, then prints
 * who approved and what the API answered.
 *
 *   npx tsx src/flows/device-authorization-cli.ts [--issuer http://localhost:4000/sandbox]
 *
 * Options: --issuer, --client-id (tv-app), --client-secret (for a confidential device client),
 * --scope, --audience and --api (read from the sandbox's catalog when omitted), --no-qr.
 * Exits 0 once the API answered, 1 on any error (an RFC 8628 §3.5 error code when the server sent one).
 */
import {parseArgs} from 'node:util';
import * as jose from 'jose';
import * as oauth from 'oauth4webapi';
import {renderUnicodeCompact} from 'uqr';
import {
  callApi,
  discover,
  pollForTokens,
  requestDeviceCode,
  type DeviceConfig,
  type Poll,
} from './device-authorization';
import {apiFromCatalog, describeError, runIfScript} from './cli-support';

const USAGE = `Usage: device-authorization-cli [--issuer URL] [--client-id ID] [--client-secret SECRET] [--scope SCOPES] [--audience URI] [--api URL] [--no-qr]`;

interface Options {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scope: string;
  audience?: string;
  api?: string;
  qr: boolean;
}

function parseOptions(args: string[]): Options | undefined {
  const {values} = parseArgs({
    args,
    options: {
      issuer: {type: 'string', default: 'http://localhost:4000/sandbox'},
      'client-id': {type: 'string', default: 'tv-app'},
      'client-secret': {type: 'string'},
      scope: {type: 'string', default: 'openid profile offline_access calendar:read'},
      audience: {type: 'string'},
      api: {type: 'string'},
      'no-qr': {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
  });
  if (values.help) return undefined;
  return {
    issuer: values.issuer.replace(/\/+$/, ''),
    clientId: values['client-id'],
    ...(values['client-secret'] ? {clientSecret: values['client-secret']} : {}),
    scope: values.scope,
    ...(values.audience ? {audience: values.audience} : {}),
    ...(values.api ? {api: values.api} : {}),
    qr: !values['no-qr'],
  };
}

/** One line per poll: when, what the server said, and how long until the next. */
function printPoll(poll: Poll, issuedAt: number): void {
  const at = Math.max(0, Math.round((poll.sentAt - issuedAt) / 1000));
  const next = poll.nextInterval === undefined ? '' : `; next poll in ${poll.nextInterval} s`;
  console.log(`Poll ${poll.attempt} at ${at} s: ${poll.answer}${next}`);
}

/** Prints who approved and what the tokens allow. */
function printTokens(tokens: oauth.TokenEndpointResponse): void {
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  if (claims) {
    const name = typeof claims.name === 'string' ? claims.name : claims.sub;
    console.log(`Approved by ${name} (sub ${claims.sub}); ID token claims validated (OIDC Core §3.1.3.7).`);
  }
  console.log(`Access token: ${tokens.token_type}`);
  // For display only: a client treats the access token as opaque (RFC 9068 §6); the API checks it.
  try {
    const {aud, scope, exp} = jose.decodeJwt(tokens.access_token);
    if (aud) console.log(`  audience: ${Array.isArray(aud) ? aud.join(' ') : aud}`);
    if (typeof scope === 'string') console.log(`  scope:    ${scope}`);
    if (exp) console.log(`  expires:  ${new Date(exp * 1000).toISOString()}`);
  } catch {
    if (tokens.scope) console.log(`  scope:    ${tokens.scope}`);
  }
  console.log(tokens.refresh_token ? 'Refresh token: received.' : 'Refresh token: none.');
}

export async function main(args = process.argv.slice(2)): Promise<number> {
  const options = parseOptions(args);
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const stopped = new AbortController();
  const interrupt = () => stopped.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  try {
    const api = await apiFromCatalog(options.issuer, options.scope);
    const audience = options.audience ?? api?.identifier;
    const config: DeviceConfig = {
      issuer: options.issuer,
      clientId: options.clientId,
      ...(options.clientSecret ? {clientSecret: options.clientSecret} : {}),
      scope: options.scope,
      ...(audience ? {audience} : {}),
      // Plain HTTP only to a development server, such as `npm run sandbox`.
      allowInsecureRequests: new URL(options.issuer).protocol === 'http:',
    };
    const as = await discover(config);
    const authorization = await requestDeviceCode(as, config);
    const issuedAt = Date.now();
    const target = authorization.verification_uri_complete ?? authorization.verification_uri;
    console.log('To sign in, on your phone or computer go to:');
    console.log(`  ${authorization.verification_uri}`);
    console.log('and enter the code:');
    console.log(`  ${authorization.user_code}`);
    if (options.qr) {
      console.log('Or scan this QR code, which opens the page with the code filled in:');
      console.log(renderUnicodeCompact(target, {border: 2}));
    }
    console.log(`  ${target}`);
    console.log(`The code expires in ${authorization.expires_in} s.`);

    const tokens = await pollForTokens(as, config, authorization, {
      signal: stopped.signal,
      onPoll: (poll) => printPoll(poll, issuedAt),
    });
    printTokens(tokens);
    const apiUrl = options.api ?? (api ? `${api.base_url}/events` : undefined);
    if (apiUrl) {
      const answer = await callApi(apiUrl, tokens.access_token, config);
      console.log(`GET ${apiUrl}: ${answer.status}`);
      console.log(JSON.stringify(answer.body, null, 2));
    }
    return 0;
  } catch (error) {
    console.error(`Error: ${describeError(error)}`);
    return 1;
  } finally {
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
  }
}

runIfScript(import.meta.url, main);
