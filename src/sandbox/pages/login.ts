import {html} from 'hono/html';
import type {CatalogClient, CatalogUser} from '../catalog';
import {layout, type BackLink} from './layout';

// Fills the form from a demo user's row; the page works without it (the credentials are printed).
const FILL_SCRIPT = `
document.querySelectorAll('button[data-username]').forEach(function (button) {
  button.addEventListener('click', function () {
    document.getElementById('username').value = button.dataset.username;
    document.getElementById('password').value = button.dataset.password;
    document.getElementById('sign-in').focus();
  });
});`;

/** The sandbox login page: a real form, with the demo users' credentials shown beside it. */
export function loginPage(input: {
  action: string;
  csrf: string;
  client: CatalogClient;
  users: CatalogUser[];
  back: BackLink[];
  error?: string;
  username?: string;
}) {
  return layout(
    'Sign in',
    html`<h1>Sign in</h1>
      <p><strong>${input.client.client_name}</strong> asks you to sign in to the sandbox authorization server.</p>
      ${input.error ? html`<p class="alert" role="alert">${input.error}</p>` : ''}
      <form method="post" action="${input.action}">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <label for="username">Username</label>
        <input
          type="text"
          id="username"
          name="username"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          value="${input.username ?? ''}"
        />
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required />
        <div class="actions">
          <button type="submit" id="sign-in" name="action" value="login">Sign in</button>
          <button type="submit" class="secondary" name="action" value="cancel" formnovalidate>Cancel</button>
        </div>
      </form>
      <h2>Demo users</h2>
      <p class="muted">These accounts exist only in this sandbox.</p>
      <table>
        <caption class="muted" style="text-align:left">
          Usernames and passwords of the demo users
        </caption>
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Password</th>
            <th scope="col"><span class="muted">Fill the form</span></th>
          </tr>
        </thead>
        <tbody>
          ${input.users.map(
            (user) =>
              html`<tr>
                <td><code>${user.username}</code></td>
                <td><code>${user.password}</code></td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    data-username="${user.username}"
                    data-password="${user.password}"
                    aria-label="Use ${user.name}"
                  >
                    Use
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`,
    FILL_SCRIPT,
    input.back,
  );
}
