/**
 * Every HTTP exchange the walkthroughs of this tab have recorded in their saved progress, for the
 * endpoint explorer to offer their tokens. A module of its own, not part of storage.ts: every page's
 * walkthrough embed imports storage.ts, and a module the explorer shared with it would move into the
 * walkthroughs' common chunk and load on every page.
 */
import type {HttpExchangeRecord} from '../../lib/http-exchange';
import type {SavedWalkthrough} from './storage';

/** The exchanges of every walkthrough's progress in this tab's sessionStorage (see storage.ts for the format). */
export function savedExchanges(): HttpExchangeRecord[] {
  const exchanges: HttpExchangeRecord[] = [];
  for (let index = 0; index < window.sessionStorage.length; index++) {
    const name = window.sessionStorage.key(index);
    if (!name?.startsWith('walkthrough:')) continue;
    try {
      const parsed = JSON.parse(window.sessionStorage.getItem(name) ?? '') as Partial<SavedWalkthrough>;
      if (parsed.version !== 2 || !Array.isArray(parsed.completed)) continue;
      for (const step of parsed.completed) exchanges.push(...(Array.isArray(step.exchanges) ? step.exchanges : []));
    } catch {
      // Progress this version cannot read is skipped, as loadSaved does.
    }
  }
  return exchanges;
}
