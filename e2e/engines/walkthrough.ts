/**
 * A live walkthrough as a reader runs it, in any engine: open its page, press each step's button as
 * it becomes the current step, sign in and consent on the sandbox's pages when the flow goes there,
 * and read what the walkthrough shows at the end.
 */
import {walkthroughs, type WalkthroughSlug} from '../../src/walkthroughs/registry';
import type {Reader, Target} from './reader';

export interface DemoUser {
  username: string;
  password: string;
}

/** What the walkthrough shows, read in one go from the page (JSON, so absent values are null in every driver). */
export interface WalkthroughView {
  /** Whether the browser is on the walkthrough's page (not on the sandbox's sign-in or consent page). */
  onPage: boolean;
  /** The heading of the page the browser is on. */
  heading: string;
  status: string;
  alert: string | null;
  /** The current step's heading, when a step is current, and whether its button can be pressed. */
  current: string | null;
  enabled: boolean;
  /** Headings of the steps marked done. */
  done: string[];
  /** Each token check's verdict in the token inspectors: how many passed and which failed. */
  checksPassed: number;
  checksFailed: string[];
  /** The notes in the results, by name (for a lab: "Attack succeeded" or "Attack refused"), with their text. */
  notes: Array<{name: string; text: string}>;
  /** The text of each step's result, in order. */
  results: string[];
  /** The heading of the page the phone shows (the device walkthrough's framed verification pages), if any. */
  phone: string | null;
}

/** The title of the frame the device walkthrough shows the user's phone in. */
const PHONE = "Phone: the user's browser";

const STEP_TIMEOUT_MS = 30_000;

export async function waitUntil(
  condition: () => Promise<boolean>,
  message: string,
  timeoutMs = STEP_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The device flow's confirmation page (RFC 8628 §5.4). */
const CONFIRM_HEADING = 'Did you start this on a device in front of you?';

/** The phone's pages that wait for the user: enter the code, sign in, confirm, consent. */
function needsAnswer(heading: string): boolean {
  return ['Connect a device', 'Sign in', CONFIRM_HEADING].includes(heading) || heading.startsWith('Authorize ');
}

/** The sandbox's sign-in and consent pages, by their headings. */
function isSandboxPage(heading: string): boolean {
  return heading === 'Sign in' || heading.startsWith('Authorize ');
}

export class EngineWalkthrough {
  readonly title: string;
  readonly region: Target['within'];

  constructor(
    readonly reader: Reader,
    readonly slug: WalkthroughSlug,
    readonly baseURL: string,
  ) {
    this.title = walkthroughs[slug].title;
    this.region = {region: this.title};
  }

  get pageUrl(): string {
    return new URL(walkthroughs[this.slug].page, this.baseURL).href;
  }

  /**
   * Opens the page, scrolls to "Try it live" at once, as a reader heading for it would, and waits until
   * the steps can run: the walkthrough starts the sandbox worker itself when it comes into view.
   */
  async open(): Promise<void> {
    await this.reader.goto(this.pageUrl);
    await this.scrollToTryItLive();
    await waitUntil(async () => {
      const view = await this.view();
      // One already in view as the page opens waits for the reader's first move (or a few seconds), so
      // the page's own loading goes first: a reader scrolls a little while it loads.
      if (view.onPage && view.current === null) await this.reader.evaluate(() => window.scrollBy(0, 1), undefined);
      return view.onPage && view.current !== null && view.enabled && !view.status.includes('Starting');
    }, `the ${this.slug} walkthrough is ready`);
  }

  /** Scrolls to the walkthrough, as a reader would: it loads as it nears the viewport. */
  async scrollToTryItLive(): Promise<void> {
    await this.reader.evaluate(() => {
      const heading = Array.from(document.querySelectorAll('h2')).find((element) =>
        element.textContent?.includes('Try it live'),
      );
      heading?.scrollIntoView({block: 'start'});
      return heading !== undefined;
    }, undefined);
  }

  /** Reads what the walkthrough shows. */
  async view(): Promise<WalkthroughView> {
    return this.reader.evaluate(
      ({title, path, phoneTitle}) => {
        const text = (element: Element | null | undefined) => (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
        const heading = text(document.querySelector('h1'));
        const empty = {
          heading,
          status: '',
          alert: null,
          current: null,
          enabled: false,
          done: [],
          checksPassed: 0,
          checksFailed: [],
          notes: [],
          results: [],
          phone: null,
        };
        if (location.pathname !== path) return {onPage: false, ...empty};
        const region = Array.from(document.querySelectorAll('section[aria-label]')).find(
          (element) => element.getAttribute('aria-label') === title,
        );
        if (!region) return {onPage: true, ...empty};
        const step = region.querySelector('li[aria-current="step"]');
        const phone = Array.from(region.querySelectorAll('iframe')).find((frame) => frame.title === phoneTitle);
        // The step's own button submits its form; a step's view may hold other buttons before it.
        const button = step?.querySelector<HTMLButtonElement>('button[type="submit"]') ?? step?.querySelector('button');
        const rows = Array.from(region.querySelectorAll('tr'));
        return {
          onPage: true,
          heading,
          status: text(region.querySelector('[role="status"]')),
          alert: region.querySelector('[role="alert"]') ? text(region.querySelector('[role="alert"]')) : null,
          current: step ? text(step.querySelector('h3')) : null,
          enabled: button ? !button.disabled : false,
          done: Array.from(region.querySelectorAll('h3'))
            .map((h3) => text(h3))
            .filter((name) => name.includes('(done)')),
          checksPassed: rows.filter((row) => Array.from(row.cells).some((cell) => text(cell) === 'Passed')).length,
          checksFailed: rows
            .filter((row) => Array.from(row.cells).some((cell) => text(cell) === 'Failed'))
            .map((row) => text(row)),
          notes: Array.from(region.querySelectorAll('[role="note"][aria-label]')).map((note) => ({
            name: note.getAttribute('aria-label') ?? '',
            text: text(note),
          })),
          results: Array.from(region.querySelectorAll('[role="group"][aria-label^="Result of step"]')).map((result) =>
            text(result),
          ),
          phone: phone ? text(phone.contentDocument?.querySelector('h1')) : null,
        };
      },
      {title: this.title, path: new URL(this.pageUrl).pathname, phoneTitle: PHONE},
    );
  }

  /**
   * How far the page scrolls sideways, in CSS pixels (0 when it fits), and how far the walkthrough's
   * sequence diagram reaches past the screen's right edge (null when there is no diagram).
   */
  async overflow(): Promise<{page: number; diagram: number | null}> {
    return this.reader.evaluate((title) => {
      const region = Array.from(document.querySelectorAll('section[aria-label]')).find(
        (element) => element.getAttribute('aria-label') === title,
      );
      const nameOf = (element: Element) => {
        const labelledBy = element.getAttribute('aria-labelledby');
        return (
          (labelledBy ? document.getElementById(labelledBy)?.textContent : element.getAttribute('aria-label')) ?? ''
        );
      };
      const diagram = Array.from(region?.querySelectorAll('[role="img"]') ?? [])
        .find((element) => nameOf(element).includes('sequence diagram'))
        ?.getBoundingClientRect();
      const width = document.documentElement.clientWidth;
      return {
        page: document.documentElement.scrollWidth - width,
        diagram: diagram ? Math.ceil(diagram.right - width) : null,
      };
    }, this.title);
  }

  /** A security lab's choice: its defence off or on (the lab's radio buttons, "Off: …" and "On: …"). */
  async chooseDefence(defence: 'Off' | 'On'): Promise<void> {
    await this.reader.click({role: 'radio', name: new RegExp(`^${defence}:`), within: this.region});
  }

  async startOver(): Promise<void> {
    await this.reader.click({role: 'button', name: 'Start over', within: this.region});
    await waitUntil(async () => (await this.view()).done.length === 0, 'Start over clears the steps');
  }

  /**
   * Presses each step's button in turn until the walkthrough says it is complete, signing in as `user`
   * and allowing access on the sandbox's pages on the way. A step that fails throws with its alert.
   */
  async runToEnd(
    user: DemoUser,
    {
      timeoutMs = 120_000,
      beforeAnswering,
      startedOnDevice = true,
    }: {
      timeoutMs?: number;
      beforeAnswering?: (heading: string) => Promise<void>;
      /**
       * The phone's answer to the RFC 8628 §5.4 question: yes for the reader's own device; no for the
       * device-code phishing lab's victim, who started nothing.
       */
      startedOnDevice?: boolean;
    } = {},
  ): Promise<WalkthroughView> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const view = await this.view().catch(() => undefined);
      if (view === undefined) {
        // Between two pages: the old one is gone, the new one not there yet.
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (view.status.includes('The walkthrough is complete')) return view;
      if (!view.onPage) {
        if (beforeAnswering && isSandboxPage(view.heading)) await beforeAnswering(view.heading);
        await this.answerSandboxPage(view.heading, user);
        continue;
      }
      if (view.alert) throw new Error(`The ${this.slug} walkthrough stopped at "${view.current}": ${view.alert}`);
      if (view.phone !== null && needsAnswer(view.phone)) {
        // The device walkthrough: the user answers on the phone, the framed verification pages.
        await this.answerPhone(view.phone, user, startedOnDevice);
        continue;
      }
      if (view.current === null || !view.enabled) {
        // Starting, or a step finishing on its own (the one the browser came back to).
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      await this.reader.click({role: 'button', within: 'current step'});
      await waitUntil(async () => {
        const after = await this.view();
        return (
          !after.onPage ||
          after.current !== view.current ||
          after.alert !== null ||
          after.status.includes('complete') ||
          (after.phone !== null && needsAnswer(after.phone))
        );
      }, `step "${view.current}" of ${this.slug} finishes`).catch(() => undefined);
    }
    throw new Error(`The ${this.slug} walkthrough did not complete within ${timeoutMs} ms`);
  }

  /**
   * The phone's pages (RFC 8628 §3.3), answered inside its frame as the demo user would: the code is
   * filled in from the QR code's URL; sign in; "Yes, I started it" (§5.4), or "No" when the reader
   * plays a victim who did not; allow.
   */
  private async answerPhone(heading: string, user: DemoUser, startedOnDevice: boolean): Promise<void> {
    const within = {frame: PHONE};
    if (heading === 'Connect a device') {
      await this.reader.click({role: 'button', name: 'Continue', within});
    } else if (heading === 'Sign in') {
      await this.reader.fill({role: 'textbox', name: 'Username', within}, user.username);
      await this.reader.fill({role: 'textbox', name: 'Password', within}, user.password);
      await this.reader.click({role: 'button', name: 'Sign in', within});
    } else if (heading === CONFIRM_HEADING) {
      const answer = startedOnDevice ? 'Yes, I started it' : 'No, I did not start it';
      await this.reader.click({role: 'button', name: answer, within});
    } else if (heading.startsWith('Authorize ')) {
      await this.reader.click({role: 'button', name: 'Allow', within});
    }
    await waitUntil(async () => (await this.view()).phone !== heading, `the phone's "${heading}" page is answered`);
  }

  /** The sandbox's sign-in and consent pages, answered as the demo user would; anything else is waited out. */
  private async answerSandboxPage(heading: string, user: DemoUser): Promise<void> {
    if (heading === 'Sign in') {
      await this.reader.fill({role: 'textbox', name: 'Username'}, user.username);
      await this.reader.fill({role: 'textbox', name: 'Password'}, user.password);
      const before = await this.reader.url();
      await this.reader.click({role: 'button', name: 'Sign in'});
      await waitUntil(async () => (await this.reader.url()) !== before, 'the sign-in form is answered');
    } else if (heading.startsWith('Authorize ')) {
      const before = await this.reader.url();
      await this.reader.click({role: 'button', name: 'Allow'});
      await waitUntil(async () => (await this.reader.url()) !== before, 'the consent form is answered');
    } else {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
