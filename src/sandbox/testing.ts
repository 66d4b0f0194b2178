/**
 * Drives the sandbox in-process, as a browser would: follows its redirects, keeps its session cookie,
 * and fills in the login and consent forms. For tests of the sandbox and of client code that uses it.
 */

type FetchLike = (request: Request) => Response | Promise<Response>;

export interface BrowserOptions {
  /** Demo user to log in as, when the login page appears. */
  username?: string;
  password?: string;
  /** What to answer on the consent page (default allow). */
  consent?: 'allow' | 'deny';
}

/** Where the authorization ended: a redirect to the client, or a form_post page to submit. */
export interface AuthorizationOutcome {
  /** The final response from the sandbox. */
  response: Response;
  /** The client redirect URI with the response parameters (query or fragment), when redirected. */
  callbackUrl?: URL;
  /** For response_mode=form_post: the form's action and fields. */
  formPost?: {action: string; fields: URLSearchParams};
  /** Pages visited on the way, e.g. ['login', 'consent']. */
  pages: ('login' | 'consent')[];
}

/**
 * A minimal browser for the sandbox: one cookie jar, `authorize(url)` runs an authorization request
 * through the sandbox's own pages until the answer leaves the sandbox.
 */
export function createTestBrowser(fetchApp: FetchLike, issuer: string) {
  const cookies = new Map<string, string>();

  async function request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetchApp(new Request(url, {...init, headers, redirect: 'manual'}));
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/max-age=0/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  }

  async function submit(action: string, fields: Record<string, string>): Promise<Response> {
    return request(action, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams(fields).toString(),
    });
  }

  async function authorize(url: string | URL, options: BrowserOptions = {}): Promise<AuthorizationOutcome> {
    const pages: AuthorizationOutcome['pages'] = [];
    let response = await request(String(url));
    for (let step = 0; step < 10; step++) {
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, issuer);
        // Only the sandbox's own pages are followed; anything else (even the demo web app under the issuer) is the client's.
        if (!next.href.startsWith(`${issuer}/interaction/`) && !next.href.startsWith(`${issuer}/authorize`)) {
          return {response, callbackUrl: next, pages};
        }
        response = await request(next.href);
        continue;
      }
      if (response.status !== 200 || !(response.headers.get('content-type') ?? '').includes('text/html'))
        return {response, pages};
      const page = await response.clone().text();
      const form = parseForm(page);
      if (!form) return {response, pages};
      if (form.action.endsWith('/login')) {
        if (pages.includes('login')) return {response, pages}; // a wrong password re-renders the page
        pages.push('login');
        response = await submit(form.action, {
          csrf: form.fields.get('csrf') ?? '',
          username: options.username ?? '',
          password: options.password ?? '',
          action: 'login',
        });
      } else if (form.action.endsWith('/consent')) {
        pages.push('consent');
        response = await submit(form.action, {
          csrf: form.fields.get('csrf') ?? '',
          decision: options.consent ?? 'allow',
        });
      } else {
        return {response, formPost: form, pages};
      }
    }
    throw new Error('too many steps in the authorization');
  }

  /**
   * Goes through the device pages (RFC 8628 §3.3) from a verification URI, as the user would: enters the code
   * (the prefilled one, or `userCode`), signs in when asked, answers the confirmation and the consent page.
   * Stops at the first page it cannot answer, such as a wrong code's.
   */
  async function device(url: string | URL, options: DeviceOptions = {}): Promise<DeviceOutcome> {
    const pages: DeviceOutcome['pages'] = ['enter'];
    let response = await request(String(url));
    const prefilled = /id="user_code"[\s\S]*?value="([^"]*)"/.exec(await response.clone().text())?.[1] ?? '';
    response = await submit(`${issuer}/device`, {user_code: options.userCode ?? decodeEntities(prefilled)});
    for (let step = 0; step < 10; step++) {
      const location = response.headers.get('location');
      if (response.status === 303 && location?.startsWith(`${issuer}/device/`)) {
        response = await request(location);
        continue;
      }
      const page = await response.clone().text();
      const form = response.status === 200 ? parseForm(page) : undefined;
      const kind = form?.action.slice(form.action.lastIndexOf('/') + 1);
      if (!form || (kind !== 'login' && kind !== 'confirm' && kind !== 'consent') || pages.includes(kind))
        return {response, pages, page};
      pages.push(kind);
      const csrf = form.fields.get('csrf') ?? '';
      const fields: Record<string, string> =
        kind === 'login'
          ? {csrf, username: options.username ?? '', password: options.password ?? '', action: 'login'}
          : kind === 'confirm'
            ? {csrf, decision: options.confirm ?? 'yes'}
            : {csrf, decision: options.consent ?? 'allow'};
      response = await submit(form.action, fields);
    }
    throw new Error('too many steps on the device pages');
  }

  return {request, authorize, device, cookies};
}

export interface DeviceOptions {
  /** What to type as the code; by default the code the verification URI prefilled. */
  userCode?: string;
  username?: string;
  password?: string;
  /** The answer to "Did you start this on a device in front of you?" (default yes). */
  confirm?: 'yes' | 'no';
  consent?: 'allow' | 'deny';
}

/** Where the device pages ended: the last response and its HTML, and the pages answered on the way. */
export interface DeviceOutcome {
  response: Response;
  page: string;
  pages: ('enter' | 'login' | 'confirm' | 'consent')[];
}

/** Reads the first form of a sandbox page: its action and hidden fields (HTML entities decoded). */
export function parseForm(page: string): {action: string; fields: URLSearchParams} | undefined {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(page);
  if (!form) return undefined;
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) {
    fields.append(decodeEntities(input[1]!), decodeEntities(input[2]!));
  }
  return {action: decodeEntities(form[1]!), fields};
}

function decodeEntities(value: string): string {
  return value.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, entity: string) => ({amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'"})[entity]!,
  );
}

/** The issuer tests use: https, so oauth4webapi needs no insecure-request exception. */
export const TEST_ISSUER = 'https://sandbox.test/sandbox';
export const TEST_SITE_URL = 'https://docs.test/';
