/**
 * The page's side of the sandbox: registering the Service Worker that serves it,
 * waiting for it, and the few requests every walkthrough needs. Kept small and
 * free of heavy imports because walkthrough components load it lazily.
 */
import siteConfig from '@generated/docusaurus.config';
import type {Catalog} from '../contract/catalog';

/** File name of the worker script (see src/plugins/sandbox-worker). */
const WORKER_FILE_NAME = 'sandbox-sw.js';

/** How long a page waits for the worker before giving up with a readable error. */
const CONTROL_TIMEOUT_MS = 10_000;

export type {Catalog, CatalogApi, CatalogClient, CatalogUser} from '../contract/catalog';

/** Raised when this browser cannot run the sandbox (no Service Workers, or the worker never took control). */
export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

let registration: Promise<ServiceWorkerRegistration> | undefined;

/** `${baseUrl}`, the worker's scope: the whole site. */
function scope(): string {
  return siteConfig.baseUrl;
}

/** The sandbox's issuer identifier in this browser: `${origin}${baseUrl}sandbox` (RFC 8414 §2, no trailing slash). */
export function getIssuer(): string {
  return new URL(`${scope()}sandbox`, window.location.origin).href;
}

/**
 * Registers the sandbox Service Worker once per page load; later calls return
 * the same registration.
 */
export function registerSandboxWorker(): Promise<ServiceWorkerRegistration> {
  if (!('serviceWorker' in navigator)) {
    return Promise.reject(
      new SandboxUnavailableError(
        'This browser cannot run the sandbox: Service Workers are unavailable (private window, an old browser, or a page not served over HTTPS or localhost).',
      ),
    );
  }
  registration ??= navigator.serviceWorker
    .register(`${scope()}${WORKER_FILE_NAME}`, {scope: scope()})
    .catch((error: unknown) => {
      // A private window or a policy may refuse the worker; a later call may try again.
      registration = undefined;
      throw new SandboxUnavailableError(
        `This browser refused to start the sandbox's Service Worker (${error instanceof Error ? error.message : String(error)}).`,
      );
    });
  return registration;
}

/**
 * Resolves once the sandbox worker controls this page and answers discovery
 * (`{issuer}/.well-known/openid-configuration`, OpenID Connect Discovery 1.0 §4).
 */
export async function sandboxReady(): Promise<{issuer: string}> {
  await registerSandboxWorker();
  await controlledByWorker();
  const issuer = getIssuer();
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, {cache: 'no-store'});
  if (!response.ok) {
    throw new SandboxUnavailableError(`The sandbox did not answer discovery (HTTP ${response.status}).`);
  }
  const metadata = (await response.json()) as {issuer?: unknown};
  // OpenID Connect Discovery 1.0 §4.3: the issuer in the metadata must equal the one it was fetched for.
  if (metadata.issuer !== issuer) {
    throw new SandboxUnavailableError(`The sandbox answered as ${String(metadata.issuer)}, expected ${issuer}.`);
  }
  return {issuer};
}

async function controlledByWorker(): Promise<void> {
  const container = navigator.serviceWorker;
  if (container.controller) return;
  const controlled = new Promise<void>((resolve) => {
    container.addEventListener('controllerchange', () => resolve(), {once: true});
  });
  const active = (await container.ready).active;
  // The controller may have arrived while this function waited.
  if ((container.controller as ServiceWorker | null) !== null) return;
  // An active worker claims new pages when it activates; a page opened with a
  // forced reload after that starts uncontrolled and has to ask.
  active?.postMessage({type: 'sandbox:claim'});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SandboxUnavailableError(
            'The sandbox worker did not take control of this page. Reload the page to try again.',
          ),
        ),
      CONTROL_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([controlled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The demo world: clients, users and APIs (`GET {issuer}/catalog`). */
export async function getCatalog(): Promise<Catalog> {
  const {issuer} = await sandboxReady();
  const response = await fetch(`${issuer}/catalog`, {cache: 'no-store'});
  if (!response.ok) throw new Error(`The sandbox catalog is unavailable (HTTP ${response.status}).`);
  return (await response.json()) as Catalog;
}

/** Wipes every sandbox session, code, token, consent and signing key (`POST {issuer}/reset`). */
export async function resetSandbox(): Promise<void> {
  const {issuer} = await sandboxReady();
  // The header no cross-site form can send (see the sandbox's reset endpoint).
  const response = await fetch(`${issuer}/reset`, {method: 'POST', headers: {'Sandbox-Reset': 'confirm'}});
  if (!response.ok) throw new Error(`The sandbox could not be reset (HTTP ${response.status}).`);
}
