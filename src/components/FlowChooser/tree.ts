/**
 * The "which flow?" decision tree, as data: the guide's questions in the home page's order,
 * each answer leading to the next question or to a recommendation. The chooser renders it; a unit
 * test checks that every path ends on an existing page and that every flow page can be reached.
 *
 * A reader's path is the list of answer values (`['other', 'no', 'no', 'yes', 'access', 'one']`), kept in
 * the page's URL as `?chooser=other.no.no.yes.access.one` so it can be shared.
 */

/** A docs page, relative to the site's base URL (`docs/<page>.mdx`). */
export type DocsPage = `flows/${string}` | `concepts/${string}`;

export interface ExternalLink {
  label: string;
  href: string;
}

export interface Answer {
  label: string;
  /** The answer's word in the URL: lowercase letters only, unique within its question. */
  value: string;
  next: string;
}

export interface Question {
  kind: 'question';
  id: string;
  text: string;
  /** The question in a few words, for the list of answers given so far. */
  short: string;
  /** One line on why the question matters. */
  why: string;
  answers: Answer[];
}

export interface SeeAlso {
  text: string;
  label: string;
  page: DocsPage;
}

export interface Recommendation {
  kind: 'recommendation';
  id: string;
  /** The flow's name, as the recommendation's heading shows it. */
  flow: string;
  /** How the "Try … live" link names it. */
  liveName: string;
  page: DocsPage;
  reason: string;
  /** A blunt warning, shown before the link; `{cite}` in the text marks where the citation goes. */
  warning?: {text: string; cite: ExternalLink};
  seeAlso: SeeAlso[];
}

export type ChooserNode = Question | Recommendation;

export const URL_PARAMETER = 'chooser';
export const ROOT = 'device';

const RFC9700_ROPC: ExternalLink = {label: 'RFC 9700 §2.4', href: 'https://www.rfc-editor.org/rfc/rfc9700#section-2.4'};

const SEVERAL_APIS: SeeAlso = {
  text: 'It calls several APIs: get one access token per API, each limited to it.',
  label: 'Several APIs, several tokens',
  page: 'concepts/multiple-audiences',
};

const recommendations: Recommendation[] = [
  {
    kind: 'recommendation',
    id: 'device-flow',
    flow: 'the Device Authorization Grant',
    liveName: 'the Device Authorization Grant',
    page: 'flows/device-authorization',
    reason:
      'The device shows a short code and an address; the user opens it on a phone or computer, signs in and approves there, while the device polls the token endpoint until its tokens are ready (RFC 8628 §3). The device never handles a password, and needs no browser or keyboard of its own.',
    seeAlso: [],
  },
  {
    kind: 'recommendation',
    id: 'client-credentials',
    flow: 'Client Credentials',
    liveName: 'Client Credentials',
    page: 'flows/client-credentials',
    reason:
      'No user takes part: the client proves who it is with its own credentials and gets a token for its own access.',
    seeAlso: [],
  },
  {
    kind: 'recommendation',
    id: 'authorization-code',
    flow: 'Authorization Code',
    liveName: 'Authorization Code',
    page: 'flows/authorization-code',
    reason:
      'Your server keeps the client secret and receives the tokens directly; the browser only carries a short-lived, single-use code. Add PKCE as well.',
    seeAlso: [],
  },
  {
    kind: 'recommendation',
    id: 'spa-pkce',
    flow: 'Authorization Code with PKCE',
    liveName: 'Authorization Code with PKCE',
    page: 'flows/authorization-code-pkce',
    reason:
      'A browser app cannot keep a secret. PKCE proves that whoever redeems the code is the app that asked for it, and the tokens come back in a direct response, never in the URL.',
    seeAlso: [],
  },
  {
    kind: 'recommendation',
    id: 'spa-id-token',
    flow: 'Implicit with Form Post',
    liveName: 'Implicit with Form Post',
    page: 'flows/implicit-form-post',
    reason:
      'To know who the user is, an ID token posted to your server endpoint is enough, and no access token is ever issued.',
    seeAlso: [
      {
        text: 'Authorization Code with PKCE works for this too, and keeps the door open to calling an API later.',
        label: 'Authorization Code with PKCE',
        page: 'flows/authorization-code-pkce',
      },
    ],
  },
  {
    kind: 'recommendation',
    id: 'spa-static-sign-in',
    flow: 'Authorization Code with PKCE',
    liveName: 'Authorization Code with PKCE',
    page: 'flows/authorization-code-pkce',
    reason:
      'With no server to receive a POST, Form Post has nowhere to deliver the ID token. With PKCE the app redeems the code itself and gets the ID token in the token response, never in the URL, and it can call an API later without changing flows.',
    seeAlso: [],
  },
  {
    kind: 'recommendation',
    id: 'native-app',
    flow: 'Authorization Code with PKCE, for native apps',
    liveName: 'the native app flow',
    page: 'flows/native-apps',
    reason:
      'An installed app is a public client: it signs users in through the system browser (not a web view inside the app) and gets them back through a loopback or app-specific redirect.',
    seeAlso: [],
  },
  {
    kind: 'recommendation',
    id: 'password-grant',
    flow: 'Resource Owner Password, as a last resort',
    liveName: 'Resource Owner Password',
    page: 'flows/resource-owner-password',
    reason: 'It is the only flow without a redirect: the app collects the username and password and sends them on.',
    warning: {
      text: 'avoid it if you possibly can. Current security advice says it MUST NOT be used ({cite}), and OAuth 2.1 drops it. The app sees the password, and users lose multi-factor login and single sign-on. Treat it as a bridge while you move to a redirect.',
      cite: RFC9700_ROPC,
    },
    seeAlso: [],
  },
  {
    kind: 'recommendation',
    id: 'redirect-pkce',
    flow: 'Authorization Code with PKCE',
    liveName: 'Authorization Code with PKCE',
    page: 'flows/authorization-code-pkce',
    reason:
      'A redirect is possible, so the user signs in at the authorization server and the app never sees a password. With PKCE this works for any client, with or without a secret.',
    seeAlso: [],
  },
];

const questions: Question[] = [
  {
    kind: 'question',
    id: ROOT,
    text: 'Is the client a device or a command-line tool with no browser, or one the user cannot type on?',
    short: 'A device with no browser or keyboard?',
    why: 'A smart TV, a game console or a tool on a remote server cannot show a sign-in page the user can type into: the user approves on a second device instead (RFC 8628 §1).',
    answers: [
      // Not yes/no: a path shared before this question existed starts with the next question's yes or
      // no, and must not be read as an answer to this one (see parsePath).
      {label: 'Yes', value: 'device', next: 'device-flow/apis'},
      {label: 'No', value: 'other', next: 'owner'},
    ],
  },
  {
    kind: 'question',
    id: 'owner',
    text: 'Is the client itself the resource owner (machine to machine, no user)?',
    short: 'Machine to machine?',
    why: 'A cron job or a backend service calling an API for itself has no user to ask for permission.',
    answers: [
      {label: 'Yes', value: 'yes', next: 'client-credentials/apis'},
      {label: 'No', value: 'no', next: 'web-app'},
    ],
  },
  {
    kind: 'question',
    id: 'web-app',
    text: 'Is it a web app that runs on a server?',
    short: 'Web app on a server?',
    why: 'A server can keep a secret, and tokens can reach it without passing through the browser.',
    answers: [
      {label: 'Yes', value: 'yes', next: 'authorization-code/apis'},
      {label: 'No', value: 'no', next: 'spa'},
    ],
  },
  {
    kind: 'question',
    id: 'spa',
    text: 'Is it a single-page app, running only in the browser?',
    short: 'Single-page app?',
    why: 'Anything shipped to a browser can be read by its user, so it cannot keep a secret.',
    answers: [
      {label: 'Yes', value: 'yes', next: 'spa-token'},
      {label: 'No', value: 'no', next: 'native'},
    ],
  },
  {
    kind: 'question',
    id: 'spa-token',
    text: 'Does it need an access token, or only an ID token?',
    short: 'Token it needs:',
    why: 'An access token lets the app call an API; an ID token only tells it who the user is.',
    answers: [
      {label: 'An access token, to call an API', value: 'access', next: 'spa-pkce/apis'},
      {label: 'Only an ID token, to sign users in', value: 'id', next: 'spa-server'},
    ],
  },
  {
    kind: 'question',
    id: 'spa-server',
    text: 'Is there a server that can receive the sign-in as a form POST?',
    short: 'A server to receive it?',
    why: 'Form Post delivers the ID token in a POST to a callback URL; an app on static hosting has nothing there to receive it.',
    answers: [
      {label: 'Yes, a server endpoint receives it', value: 'yes', next: 'spa-id-token'},
      {label: 'No, static hosting only', value: 'no', next: 'spa-static-sign-in'},
    ],
  },
  {
    kind: 'question',
    id: 'native',
    text: 'Is it a native or mobile app?',
    short: 'Native or mobile app?',
    why: 'Installed apps are public clients too, with their own rules for redirects and browsers (RFC 8252).',
    answers: [
      {label: 'Yes', value: 'yes', next: 'native-app/apis'},
      {label: 'No', value: 'no', next: 'password'},
    ],
  },
  {
    kind: 'question',
    id: 'password',
    text: 'Is the client absolutely trusted with users’ passwords, and are redirects impossible?',
    short: 'Trusted with passwords, no redirects?',
    why: 'Only then may an app collect passwords itself; everything else sends the user to the authorization server.',
    answers: [
      {label: 'Yes, both', value: 'yes', next: 'password-grant/apis'},
      {label: 'No', value: 'no', next: 'redirect-pkce/apis'},
    ],
  },
];

/** The follow-up for a recommendation whose client calls APIs: one API, or several? */
function apisQuestion(recommendation: Recommendation): [Question, Recommendation] {
  const several: Recommendation = {
    ...recommendation,
    id: `${recommendation.id}/several-apis`,
    seeAlso: [...recommendation.seeAlso, SEVERAL_APIS],
  };
  const question: Question = {
    kind: 'question',
    id: `${recommendation.id}/apis`,
    text: 'Does it call more than one API?',
    short: 'APIs:',
    why: 'Each API should get its own access token, limited to it, so a leaked token opens one door only.',
    answers: [
      {label: 'One API', value: 'one', next: recommendation.id},
      {label: 'Several APIs', value: 'several', next: several.id},
    ],
  };
  return [question, several];
}

/** Recommendations for clients that call APIs get the "several APIs?" follow-up. */
const CALLS_APIS = new Set([
  'device-flow',
  'client-credentials',
  'authorization-code',
  'spa-pkce',
  'native-app',
  'password-grant',
  'redirect-pkce',
]);

function buildTree(): Map<string, ChooserNode> {
  const nodes = new Map<string, ChooserNode>();
  const add = (node: ChooserNode) => {
    if (nodes.has(node.id)) throw new Error(`Two chooser nodes are called "${node.id}".`);
    nodes.set(node.id, node);
  };
  questions.forEach(add);
  for (const recommendation of recommendations) {
    add(recommendation);
    if (CALLS_APIS.has(recommendation.id)) apisQuestion(recommendation).forEach(add);
  }
  return nodes;
}

export const tree: ReadonlyMap<string, ChooserNode> = buildTree();

export function node(id: string): ChooserNode {
  const found = tree.get(id);
  if (!found) throw new Error(`No chooser node is called "${id}".`);
  return found;
}

/**
 * Follows answer values from the first question, as far as they fit the tree: returns the nodes
 * visited (the first question first, the current node last) and the values that were used.
 */
export function walk(values: readonly string[]): {nodes: ChooserNode[]; values: string[]} {
  const nodes: ChooserNode[] = [node(ROOT)];
  const used: string[] = [];
  for (const value of values) {
    const current = nodes[nodes.length - 1];
    if (current.kind !== 'question') break;
    const answer = current.answers.find((candidate) => candidate.value === value);
    if (!answer) break;
    nodes.push(node(answer.next));
    used.push(value);
  }
  return {nodes, values: used};
}

/** The root's "No": what a path from before the device question implicitly answered. */
const NOT_A_DEVICE = 'other';

/**
 * Reads a path from the URL parameter's value; anything that is not a list of words gives an empty path.
 * A path shared before the first question (a device?) was added starts at the machine-to-machine question:
 * its first word answers no question of the root, so it is read as "not a device" followed by that path.
 */
export function parsePath(parameter: string | null): string[] {
  if (!parameter || !/^[a-z]+(\.[a-z]+)*$/.test(parameter)) return [];
  const values = parameter.split('.');
  const root = node(ROOT);
  const fitsRoot = root.kind === 'question' && root.answers.some((answer) => answer.value === values[0]);
  return fitsRoot ? values : [NOT_A_DEVICE, ...values];
}

export function formatPath(values: readonly string[]): string {
  return values.join('.');
}

/** Every complete path through the tree, with the recommendation it ends on. */
export function allPaths(): Array<{values: string[]; answers: string[]; end: Recommendation}> {
  const paths: Array<{values: string[]; answers: string[]; end: Recommendation}> = [];
  const visit = (id: string, values: string[], answers: string[], seen: Set<string>) => {
    if (seen.has(id)) throw new Error(`The chooser loops back to "${id}".`);
    const current = node(id);
    if (current.kind === 'recommendation') {
      paths.push({values, answers, end: current});
      return;
    }
    for (const answer of current.answers) {
      visit(answer.next, [...values, answer.value], [...answers, answer.label], new Set([...seen, id]));
    }
  };
  visit(ROOT, [], [], new Set());
  return paths;
}
