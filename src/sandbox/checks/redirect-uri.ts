import type {CatalogClient} from '../catalog';

/**
 * Finds the registered redirect URI a requested one matches, by exact string comparison
 * (RFC 9700 §4.1.3, OIDC Core §3.1.2.1), with one exception: RFC 8252 §7.3 lets a native app's
 * loopback redirect `http://127.0.0.1:<any port>/path` match a registered `http://127.0.0.1/path`.
 * Returns undefined when nothing matches.
 */
export function matchRedirectUri(client: CatalogClient, requested: string): string | undefined {
  if (client.redirect_uris.includes(requested)) return requested;
  const loopback = asLoopbackWithoutPort(requested);
  if (loopback !== undefined && client.redirect_uris.includes(loopback)) return requested;
  return undefined;
}

function asLoopbackWithoutPort(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  // RFC 8252 §8.3: loopback by IP literal; `localhost` is not recommended and not matched.
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || url.port === '') return undefined;
  if (url.username || url.password || url.hash) return undefined;
  const withoutPort = `http://127.0.0.1${url.pathname}${url.search}`;
  // Only accept when the rest of the string is untouched by URL normalization.
  return uri === `http://127.0.0.1:${url.port}${url.pathname}${url.search}` ? withoutPort : undefined;
}
