/**
 * What the security labs' attackers do with a browser: read the form of a page, post it, sign in at the
 * sandbox's login page and consent on its consent page, read an error page's message. The labs share
 * these moves; each lab's module says why its attacker makes them.
 *
 * `fetch` is the attacker's browser: in a page, the page's fetch (it follows redirects and keeps the
 * browser's cookies); in Node, anything with the same behaviour. The pages read here are the sandbox's
 * and the demo apps' own, whose markup is known, so a few regular expressions read them, in a page and
 * in Node alike.
 */

export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** What every move needs: the browser's fetch. */
export interface BrowserConfig {
  fetch?: FetchFunction;
}

/** A page's POST form: where it posts (an absolute URL) and its named fields, in order. */
export interface PostedForm {
  action: string;
  fields: Array<[string, string]>;
}

/** A demo user's credentials, typed into the sandbox's login page. */
export interface Credentials {
  username: string;
  password: string;
}

const fetchOf = (config: BrowserConfig): FetchFunction => config.fetch ?? ((url, init) => fetch(url, init));

/** HTML's character references, as the sandbox's and the demo apps' pages write them. */
function decodeEntities(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39|#x27);/g,
    (_, name: string) => ({amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'"})[name]!,
  );
}

/** The attributes of one start tag, by name. */
function attributes(tag: string): Map<string, string> {
  return new Map(
    [...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name.toLowerCase(), decodeEntities(value)]),
  );
}

/** The first POST form of a page, its action resolved against the page's address. */
export function readForm(html: string, pageUrl: string): PostedForm | undefined {
  for (const [, tag, body] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const form = attributes(tag);
    if ((form.get('method') ?? 'get').toLowerCase() !== 'post') continue;
    const fields = [...body.matchAll(/<input\b([^>]*)>/gi)].flatMap(([, input]) => {
      const field = attributes(input);
      const name = field.get('name');
      return name ? [[name, field.get('value') ?? ''] as [string, string]] : [];
    });
    return {action: new URL(form.get('action') ?? '', pageUrl).href, fields};
  }
  return undefined;
}

/** The text of a page's `role="alert"` paragraph: the reason an error page gives. */
export function alertText(html: string): string {
  const alert = /<p\b[^>]*role="alert"[^>]*>([\s\S]*?)<\/p>/i.exec(html)?.[1];
  return alert === undefined ? '(no message)' : decodeEntities(alert.replace(/<[^>]+>/g, '')).trim();
}

/** A page the browser is on: its final address (after redirects), status and markup. */
export interface Page {
  url: string;
  status: number;
  /** Whether the browser followed a redirect to get here. */
  redirected: boolean;
  html: string;
  form?: PostedForm;
}

async function pageOf(response: Response, requested: string): Promise<Page> {
  const url = response.url || requested;
  const html = await response.text();
  const form = readForm(html, url);
  return {url, status: response.status, redirected: response.redirected, html, ...(form ? {form} : {})};
}

/** Opens an address, as a link the browser follows. */
export async function open(config: BrowserConfig, url: string): Promise<Page> {
  return pageOf(await fetchOf(config)(url, {method: 'GET'}), url);
}

/** Submits a form as `application/x-www-form-urlencoded` (HTML's default for a POST form), with its fields and `extra`. */
export async function submit(
  config: BrowserConfig,
  form: PostedForm,
  extra: Array<[string, string]> = [],
): Promise<Page> {
  const response = await fetchOf(config)(form.action, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams([...form.fields, ...extra]).toString(),
  });
  return pageOf(response, form.action);
}

const has = (form: PostedForm | undefined, name: string) => form?.fields.some(([field]) => field === name) ?? false;

/**
 * Goes through the sandbox's own pages as a person would: the login page when it comes (its `csrf` field
 * comes along, so the form is the page's own), then the consent page the first time a client asks.
 * Returns the page the sandbox answers with after them: for form_post, the form that carries the response.
 */
export async function signInAndConsent(config: BrowserConfig, page: Page, user: Credentials): Promise<Page> {
  let current = page;
  if (current.form && has(current.form, 'username')) {
    const login = {...current.form, fields: current.form.fields.filter(([name]) => name === 'csrf')};
    current = await submit(config, login, [
      ['username', user.username],
      ['password', user.password],
      ['action', 'login'],
    ]);
  }
  if (current.form && has(current.form, 'csrf') && !has(current.form, 'username')) {
    current = await submit(config, current.form, [['decision', 'allow']]);
  }
  return current;
}

/** A form's fields with one value replaced. */
export function withField(form: PostedForm, name: string, value: string): PostedForm {
  return {
    ...form,
    fields: form.fields.map(([field, old]) => [field, field === name ? value : old] as [string, string]),
  };
}

/** One field of a form. */
export const fieldOf = (form: PostedForm | undefined, name: string): string | undefined =>
  form?.fields.find(([field]) => field === name)?.[1];

/**
 * The authorization response in the address the browser came back to, in the query (RFC 6749 §4.1.2) or
 * in the fragment (§4.2.2): the address when it carries one of `names`, undefined when it carries none
 * (the reader came back some other way). An error response (§4.1.2.1, §4.2.2.1) is thrown.
 */
export function returnedResponse(url: URL | string, names: string[], inFragment = false): string | undefined {
  const address = new URL(url);
  const parameters = inFragment ? new URLSearchParams(address.hash.slice(1)) : address.searchParams;
  const error = parameters.get('error');
  if (error)
    throw new Error(`The authorization server answered ${error}: ${parameters.get('error_description') ?? ''}`);
  return names.some((name) => parameters.has(name)) ? address.href : undefined;
}
