import {createHash, randomBytes} from 'node:crypto';
import {expect, type Locator, type Page} from '@playwright/test';
import type {CatalogClient} from '../../src/sandbox/catalog';

/** Credentials of a demo user, as listed in `GET {issuer}/catalog`. */
export interface DemoUser {
  username: string;
  password: string;
}

/** The sandbox's login page (`{issuer}/interaction/:id/login`). */
export class SandboxLoginPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly signIn: Locator;
  readonly cancel: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', {level: 1, name: 'Sign in'});
    this.username = page.getByLabel('Username');
    this.password = page.getByLabel('Password');
    this.signIn = page.getByRole('button', {name: 'Sign in'});
    this.cancel = page.getByRole('button', {name: 'Cancel'});
    this.error = page.getByRole('alert');
  }

  async expectShown(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.username).toBeVisible();
    await expect(this.password).toBeVisible();
  }

  async signInAs(user: DemoUser): Promise<void> {
    await this.username.fill(user.username);
    await this.password.fill(user.password);
    await this.signIn.click();
  }
}

/** The sandbox's consent page (`{issuer}/interaction/:id/consent`). */
export class SandboxConsentPage {
  readonly heading: Locator;
  readonly allow: Locator;
  readonly deny: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', {level: 1, name: /^Authorize /});
    this.allow = page.getByRole('button', {name: 'Allow'});
    this.deny = page.getByRole('button', {name: 'Deny'});
  }

  async expectShown(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.allow).toBeVisible();
  }

  /** The scope values listed on the page, in the order shown. */
  async scopes(): Promise<string[]> {
    return this.page.getByRole('listitem').getByRole('code').allTextContents();
  }
}

/**
 * The page the sandbox shows instead of redirecting when it cannot trust the
 * client or its redirect URI (RFC 6749 §4.1.2.1).
 */
export class SandboxErrorPage {
  readonly heading: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', {level: 1, name: 'The authorization request was rejected'});
    this.alert = page.getByRole('alert');
  }

  /** Checks the page is shown with the given error code (or any text of its message). */
  async expectError(text: string): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.alert).toContainText(text);
  }
}

/**
 * Signs in at the sandbox's login page and allows the request on its consent page, as a reader
 * would; with `clientName`, first checks the consent page names the client asking.
 */
export async function signInAndConsent(page: Page, user: DemoUser, options: {clientName?: string} = {}): Promise<void> {
  const login = new SandboxLoginPage(page);
  await login.expectShown();
  await login.signInAs(user);
  const consent = new SandboxConsentPage(page);
  await consent.expectShown();
  if (options.clientName) await expect(consent.heading).toContainText(options.clientName);
  await consent.allow.click();
}

/** A PKCE pair (RFC 7636 §4.1, §4.2: S256). */
export function pkcePair(): {verifier: string; challenge: string} {
  const verifier = randomBytes(32).toString('base64url');
  return {verifier, challenge: createHash('sha256').update(verifier).digest('base64url')};
}

/** An authorization request for `client` with its first redirect URI, a fresh state and a PKCE challenge; `parameters` replace any of them. */
export function spaAuthorizeUrl(
  issuer: string,
  client: CatalogClient,
  parameters: Record<string, string> = {},
): string {
  const authorize = new URL(`${issuer}/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: client.redirect_uris[0],
    scope: 'openid',
    state: randomBytes(16).toString('base64url'),
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    ...parameters,
  }).toString();
  return authorize.href;
}
