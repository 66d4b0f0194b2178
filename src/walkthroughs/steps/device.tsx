/**
 * The Device Authorization Grant's views and step kinds (RFC 8628), shared by the device walkthrough
 * and the device-code phishing lab: the device panel (what the TV shows: the user code, a QR code of
 * the verification URI, the countdown, each poll and its answer), the phone panel (the user's browser,
 * framed), the request for the codes, and the polling step, which shows each poll as it happens.
 */
import React, {useEffect, useState, type ReactNode} from 'react';
import {renderSVG} from 'uqr';
import type {Step} from '../engine/types';
import {TokenSummary} from './authorization';
import {
  withFetch,
  type AuthorizationServer,
  type Configured,
  type TokenEndpointResponse,
  type Transport,
} from './shared';
import {ValueList} from './views';
import styles from './device.module.css';
import stepStyles from './styles.module.css';

/** The device authorization response (RFC 8628 §3.2), as the flow modules return it. */
export interface DeviceCode {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

/** One poll of the token endpoint and its answer, as the flow modules report it. */
export interface PollRecord {
  attempt: number;
  /** When it was sent (milliseconds since the epoch). */
  sentAt: number;
  /** `tokens` or the error code (RFC 8628 §3.5). */
  answer: string;
  /** The wait before the next poll, in seconds, when there is one. */
  nextInterval?: number;
}

/** What the polling step reports while it runs: the polls so far, and the reader's controls. */
export interface DevicePolling {
  polls: PollRecord[];
  /** Whether the device is waiting out the interval (a poll now would be too early). */
  waiting: boolean;
  /** Ends the wait at once: the next poll goes out early. */
  pollNow: () => void;
  /** Stops polling; the step fails and can be run again while the code lasts. */
  stop: () => void;
}

/** What the device got and when: the codes, and the time it got them (for the countdown). */
export interface DeviceCodeState {
  deviceAuthorization: DeviceCode;
  /** When the device authorization response arrived (milliseconds since the epoch). */
  issuedAt: number;
}

/** The URL the QR code and the phone open: the complete one, with the code in it, when the server gave one. */
export function verificationTarget(code: DeviceCode): string {
  return code.verification_uri_complete ?? code.verification_uri;
}

/** A QR code of `value` as an image, drawn by uqr; `label` is its accessible name. */
export function QrCode({value, label}: {value: string; label: string}): ReactNode {
  const svg = renderSVG(value, {ecc: 'M', border: 2});
  return <img className={styles.qr} src={`data:image/svg+xml,${encodeURIComponent(svg)}`} alt={label} />;
}

function minutesAndSeconds(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The time left before the codes expire, counted down each second. */
export function Countdown({expiresAt}: {expiresAt: number}): ReactNode {
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  useEffect(() => {
    if (left === 0) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [left === 0]); // eslint-disable-line react-hooks/exhaustive-deps -- the timer only stops once the time is up
  return left > 0 ? (
    <span role="timer" className={styles.timer}>
      The code expires in {minutesAndSeconds(left)}
    </span>
  ) : (
    <span className={styles.expired}>The code has expired</span>
  );
}

const ANSWERS: Record<string, string> = {
  authorization_pending: 'not yet: the user has not answered',
  slow_down: 'too fast: the device must wait 5 s longer from now on',
  tokens: 'tokens: the user approved',
  access_denied: 'the user said no: the device stops',
  expired_token: 'the code expired: the device stops',
};

/** Each poll and its answer, the latest last. */
export function PollLog({polls, issuedAt}: {polls: PollRecord[]; issuedAt: number}): ReactNode {
  if (polls.length === 0) return <p className={stepStyles.formIntro}>No poll yet.</p>;
  return (
    <ol className={styles.polls} aria-label="Polls of the token endpoint">
      {polls.map((poll) => (
        <li key={poll.attempt}>
          at {Math.max(0, Math.round((poll.sentAt - issuedAt) / 1000))} s: <code>{poll.answer}</code>
          {ANSWERS[poll.answer] ? ` (${ANSWERS[poll.answer]})` : ''}
          {poll.nextInterval !== undefined ? `; next poll in ${poll.nextInterval} s` : ''}
        </li>
      ))}
    </ol>
  );
}

/** What the device's screen shows: the code to enter, where, a QR code of it, the time left; then its polls. */
export function DevicePanel({
  code,
  issuedAt,
  title = "Device: the TV's screen",
  children,
}: {
  code: DeviceCode;
  issuedAt: number;
  title?: string;
  children?: ReactNode;
}): ReactNode {
  const target = verificationTarget(code);
  return (
    <section className={`${styles.panel} ${styles.device}`} aria-label={title}>
      <h4>{title}</h4>
      <p className={styles.codeLine}>
        On your phone or computer, go to <code className={stepStyles.wrap}>{code.verification_uri}</code> and enter:
      </p>
      <strong className={styles.userCode}>{code.user_code}</strong>
      <div className={styles.scan}>
        <QrCode value={target} label={`QR code of ${target}`} />
        <p className={styles.scanText}>
          Or scan the code, which opens the page with the code filled in. <br />
          <Countdown expiresAt={issuedAt + code.expires_in * 1000} />
        </p>
      </div>
      {children}
    </section>
  );
}

/** The user's browser on their phone: the verification page, framed (the sandbox lets its own origin frame it). */
export function PhonePanel({url, note}: {url: string; note?: ReactNode}): ReactNode {
  return (
    <section className={styles.panel} aria-label="Phone">
      <h4>Phone</h4>
      <iframe className={styles.phoneFrame} src={url} title="Phone: the user's browser" />
      {note && <p className={styles.phoneNote}>{note}</p>}
    </section>
  );
}

/** The device and the phone side by side on a wide screen, one above the other on a narrow one. */
export function DeviceAndPhone({device, phone}: {device: ReactNode; phone: ReactNode}): ReactNode {
  return (
    <div className={styles.pair}>
      {device}
      {phone}
    </div>
  );
}

const VALUE_WHYS: Record<string, string> = {
  device_code: 'Kept by the device, never shown: it polls the token endpoint with it (RFC 8628 §3.4).',
  user_code: 'Shown to the user, who types it on another device: short, unambiguous letters (RFC 8628 §6.1).',
  verification_uri: 'Where the user goes; short enough to type (RFC 8628 §3.3).',
  verification_uri_complete: 'The same page with the code in it: for a QR code or a link (RFC 8628 §3.3.1).',
  expires_in: 'Seconds the codes live; after that the device gets expired_token (RFC 8628 §3.5).',
  interval: 'Seconds to wait between polls; 5 when absent (RFC 8628 §3.2).',
};

/** The device authorization response, field by field. */
export function DeviceCodeValues({code}: {code: DeviceCode}): ReactNode {
  const values = (Object.keys(VALUE_WHYS) as Array<keyof DeviceCode>).flatMap(
    (name): Array<[string, string, string]> =>
      code[name] === undefined ? [] : [[name, String(code[name]), VALUE_WHYS[name]]],
  );
  return <ValueList label="Device authorization response" values={values} />;
}

interface RequestOptions {
  title?: string;
  why?: ReactNode;
  /**
   * Registrations of the device app the reader may choose between (e.g. a normal code lifetime and a
   * short demo one), as radio buttons named by `legend`; the first is checked. Without it, the config's.
   */
  choices?: {legend: string; options: Array<{clientId: string; label: ReactNode}>};
}

/** The device asks for its codes (RFC 8628 §3.1) with the flow module's own function. */
export function requestDeviceCode<Config extends {clientId: string}>(
  request: (as: AuthorizationServer, config: Config & Transport) => Promise<DeviceCode>,
  options: RequestOptions = {},
): Step<Configured<Config> & {as: AuthorizationServer}, {config: Config} & DeviceCodeState> {
  const {choices} = options;
  return {
    title: options.title ?? 'The device asks for a code',
    why:
      options.why ??
      'The device cannot show a sign-in page, so it asks the authorization server for two codes: one it keeps and polls with, and a short one for the user to type on a phone or computer.',
    action: 'Request a device code',
    arrows: [
      {from: 'client', to: 'as', label: 'POST /device_authorization'},
      {from: 'as', to: 'client', label: 'device_code, user_code, URI', reply: true},
    ],
    before: choices
      ? () => (
          <fieldset className={stepStyles.choice}>
            <legend>{choices.legend}</legend>
            {choices.options.map((option, index) => (
              <label key={option.clientId} className={stepStyles.option}>
                <input type="radio" name="clientId" value={option.clientId} defaultChecked={index === 0} />{' '}
                {option.label}
              </label>
            ))}
          </fieldset>
        )
      : undefined,
    run: async ({state, form, fetch}) => {
      const chosen = form.get('clientId');
      const known = choices?.options.some((option) => option.clientId === chosen);
      const config = typeof chosen === 'string' && known ? {...state.config, clientId: chosen} : state.config;
      const deviceAuthorization = await request(state.as, withFetch(config, fetch));
      return {config, deviceAuthorization, issuedAt: Date.now()};
    },
    render: ({deviceAuthorization, config}) => (
      <>
        <p>
          The server gave <code>{config.clientId}</code> its codes. The device shows the user code and the address; it
          keeps the device code to itself.
        </p>
        <DeviceCodeValues code={deviceAuthorization} />
      </>
    ),
  };
}

/** How the flow module polls (RFC 8628 §3.4-3.5): its `pollForTokens`. */
type Poller<Config> = (
  as: AuthorizationServer,
  config: Config & Transport,
  authorization: DeviceCode,
  options: {
    onPoll?: (poll: PollRecord) => void;
    signal?: AbortSignal;
    wait?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  },
) => Promise<TokenEndpointResponse>;

interface PollOptions {
  title?: string;
  why?: ReactNode;
  /** What the phone panel's caption says (default: what to do on the phone). */
  phoneNote?: ReactNode;
}

/**
 * The device polls the token endpoint while the user answers on the phone: every poll and its answer
 * appear as they happen, with a button to poll too early (and see `slow_down`). Ends with the tokens,
 * or fails with the error that ends the wait (`access_denied`, `expired_token`; RFC 8628 §3.5).
 */
export function pollForTokens<Config>(
  poll: Poller<Config>,
  options: PollOptions = {},
): Step<
  Configured<Config> & {as: AuthorizationServer} & DeviceCodeState,
  {tokens: TokenEndpointResponse; polls: PollRecord[]},
  DevicePolling
> {
  return {
    title: options.title ?? 'The device polls while the user answers on the phone',
    why:
      options.why ??
      'The device asks the token endpoint again and again whether the user has answered, waiting the interval between polls. On the phone, the user enters the code, signs in, confirms and consents.',
    action: 'Start polling',
    arrows: [
      {from: 'client', to: 'as', label: 'POST /token, every interval'},
      {from: 'as', to: 'client', label: 'authorization_pending', reply: true},
      {from: 'browser', to: 'as', label: 'code, sign-in, confirm, consent'},
      {from: 'client', to: 'as', label: 'POST /token device_code'},
      {from: 'as', to: 'client', label: 'tokens (or an error)', reply: true},
    ],
    before: ({state, progress}) => (
      <DeviceAndPhone
        device={
          <DevicePanel code={state.deviceAuthorization} issuedAt={state.issuedAt}>
            <PollLog polls={progress?.polls ?? []} issuedAt={state.issuedAt} />
            {progress && (
              <div className={styles.pollActions}>
                <button
                  type="button"
                  className="button button--sm button--outline button--secondary"
                  disabled={!progress.waiting}
                  onClick={progress.pollNow}
                >
                  Poll now, too early
                </button>
                <button
                  type="button"
                  className="button button--sm button--outline button--secondary"
                  disabled={!progress.waiting}
                  onClick={progress.stop}
                >
                  Stop polling
                </button>
              </div>
            )}
          </DevicePanel>
        }
        phone={
          <PhonePanel
            url={verificationTarget(state.deviceAuthorization)}
            note={
              options.phoneNote ??
              'The code is filled in, as when the QR code is scanned. Continue, sign in as a demo user, confirm, then allow or deny.'
            }
          />
        }
      />
    ),
    run: async ({state, fetch, progress, signal}) => {
      const polls: PollRecord[] = [];
      const stopped = new AbortController();
      signal.addEventListener('abort', () => stopped.abort(signal.reason), {once: true});
      let wake: (() => void) | undefined;
      const report = () =>
        progress({
          polls: [...polls],
          waiting: wake !== undefined,
          pollNow: () => wake?.(),
          stop: () =>
            stopped.abort(new DOMException('You stopped polling. Poll again while the code lasts.', 'AbortError')),
        });
      // The loop's wait, which the reader can cut short to poll too early.
      const wait = (milliseconds: number, waitSignal?: AbortSignal) =>
        new Promise<void>((resolve, reject) => {
          const end = (error?: Error) => {
            clearTimeout(timer);
            waitSignal?.removeEventListener('abort', abort);
            wake = undefined;
            report();
            if (error === undefined) resolve();
            else reject(error);
          };
          const abort = () =>
            end(waitSignal?.reason instanceof Error ? waitSignal.reason : new DOMException('Aborted', 'AbortError'));
          const timer = setTimeout(() => end(), milliseconds);
          waitSignal?.addEventListener('abort', abort, {once: true});
          wake = () => end();
          report();
        });
      report();
      const tokens = await poll(state.as, withFetch(state.config, fetch), state.deviceAuthorization, {
        signal: stopped.signal,
        wait,
        onPoll: (record) => {
          polls.push(record);
          report();
        },
      });
      return {tokens, polls};
    },
    render: ({tokens, polls}, {state}) => (
      <>
        <PollLog polls={polls} issuedAt={state.issuedAt} />
        <TokenSummary tokens={tokens} />
      </>
    ),
  };
}
