import type {Sandbox} from '../context';

/**
 * RFC 8628 §5.1: a user code is short enough to type, so it could be guessed; the server must limit how
 * many are tried. Wrong codes are counted per browser and for everyone together, each in a fixed window
 * (DeviceLimits); past either limit, entering codes is paused until that window ends, the right code
 * refused too, so guessing learns nothing more. As with passwords (password-attempts.ts), each entry first
 * takes its place in the counts, in one atomic update per count, and only then is the code looked up: a
 * burst of parallel guesses cannot all slip in under the limit. A right code gives its places back, and
 * nothing more: anyone can get a right code of their own, so it must not reset a count.
 */

interface GuessCount {
  wrong: number;
  /** When the window that started with the first wrong code ends, ms since the epoch. */
  windowEnds: number;
}

export type GuessCheck = {outcome: 'allowed'; refund: () => Promise<void>} | {outcome: 'paused'; retryAfter: number};

const browserKey = (browser: string) => `device-guesses:browser:${browser}`;
const ALL = 'device-guesses:all';

/** Takes a place for one user code entered by `browser`, or says for how long entering codes is paused. */
export async function takeGuess(sandbox: Sandbox, browser: string): Promise<GuessCheck> {
  const {guessesPerBrowser, guessesTotal, guessWindow} = sandbox.limits.devices;
  // The overall count first: while it is full, no browser's count is even created, so a flood of requests
  // with made-up browser names leaves nothing behind.
  const limits: Array<[key: string, max: number]> = [
    [ALL, guessesTotal],
    [browserKey(browser), guessesPerBrowser],
  ];
  const now = sandbox.now();
  const current = (count: GuessCount | undefined) => (count && count.windowEnds > now ? count : undefined);
  let pausedUntil = 0;
  const taken: string[] = [];
  for (const [key, max] of limits) {
    const before = current(
      await sandbox.store.update<GuessCount>(
        key,
        (count) => {
          const live = current(count);
          if (!live) return {wrong: 1, windowEnds: now + guessWindow * 1000};
          // At the limit the count stays as it is, so refused entries do not stretch the window.
          return live.wrong >= max ? undefined : {...live, wrong: live.wrong + 1};
        },
        guessWindow,
      ),
    );
    if (before && before.wrong >= max) {
      pausedUntil = before.windowEnds;
      break;
    }
    taken.push(key);
  }
  const refund = async () => {
    for (const key of taken) {
      await sandbox.store.update<GuessCount>(
        key,
        (count) => (current(count) ? {...count!, wrong: Math.max(0, count!.wrong - 1)} : undefined),
        guessWindow,
      );
    }
  };
  if (pausedUntil > 0) {
    // A refused entry is no guess: it gives back the place it took in a count that was not yet full.
    await refund();
    return {outcome: 'paused', retryAfter: Math.ceil((pausedUntil - now) / 1000)};
  }
  return {outcome: 'allowed', refund};
}
