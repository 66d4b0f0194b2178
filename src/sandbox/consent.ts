import type {Sandbox} from './context';

/** Remembered consents, per user + client + audience; a consent covers any subset of its scopes. */
const consentKey = (sub: string, clientId: string, aud: string) => `consent:${sub}:${clientId}:${aud}`;
const CONSENT_TTL = 30 * 24 * 60 * 60;

export async function hasConsent(
  sandbox: Sandbox,
  sub: string,
  clientId: string,
  aud: string,
  scopes: string[],
): Promise<boolean> {
  const granted = await sandbox.store.get<string[]>(consentKey(sub, clientId, aud));
  return granted !== undefined && scopes.every((scope) => granted.includes(scope));
}

export async function rememberConsent(
  sandbox: Sandbox,
  sub: string,
  clientId: string,
  aud: string,
  scopes: string[],
): Promise<void> {
  const key = consentKey(sub, clientId, aud);
  const granted = (await sandbox.store.get<string[]>(key)) ?? [];
  await sandbox.store.set(key, [...new Set([...granted, ...scopes])], CONSENT_TTL);
}
