import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createMemoryStore} from './memory';

test('memory store: values expire after their TTL', async () => {
  let now = 0;
  const store = createMemoryStore(() => now);
  await store.set('k', {a: 1}, 10);
  assert.deepEqual(await store.get('k'), {a: 1});
  now = 10_000;
  assert.equal(await store.get('k'), undefined);
});

test('memory store: take is read-and-delete, and only one of two concurrent takes wins', async () => {
  const store = createMemoryStore();
  await store.set('code', 'x');
  const results = await Promise.all([store.take('code'), store.take('code')]);
  assert.deepEqual(results.sort(), ['x', undefined].sort());
  assert.equal(await store.get('code'), undefined);
});

test('memory store: stored values are copies; clear removes everything', async () => {
  const store = createMemoryStore();
  const value = {list: [1]};
  await store.set('k', value);
  value.list.push(2);
  const read = await store.get<{list: number[]}>('k');
  assert.deepEqual(read, {list: [1]});
  read.list.push(3);
  assert.deepEqual(await store.get('k'), {list: [1]});
  await store.clear();
  assert.equal(await store.get('k'), undefined);
});

test('memory store: update is an atomic read-modify-write; concurrent updates all apply; undefined leaves the value', async () => {
  const store = createMemoryStore();
  await Promise.all(Array.from({length: 10}, () => store.update<number>('n', (current) => (current ?? 0) + 1)));
  assert.equal(await store.get('n'), 10);
  const before = await store.update<number>('n', () => undefined);
  assert.equal(before, 10);
  assert.equal(await store.get('n'), 10);
  assert.equal(await store.update<number>('absent', () => undefined), undefined);
  assert.equal(await store.get('absent'), undefined);
});

test('memory store: sweep deletes expired entries only, and entries without a TTL stay', async () => {
  let now = 0;
  const store = createMemoryStore(() => now);
  await store.set('forever', 'key');
  await store.set('short', 1, 10);
  await store.set('long', 2, 100);
  now = 10_000;
  assert.equal(await store.sweep(), 1);
  assert.equal(await store.size(), 2);
  now = 100_000;
  assert.equal(await store.sweep(), 1);
  assert.equal(await store.size(), 1);
  assert.equal(await store.get('forever'), 'key');
});

test('memory store: writes sweep by themselves, at most every N writes or T milliseconds', async () => {
  let now = 0;
  const store = createMemoryStore(() => now, {sweep: {everyWrites: 100, everyMs: 5_000}});
  for (let index = 0; index < 50; index += 1) await store.set(`stale:${index}`, index, 1);
  now = 1_000;
  // Expired but not yet due: fewer than 100 writes and less than 5 s since the first write swept.
  await store.set('fresh:0', 0, 60);
  assert.equal(await store.size(), 51, 'no sweep before one is due');
  now = 5_000;
  await store.set('fresh:1', 1, 60);
  assert.equal(await store.size(), 2, 'the write after T milliseconds swept');
  for (let index = 0; index < 40; index += 1) await store.set(`stale2:${index}`, index, 1);
  now = 6_500;
  for (let index = 0; index < 60; index += 1) await store.set(`fresh2:${index}`, index, 60);
  assert.equal(await store.size(), 62, 'the hundredth write swept');
});
