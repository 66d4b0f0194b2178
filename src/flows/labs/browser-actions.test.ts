import assert from 'node:assert/strict';
import {test} from 'node:test';
import {alertText, fieldOf, readForm, returnedResponse, withField} from './browser-actions';

const page = `<!doctype html><form method="get" action="/search"><input name="q" value="x" /></form>
<form method="post" action="callback?x=1&amp;y=2">
  <input type="hidden" name="csrf" value="a&quot;b&#39;c" />
  <input type="text" id="username" name="username" required value="" />
  <input type="password" name="password" required />
  <button type="submit" name="action" value="login">Sign in</button>
</form>`;

test('readForm: the first POST form, its action resolved against the page, every named input in order, entities decoded', () => {
  assert.deepEqual(readForm(page, 'https://as.test/sandbox/interaction/1/login'), {
    action: 'https://as.test/sandbox/interaction/1/callback?x=1&y=2',
    fields: [
      ['csrf', 'a"b\'c'],
      ['username', ''],
      ['password', ''],
    ],
  });
  assert.equal(readForm('<p>no form</p>', 'https://as.test/'), undefined);
});

test('alertText: the text of the role="alert" paragraph, without its markup', () => {
  assert.equal(
    alertText(
      '<p class="alert" role="alert"><code>invalid_request</code>: redirect_uri &#39;x&#39; is not registered</p>',
    ),
    "invalid_request: redirect_uri 'x' is not registered",
  );
  assert.equal(alertText('<p>fine</p>'), '(no message)');
});

test('withField and fieldOf: one field replaced, the others kept in order', () => {
  const form = {
    action: 'https://app.test/callback',
    fields: [
      ['id_token', 'new'],
      ['state', 's'],
    ] as Array<[string, string]>,
  };
  assert.deepEqual(withField(form, 'id_token', 'old').fields, [
    ['id_token', 'old'],
    ['state', 's'],
  ]);
  assert.equal(fieldOf(form, 'state'), 's');
  assert.equal(fieldOf(form, 'nonce'), undefined);
});

test("returnedResponse: the address with a response in the query or the fragment, nothing without one, the server's error thrown", () => {
  assert.equal(returnedResponse('https://app.test/cb?code=c&state=s', ['code']), 'https://app.test/cb?code=c&state=s');
  assert.equal(
    returnedResponse('https://app.test/cb#access_token=t', ['access_token', 'code'], true),
    'https://app.test/cb#access_token=t',
  );
  assert.equal(returnedResponse('https://app.test/cb', ['code']), undefined);
  assert.throws(
    () => returnedResponse('https://app.test/cb?error=access_denied&error_description=no', ['code']),
    /answered access_denied: no/,
  );
});
