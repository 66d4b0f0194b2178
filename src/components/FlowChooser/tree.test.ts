import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {flowPages} from '../../walkthroughs/registry';
import {allPaths, formatPath, parsePath, ROOT, tree, walk} from './tree';

const root = join(__dirname, '..', '..', '..');
const pageExists = (page: string) => existsSync(join(root, 'docs', `${page}.mdx`));

describe('the flow chooser tree', () => {
  const paths = allPaths();

  it('ends every path on a recommendation whose page exists', () => {
    assert.ok(paths.length > 0);
    for (const {values, end} of paths) {
      assert.ok(pageExists(end.page), `${formatPath(values)} ends on docs/${end.page}.mdx, which exists`);
      for (const also of end.seeAlso) assert.ok(pageExists(also.page), `docs/${also.page}.mdx exists`);
    }
  });

  it('reaches every flow page, and the page on several APIs', () => {
    const reached = new Set<string>(paths.flatMap(({end}) => [end.page, ...end.seeAlso.map((also) => also.page)]));
    // Every flow page; a companion page (such as the PKCE flow's requests one by one) is reached from its flow's page, not chosen.
    const flows = flowPages();
    assert.ok(flows.length > 0);
    for (const page of [...flows, 'concepts/multiple-audiences'])
      assert.ok(reached.has(page), `some path reaches ${page}`);
  });

  it('reaches every node, and every node leads somewhere', () => {
    const visited = new Set(paths.flatMap(({values}) => walk(values).nodes.map((node) => node.id)));
    assert.deepEqual(
      [...tree.keys()].filter((id) => !visited.has(id)),
      [],
      'nodes no path visits',
    );
    for (const node of tree.values()) {
      if (node.kind !== 'question') continue;
      assert.ok(node.answers.length >= 2, `${node.id} offers a choice`);
      const values = node.answers.map((answer) => answer.value);
      assert.equal(new Set(values).size, values.length, `${node.id}'s answers have distinct values`);
      for (const value of values)
        assert.match(value, /^[a-z]+$/, `${node.id}'s answer value "${value}" is a plain word`);
      assert.ok(node.why.length > 0 && !node.why.includes('\n'), `${node.id} has a one-line why`);
    }
  });

  it('asks the guide’s questions in order, stopping at the first yes', () => {
    // The first question's answers are `device` and `other` (see tree.ts); every later one is yes or no.
    const firstYes = (noes: number) =>
      walk(noes === 0 ? ['device'] : ['other', ...Array<string>(noes - 1).fill('no'), 'yes']).nodes.at(-1)!.id;
    assert.equal(walk([]).nodes[0].id, ROOT);
    // RFC 8628 §1: a device with no browser, or none the user can type on, is asked about first.
    assert.equal(firstYes(0), 'device-flow/apis');
    assert.equal(firstYes(1), 'client-credentials/apis');
    assert.equal(firstYes(2), 'authorization-code/apis');
    assert.equal(firstYes(3), 'spa-token');
    assert.equal(firstYes(4), 'native-app/apis');
    assert.equal(firstYes(5), 'password-grant/apis');
    assert.equal(walk(['other', 'no', 'no', 'no', 'no', 'no', 'one']).nodes.at(-1)!.id, 'redirect-pkce');
  });

  it('warns against the password flow wherever it is recommended', () => {
    for (const {end} of paths) {
      if (end.page === 'flows/resource-owner-password') assert.match(end.warning?.text ?? '', /MUST NOT/);
      else assert.equal(end.warning, undefined);
    }
  });

  it('offers the several-APIs follow-up for every recommendation that calls an API', () => {
    for (const {values, end} of paths) {
      const several = end.seeAlso.some((also) => also.page === 'concepts/multiple-audiences');
      if (end.page === 'flows/implicit-form-post') assert.equal(several, false);
      else assert.equal(several, values.at(-1) === 'several', formatPath(values));
    }
  });

  it('reads a shared path back from the URL, and ignores what does not fit', () => {
    for (const {values, end} of paths) {
      const restored = walk(parsePath(formatPath(values)));
      assert.equal(restored.nodes.at(-1), end);
      assert.deepEqual(restored.values, values);
    }
    assert.deepEqual(parsePath(null), []);
    assert.deepEqual(parsePath(''), []);
    assert.deepEqual(parsePath('no..yes'), []);
    assert.deepEqual(parsePath('<script>'), []);
    assert.deepEqual(walk(['other', 'maybe', 'yes']).values, ['other']);
    assert.deepEqual(walk(['other', 'yes', 'one', 'extra']).values, ['other', 'yes', 'one']);
  });

  it('reads a path shared before the device question as a path for a client that is not a device', () => {
    assert.deepEqual(parsePath('yes.one'), ['other', 'yes', 'one']);
    const restored = walk(parsePath('yes.one'));
    assert.equal(restored.nodes.at(-1), tree.get('client-credentials'));
    assert.deepEqual(walk(parsePath('device.one')).nodes.at(-1), tree.get('device-flow'));
  });
});
