import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {ErrorResponse} from './errors';
import {busyOf, createRun, currentIndexOf, type RunOptions} from './runner';
import type {AnyStep, WalkthroughDefinition, WalkthroughEnv} from './types';

/** sessionStorage's methods over a Map, with its contents readable. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (name: string) => items.get(name) ?? null,
    setItem: (name: string, value: string) => void items.set(name, value),
    removeItem: (name: string) => void items.delete(name),
  };
}

const env = {issuer: 'https://sandbox.test/sandbox', pageUrl: 'https://docs.test/flows/demo'} as WalkthroughEnv;

function step(title: string, run: AnyStep['run'], extra: Partial<AnyStep> = {}): AnyStep {
  return {title, why: title, action: title, arrows: [], run, render: () => null, ...extra};
}

/** Three steps: a counter from the form, a request through the recorded fetch, and a sign-in that leaves the page. */
const definition: WalkthroughDefinition = {
  slug: 'demo',
  title: 'Demo',
  guideCase: 'single-page-app',
  lanes: {client: 'App'},
  initial: () => ({base: 10}),
  steps: [
    step('Count', async ({form, state}) => ({count: (state as {base: number}).base + Number(form.get('add') ?? 0)})),
    step('Ask', async ({fetch, state}) => {
      const response = await fetch(`${env.issuer}/count`, {
        method: 'POST',
        body: String((state as {count: number}).count),
      });
      if (!response.ok) throw new ErrorResponse('refused', {error: 'invalid_client', status: 401, correctable: true});
      return {answer: await response.text()};
    }),
    step('Leave', async ({navigate}) => navigate(`${env.issuer}/authorize?x=1`), {
      resume: async (url, {state}) => {
        if (url.searchParams.get('error')) throw new ErrorResponse('denied', {error: url.searchParams.get('error')!});
        return url.searchParams.has('code')
          ? {code: url.searchParams.get('code'), seen: (state as {answer: string}).answer}
          : undefined;
      },
    }),
  ],
};

function setUp(overrides: Partial<RunOptions> = {}) {
  const storage = memoryStorage();
  const navigations: string[] = [];
  let refuse = false;
  const options: RunOptions = {
    definition,
    prepare: async () => env,
    storage,
    fetch: async (_url, init) =>
      refuse
        ? new Response('no', {status: 401})
        : new Response(`got ${typeof init.body === 'string' ? init.body : ''}`),
    navigate: (url) => void navigations.push(url),
    returnTo: '/flows/demo',
    ...overrides,
  };
  return {storage, navigations, options, refuse: (value: boolean) => (refuse = value)};
}

const saved = (storage: ReturnType<typeof memoryStorage>) =>
  JSON.parse(storage.items.get('walkthrough:demo') ?? 'null') as {awaitingReturn?: number; returnTo?: string};

describe('the walkthrough runner', () => {
  it('runs the steps in order, each from the state the steps before it gave, and saves the progress as before', async () => {
    const {storage, options} = setUp();
    const run = createRun(options);
    let notified = 0;
    run.subscribe(() => notified++);
    await run.start();
    const form = new FormData();
    form.set('add', '5');
    assert.deepEqual(await run.runNext(form), {status: 'done'});
    assert.deepEqual(await run.runNext(), {status: 'done'});
    const snapshot = run.getSnapshot();
    assert.deepEqual(
      snapshot.saved.completed.map((done) => done.gives),
      [{count: 15}, {answer: 'got 15'}],
    );
    assert.equal(snapshot.saved.completed[1].exchanges[0].request.url, `${env.issuer}/count`);
    assert.equal(snapshot.saved.completed[1].exchanges[0].response?.body, 'got 15');
    assert.equal(snapshot.announcement, 'Step 2 done: Ask. Next: Leave.');
    assert.deepEqual(snapshot.focus, {index: 1, target: 'result'});
    assert.ok(notified > 0);
    // sessionStorage key and format unchanged: the page that loads next reads it.
    assert.deepEqual(saved(storage), {version: 2, shape: 'Count|Ask|Leave', completed: snapshot.saved.completed});
  });

  it('records a failure with its exchanges and advice, and runs the step again', async () => {
    const {options, refuse} = setUp();
    const run = createRun(options);
    await run.start();
    await run.runNext();
    refuse(true);
    const failed = await run.runNext();
    assert.equal(failed.status, 'failed');
    const {failure, announcement} = run.getSnapshot();
    assert.equal(failure?.index, 1);
    assert.equal(failure?.error.error, 'invalid_client');
    assert.equal(failure?.exchanges[0]?.response?.status, 401);
    assert.match(announcement, /^Step 2 failed: The client could not be authenticated/);
    refuse(false);
    assert.deepEqual(await run.runStep(1), {status: 'done'});
    assert.equal(run.getSnapshot().failure, undefined);
  });

  it('saves the step that leaves the page, and a new page load resumes it from the URL the browser came back to', async () => {
    const {storage, navigations, options} = setUp();
    const first = createRun(options);
    await first.start();
    await first.runNext();
    await first.runNext();
    const left = await first.runNext();
    assert.deepEqual(left, {status: 'left', url: `${env.issuer}/authorize?x=1`});
    assert.deepEqual(navigations, [`${env.issuer}/authorize?x=1`]);
    assert.equal(busyOf(first.getSnapshot()), 2, 'the step stays at work while the page unloads');
    assert.equal(first.getSnapshot().announcement, 'Leaving for sandbox.test…');
    assert.equal(saved(storage).awaitingReturn, 2);
    assert.equal(saved(storage).returnTo, '/flows/demo');

    const second = createRun(options);
    const resumed = second.resume('https://docs.test/flows/demo?code=abc&state=s');
    assert.equal(busyOf(second.getSnapshot()), undefined, 'nothing is at work before the environment is ready');
    await second.start();
    await resumed;
    const snapshot = second.getSnapshot();
    assert.deepEqual(snapshot.saved.completed[2]?.gives, {code: 'abc', seen: 'got 10'});
    assert.equal(snapshot.announcement, 'Step 3 done: Leave.');
    assert.deepEqual(snapshot.focus, {index: 2, target: 'heading'});
    assert.equal(currentIndexOf(snapshot, 3), undefined);
    assert.equal(saved(storage).awaitingReturn, undefined);
    assert.equal(saved(storage).returnTo, undefined);
  });

  it('leaves the step open when the URL holds no answer, and fails it when the answer is an error', async () => {
    const {options} = setUp();
    const first = createRun(options);
    await first.start();
    for (let index = 0; index < 3; index++) await first.runNext();
    const noAnswer = createRun(options);
    const read = noAnswer.resume('https://docs.test/flows/demo');
    await noAnswer.start();
    await read;
    assert.equal(currentIndexOf(noAnswer.getSnapshot(), 3), 2);
    assert.equal(noAnswer.getSnapshot().failure, undefined);

    await noAnswer.runNext();
    const denied = createRun(options);
    await denied.start();
    await denied.resume('https://docs.test/flows/demo?error=access_denied');
    const {failure, announcement, saved: progress} = denied.getSnapshot();
    assert.equal(failure?.error.error, 'access_denied');
    assert.match(announcement, /^Step 3 failed: The request was not authorized/);
    assert.equal(progress.awaitingReturn, undefined);
  });

  it('starts over, resets the sandbox, and reports an environment that could not be prepared', async () => {
    let resets = 0;
    let fail = true;
    const {storage, options} = setUp({
      resetSandbox: async () => {
        resets++;
      },
      prepare: async () => {
        if (fail) throw new Error('no worker');
        return env;
      },
    });
    const run = createRun(options);
    await run.start();
    assert.deepEqual(run.getSnapshot().readiness, {state: 'failed', error: {message: 'no worker'}});
    assert.equal((await run.runNext()).status, 'not-run');
    fail = false;
    await run.start();
    await run.runNext();
    run.startOver();
    assert.deepEqual(saved(storage), {version: 2, shape: 'Count|Ask|Leave', completed: []});
    assert.equal(run.getSnapshot().announcement, 'Started over. Step 1 is ready.');
    await run.runNext();
    await run.resetAll();
    assert.equal(resets, 1);
    assert.equal(run.getSnapshot().saved.completed.length, 0);
    assert.match(run.getSnapshot().announcement, /^The sandbox was reset/);
  });

  it("shows a long step's progress while it runs, keeps the last after it ends, and abandons it on starting over", async () => {
    let finish: (value: {polls: number}) => void = () => undefined;
    const long = step(
      'Poll',
      ({progress, signal}) =>
        new Promise((resolve, reject) => {
          progress({polls: 1});
          finish = (value) => {
            progress(value);
            resolve(value);
          };
          signal.addEventListener('abort', () => reject(signal.reason as Error));
        }),
    );
    const {storage, options} = setUp({definition: {...definition, steps: [long, ...definition.steps]}});
    const run = createRun(options);
    await run.start();
    const first = run.runNext();
    assert.equal(busyOf(run.getSnapshot()), 0);
    assert.deepEqual(run.getSnapshot().progress, {index: 0, value: {polls: 1}});
    finish({polls: 2});
    assert.deepEqual(await first, {status: 'done'});
    assert.deepEqual(run.getSnapshot().progress, {index: 0, value: {polls: 2}}, 'the last progress stays shown');
    assert.equal(JSON.stringify(saved(storage)).includes('progress'), false, 'progress is never saved');

    run.startOver();
    const second = run.runNext();
    assert.deepEqual(run.getSnapshot().progress, {index: 0, value: {polls: 1}});
    run.startOver();
    assert.deepEqual(await second, {status: 'not-run'}, 'the abandoned run is told to stop, and its end ignored');
    const snapshot = run.getSnapshot();
    assert.deepEqual([snapshot.running, snapshot.progress, snapshot.failure], [undefined, undefined, undefined]);
    assert.equal(snapshot.announcement, 'Started over. Step 1 is ready.');
  });

  it('drops progress saved for another version of the walkthrough', async () => {
    const {storage, options} = setUp();
    storage.setItem(
      'walkthrough:demo',
      JSON.stringify({version: 2, shape: 'Other', completed: [{gives: {}, exchanges: []}]}),
    );
    const run = createRun(options);
    assert.equal(run.getSnapshot().saved.completed.length, 0);
  });
});
