import {afterEach, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {awaitedAt, hasProgress, isAwaitedAt, saveState} from './storage';

/** The part of the Storage interface the module uses, over a Map. */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(name: string): string | null {
    return this.items.get(name) ?? null;
  }
  setItem(name: string, value: string): void {
    this.items.set(name, value);
  }
  removeItem(name: string): void {
    this.items.delete(name);
  }
}

const global = globalThis as {window?: unknown};

describe('walkthrough progress in this tab', () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
    global.window = {sessionStorage: storage};
  });
  afterEach(() => {
    delete global.window;
  });

  it('names the walkthroughs waiting for the browser to come back to a page', () => {
    saveState('multiple-audiences', {
      version: 2,
      shape: 'a|b',
      completed: [],
      awaitingReturn: 3,
      returnTo: '/concepts/multiple-audiences',
    });
    saveState('refresh-tokens', {
      version: 2,
      shape: 'a|b',
      completed: [],
      awaitingReturn: 1,
      returnTo: '/concepts/refresh-tokens',
    });
    saveState('client-credentials', {version: 2, shape: 'a|b', completed: [{gives: {}, exchanges: []}]});
    storage.setItem('explorer:pending', '{}');

    assert.deepEqual(awaitedAt('/concepts/multiple-audiences'), ['multiple-audiences']);
    assert.deepEqual(
      awaitedAt('/concepts/multiple-audiences/'),
      ['multiple-audiences'],
      'a trailing slash is the same page',
    );
    assert.deepEqual(awaitedAt('/flows/client-credentials'), [], 'progress that waits for nothing');
    assert.equal(isAwaitedAt('/concepts/refresh-tokens'), true);
    assert.equal(isAwaitedAt('/'), false);
    assert.equal(hasProgress('client-credentials'), true);
    assert.equal(hasProgress('implicit-form-post'), false);
  });

  it('counts progress saved without a page for every page, as before pages were recorded', () => {
    saveState('authorization-code-pkce', {version: 2, shape: 'a', completed: [], awaitingReturn: 2});
    assert.deepEqual(awaitedAt('/flows/authorization-code-pkce'), ['authorization-code-pkce']);
    assert.deepEqual(awaitedAt('/security/mix-up'), ['authorization-code-pkce']);
  });

  it('reads unreadable progress as nothing waiting', () => {
    storage.setItem('walkthrough:native-apps', '{not json');
    assert.deepEqual(awaitedAt('/flows/native-apps'), []);
    assert.equal(hasProgress('native-apps'), false);
  });
});
