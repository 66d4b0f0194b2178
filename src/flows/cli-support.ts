/**
 * What the command-line flow modules share (native-apps-cli.ts, device-authorization-cli.ts): the API
 * to ask for, read from the sandbox's catalog; an error said in one line; and running `main` when the
 * file is the script Node was started with.
 */
import {pathToFileURL} from 'node:url';
import * as oauth from 'oauth4webapi';

/** An API as the sandbox's catalog lists it. */
export interface CatalogApi {
  /** The API's identifier: the `resource` (RFC 8707) and the access token's `aud`. */
  identifier: string;
  base_url: string;
}

/**
 * The sandbox lists its APIs in `GET {issuer}/catalog`: the API whose scopes were asked for is the
 * audience (RFC 8707 `resource`). Another authorization server has no catalog: no API, no resource.
 */
export async function apiFromCatalog(issuer: string, scope: string): Promise<CatalogApi | undefined> {
  const response = await fetch(`${issuer}/catalog`, {headers: {accept: 'application/json'}}).catch(() => undefined);
  if (!response?.ok) return undefined;
  const catalog = (await response.json()) as {apis?: Array<CatalogApi & {scopes: Array<{value: string}>}>};
  const requested = new Set(scope.split(' '));
  const api = catalog.apis?.find((candidate) => candidate.scopes.some((each) => requested.has(each.value)));
  return api ? {identifier: api.identifier, base_url: api.base_url} : undefined;
}

/** An error in one line: the OAuth error code and description when the server sent them (RFC 6749 §4.1.2.1, §5.2). */
export function describeError(error: unknown): string {
  if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
    return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  }
  if (!(error instanceof Error)) return String(error);
  // fetch() says only "fetch failed"; the reason (e.g. ECONNREFUSED) is its cause.
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

/** Runs `main` when `moduleUrl` (the caller's `import.meta.url`) is the script Node was started with. */
export function runIfScript(moduleUrl: string, main: () => Promise<number>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  // exitCode rather than exit(): let piped output drain; nothing is left running once main() returns.
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`Error: ${describeError(error)}`);
      process.exitCode = 1;
    },
  );
}
