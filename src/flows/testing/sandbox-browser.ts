/**
 * A minimal in-process "browser" for tests: follows the sandbox's redirects,
 * keeps its cookies, and fills in its login and consent forms the way a
 * person would, until the authorization server sends it to the client's
 * redirect_uri. It drives the real sandbox pages; nothing is skipped.
 */

export type AppFetch = (request: Request) => Promise<Response>;

export interface Credentials {
  username: string;
  password: string;
}

export interface SignInOptions {
  /** What to answer on the consent page (default "allow"). */
  decision?: 'allow' | 'deny';
}

const MAX_HOPS = 12;

function decodeHtmlAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function formOf(html: string): {action: string; csrf: string; kind: 'login' | 'consent'} | undefined {
  const action = /<form[^>]*\baction="([^"]*)"/i.exec(html)?.[1];
  const csrf = /name="csrf"\s+value="([^"]*)"/i.exec(html)?.[1];
  if (action === undefined || csrf === undefined) return undefined;
  const kind = /name="password"/i.test(html) ? 'login' : /name="decision"/i.test(html) ? 'consent' : undefined;
  return kind && {action: decodeHtmlAttribute(action), csrf: decodeHtmlAttribute(csrf), kind};
}

/** Creates a browser with its own cookie jar over an in-process app. */
export function createSandboxBrowser(appFetch: AppFetch) {
  const cookies = new Map<string, string>();

  async function send(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await appFetch(new Request(url, {...init, headers, redirect: 'manual'}));
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const separator = pair!.indexOf('=');
      if (separator > 0) cookies.set(pair!.slice(0, separator).trim(), pair!.slice(separator + 1).trim());
    }
    return response;
  }

  /**
   * Opens the authorization URL, signs in and answers the consent page, and
   * returns the URL the server finally redirects to, outside its own path
   * (the client's redirect_uri with `code` or `error`).
   */
  async function signIn(authorizationUrl: string | URL, credentials: Credentials, options: SignInOptions = {}): Promise<URL> {
    const serverRoot = new URL(authorizationUrl);
    const serverPath = serverRoot.pathname.replace(/\/[^/]*$/, '/');
    let response = await send(String(authorizationUrl));
    let current = new URL(authorizationUrl);
    for (let hop = 0; hop < MAX_HOPS; hop += 1) {
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, current);
        if (next.origin !== serverRoot.origin || !next.pathname.startsWith(serverPath)) return next;
        current = next;
        response = await send(next.href);
        continue;
      }
      const html = await response.text();
      const form = response.status === 200 ? formOf(html) : undefined;
      if (!form) throw new Error(`Unexpected ${response.status} from ${current.href}: ${html.slice(0, 300)}`);
      const fields: Record<string, string> =
        form.kind === 'login'
          ? {csrf: form.csrf, username: credentials.username, password: credentials.password, action: 'login'}
          : {csrf: form.csrf, decision: options.decision ?? 'allow'};
      current = new URL(form.action, current);
      response = await send(current.href, {method: 'POST', body: new URLSearchParams(fields)});
    }
    throw new Error(`No redirect to the client after ${MAX_HOPS} steps.`);
  }

  return {send, signIn};
}
