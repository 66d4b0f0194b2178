import assert from 'node:assert/strict';
import {test} from 'node:test';
import {themes} from 'prism-react-renderer';
import {CLASS_ONLY_THEME, themeToCss} from './index';

test('a theme becomes CSS variables for its plain colours and one rule per entry, in order', () => {
  const css = themeToCss(
    {
      plain: {color: '#000000', backgroundColor: '#ffffff'},
      styles: [
        {types: ['comment', 'prolog'], style: {color: 'green', fontStyle: 'italic'}},
        {types: ['keyword'], style: {color: 'blue'}},
        {types: ['keyword'], languages: ['bash'], style: {color: 'purple'}},
        {types: ['namespace'], style: {opacity: 0.7}},
      ],
    },
    '.scope',
  );
  assert.equal(
    css,
    [
      '.scope { --prism-color: #000000; --prism-background-color: #ffffff; }',
      '.scope .token.comment,\n.scope .token.prolog { color: green; font-style: italic; }',
      '.scope .token.keyword { color: blue; }',
      '.scope .language-bash .token.keyword { color: purple; }',
      '.scope .token.namespace { opacity: 0.7; }',
    ].join('\n'),
  );
});

test('every colour of a real theme is in its CSS', () => {
  const css = themeToCss(themes.oceanicNext, '[data-theme="dark"] .code');
  for (const entry of themes.oceanicNext.styles) {
    if (entry.style.color)
      assert.ok(css.includes(`color: ${entry.style.color};`), `${entry.types.join(',')} ${entry.style.color}`);
  }
});

test('the theme the code blocks render with has no colours, so the markup is the same in both modes', () => {
  assert.deepEqual(CLASS_ONLY_THEME, {plain: {}, styles: []});
});
