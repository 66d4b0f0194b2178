import {html} from 'hono/html';
import {layout} from '../pages/layout';

/** The demo web app's result page: who signed in, the ID token claims and the token response. */
export function webappResultPage(input: {appName: string; heading: string; claims?: Record<string, unknown>; tokens?: Record<string, unknown>; error?: string}) {
  return layout(
    input.appName,
    html`<h1>${input.heading}</h1>
      <p class="muted">This page is the server side of the demo app <strong>${input.appName}</strong>, running inside the sandbox.</p>
      ${input.error ? html`<p class="alert" role="alert">${input.error}</p>` : ''}
      ${input.claims
        ? html`<h2>ID token claims (verified)</h2>
            <pre tabindex="0"><code>${JSON.stringify(input.claims, null, 2)}</code></pre>`
        : ''}
      ${input.tokens
        ? html`<h2>Token response</h2>
            <pre tabindex="0"><code>${JSON.stringify(input.tokens, null, 2)}</code></pre>`
        : ''}`,
  );
}
