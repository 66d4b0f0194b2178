import {html} from 'hono/html';
import type {CatalogApi, CatalogClient, CatalogUser, ScopeDescription} from '../catalog';
import {layout, type BackLink} from './layout';

/** The consent page: which client, which scopes (in words), for which API, and Allow / Deny. */
export function consentPage(input: {
  action: string;
  csrf: string;
  client: CatalogClient;
  user: CatalogUser;
  scopes: ScopeDescription[];
  back: BackLink[];
  api?: CatalogApi;
}) {
  return layout(
    'Authorize access',
    html`<h1>Authorize ${input.client.client_name}</h1>
      <p>Signed in as <strong>${input.user.name}</strong> (<code>${input.user.username}</code>).</p>
      <p><strong>${input.client.client_name}</strong> (<code>${input.client.client_id}</code>) would like to:</p>
      ${
        input.scopes.length > 0
          ? html`<ul class="scopes">
              ${input.scopes.map((scope) => html`<li>${scope.description} <span class="muted">(<code>${scope.value}</code>)</span></li>`)}
            </ul>`
          : html`<p class="muted">No scopes were requested: the app only asks to know that you signed in.</p>`
      }
      ${
        input.api
          ? html`<p>
              API: <strong>${input.api.name}</strong> <span class="muted">(<code>${input.api.identifier}</code>)</span>
            </p>`
          : ''
      }
      <form method="post" action="${input.action}">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <div class="actions">
          <button type="submit" name="decision" value="allow">Allow</button>
          <button type="submit" class="secondary" name="decision" value="deny">Deny</button>
        </div>
      </form>`,
    undefined,
    input.back,
  );
}
