import {html} from 'hono/html';
import {layout} from './layout';

/**
 * OAuth 2.0 Form Post Response Mode §2: an HTML form that POSTs the response parameters to the
 * redirect URI, submitted by script, with a button for when scripts do not run.
 */
export function formPostPage(redirectUri: string, parameters: Record<string, string>) {
  return layout(
    'Returning to the application',
    html`<h1>Returning to the application</h1>
      <form method="post" action="${redirectUri}">
        ${Object.entries(parameters).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
        <p>If nothing happens, continue by hand.</p>
        <div class="actions"><button type="submit">Continue</button></div>
      </form>`,
    'document.forms[0].submit();',
  );
}
