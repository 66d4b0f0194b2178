/**
 * A reader's browser, whatever drives it: the one vocabulary the cross-engine specs speak. Playwright
 * drives Chromium and Firefox (over WebDriver BiDi); WebKit is driven through its WebDriver. Each
 * adapter only goes to URLs, runs a script in the page, and clicks or types into an element found by
 * its role and accessible name, the way a reader (or a screen reader) finds it.
 */

export type Engine = 'chromium' | 'firefox' | 'webkit';

/** A name to match: a string matches the whole (trimmed) accessible name, a RegExp any part. */
export type NameMatcher = string | RegExp;

/** An element as a reader finds it: by role and accessible name, inside a region, a frame or the current step. */
export interface Target {
  role: 'button' | 'radio' | 'textbox' | 'link' | 'heading' | 'region' | 'note' | 'alert' | 'status';
  /** Without a name, the first element of the role. */
  name?: NameMatcher;
  /**
   * Only inside the region (by its accessible name), inside the document of a same-origin iframe (by its
   * title, e.g. the device walkthrough's phone), or inside the walkthrough's current step.
   */
  within?: {region: NameMatcher} | {frame: NameMatcher} | 'current step';
}

export interface Reader {
  readonly engine: Engine;
  /** Opens a URL and waits for its load event. */
  goto(url: string): Promise<void>;
  /** The page's current URL. */
  url(): Promise<string>;
  /** Runs a self-contained function in the page with one JSON argument, and returns its JSON result. */
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Clicks the target (it must be visible and enabled). */
  click(target: Target): Promise<void>;
  /** Types into a text field, replacing what it holds. */
  fill(target: Target, value: string): Promise<void>;
  /** Errors the page reported (console.error, uncaught exceptions), where the engine's driver can see them. */
  pageErrors(): string[] | undefined;
}

/** The form in which a target crosses into the page: a RegExp as its source and flags. */
export type SerializedTarget = Omit<Target, 'name' | 'within'> & {
  name?: SerializedName;
  within?: {region: SerializedName} | {frame: SerializedName} | 'current step';
};
type SerializedName = {exact: string} | {source: string; flags: string};

function serializeName(name: NameMatcher): SerializedName {
  return typeof name === 'string' ? {exact: name} : {source: name.source, flags: name.flags};
}

export function serializeTarget(target: Target): SerializedTarget {
  const within =
    target.within === undefined || target.within === 'current step'
      ? target.within
      : 'frame' in target.within
        ? {frame: serializeName(target.within.frame)}
        : {region: serializeName(target.within.region)};
  return {
    role: target.role,
    ...(target.name === undefined ? {} : {name: serializeName(target.name)}),
    ...(within ? {within} : {}),
  };
}

export function describeTarget(target: Target): string {
  const where =
    target.within === undefined
      ? ''
      : target.within === 'current step'
        ? ' in the current step'
        : 'frame' in target.within
          ? ` in frame ${String(target.within.frame)}`
          : ` in region ${String(target.within.region)}`;
  return `${target.role}${target.name === undefined ? '' : ` "${String(target.name)}"`}${where}`;
}

/**
 * Finds a visible element by role and accessible name. Runs in the page, so it is self-contained: it
 * is sent as source text. The accessible name follows the parts of the algorithm the site uses:
 * aria-labelledby, aria-label, a form control's <label>, then the element's text. Inside a frame, it
 * reaches the same-origin iframe's document from the top one.
 */
export function locateInPage(target: SerializedTarget): Element | null {
  const ROLES: Record<string, string> = {
    button: 'button, [role="button"], input[type="submit"], input[type="button"]',
    radio: 'input[type="radio"], [role="radio"]',
    textbox:
      'input:not([type]), input[type="text"], input[type="password"], input[type="email"], input[type="url"], input[type="search"], textarea, [role="textbox"]',
    link: 'a[href], [role="link"]',
    heading: 'h1, h2, h3, h4, h5, h6, [role="heading"]',
    region: 'section[aria-label], section[aria-labelledby], [role="region"]',
    note: '[role="note"]',
    alert: '[role="alert"]',
    status: '[role="status"], output',
  };
  const text = (element: Element | null | undefined): string =>
    (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const nameOf = (element: Element): string => {
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy)
      return labelledBy
        .split(/\s+/)
        .map((id) => text(element.ownerDocument.getElementById(id)))
        .join(' ')
        .trim();
    const label = element.getAttribute('aria-label');
    if (label) return label.trim();
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels.length > 0)
      return Array.from(labels)
        .map((each) => text(each))
        .join(' ')
        .trim();
    if (element instanceof HTMLInputElement && (element.type === 'submit' || element.type === 'button'))
      return element.value.trim();
    return text(element);
  };
  const matches = (name: string, matcher: SerializedTarget['name']): boolean => {
    if (matcher === undefined) return true;
    if ('exact' in matcher) return name === matcher.exact;
    return new RegExp(matcher.source, matcher.flags).test(name);
  };
  const visible = (element: Element): boolean =>
    element.getClientRects().length > 0 &&
    (element.ownerDocument.defaultView ?? window).getComputedStyle(element).visibility !== 'hidden';
  let scope: ParentNode | null = document;
  if (target.within === 'current step') {
    scope = document.querySelector('li[aria-current="step"]');
  } else if (target.within && 'frame' in target.within) {
    const title = target.within.frame;
    const frame = Array.from(document.querySelectorAll('iframe')).find((candidate) => matches(candidate.title, title));
    scope = frame?.contentDocument ?? null;
  } else if (target.within) {
    const region = target.within.region;
    scope =
      Array.from(document.querySelectorAll(ROLES.region)).find((candidate) => matches(nameOf(candidate), region)) ??
      null;
  }
  if (!scope) return null;
  return (
    Array.from(scope.querySelectorAll(ROLES[target.role])).find(
      (element) => visible(element) && matches(nameOf(element), target.name),
    ) ?? null
  );
}

/**
 * Where a reader would click the target: it is scrolled into view, and the point returned is its centre
 * when that point hits the target itself (nothing covers it) and the target is enabled; null otherwise.
 * Self-contained like `locateInPage`, which it receives as source text.
 */
export function pointInPage({
  target,
  locate,
}: {
  target: SerializedTarget;
  locate: string;
}): {x: number; y: number} | null {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the locator travels as source text to every engine
  const locateIn = new Function(`return (${locate})`) as () => (target: SerializedTarget) => Element | null;
  const element = locateIn()(target);
  if (!element || (element as HTMLButtonElement).disabled) return null;
  // In a frame, the frame comes into view first, then the element within it.
  const frame = element.ownerDocument.defaultView?.frameElement ?? null;
  frame?.scrollIntoView({block: 'center', inline: 'center'});
  element.scrollIntoView({block: 'center', inline: 'center'});
  const box = element.getBoundingClientRect();
  const x = box.left + box.width / 2;
  const y = box.top + box.height / 2;
  const hit = element.ownerDocument.elementFromPoint(x, y);
  if (!hit || !(element === hit || element.contains(hit) || (element as HTMLInputElement).labels?.length)) return null;
  if (!frame) return {x, y};
  // The point in the top document: the frame's content box offset, and nothing covering the frame there.
  const outer = frame.getBoundingClientRect();
  const point = {x: outer.left + frame.clientLeft + x, y: outer.top + frame.clientTop + y};
  return document.elementFromPoint(point.x, point.y) === frame ? point : null;
}
