import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {normalizeTokens as referenceNormalizeTokens} from 'prism-react-renderer';
import {Prism, normalizeTokens} from './index';

const flowsDir = join(__dirname, '..', '..', 'flows');

// That Prism stays in manual mode (never rewrites the page's code blocks) is a browser matter:
// e2e/page-load.spec.ts checks that the code lines of the static HTML survive hydration untouched.
test('loads the grammars of the flow modules and JSON bodies', () => {
  for (const language of ['ts', 'typescript', 'js', 'javascript', 'json'])
    assert.ok(Prism.languages[language], language);
});

test('splits tokens at line breaks, carries the types of the tokens around them, and marks empty lines', () => {
  const lines = normalizeTokens(Prism.tokenize('const a = `x\n\ny`;\n', Prism.languages.ts));
  assert.equal(lines.length, 4);
  assert.deepEqual(lines[0][0], {types: ['keyword'], content: 'const'});
  assert.ok(lines[0].some((token) => token.types[0] === 'template-string'));
  assert.deepEqual(lines[1], [{types: ['template-string', 'string'], content: '\n', empty: true}]);
  assert.deepEqual(lines[3], [{types: ['plain'], content: '\n', empty: true}]);
});

test('gives the same lines as prism-react-renderer for every flow module and for JSON', () => {
  const samples: [string, string][] = readdirSync(flowsDir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => [readFileSync(join(flowsDir, name), 'utf8'), 'ts']);
  samples.push([
    JSON.stringify(
      {access_token: 'eyJ…', expires_in: 3600, scope: 'openid calendar:read', nested: {ok: true, n: null}},
      null,
      2,
    ),
    'json',
  ]);
  for (const [code, language] of samples) {
    const tokens = Prism.tokenize(code, Prism.languages[language]);
    assert.deepEqual(normalizeTokens(tokens), referenceNormalizeTokens(tokens));
  }
  assert.ok(samples.length > 5);
});
