import {html} from 'hono/html';
import {layout} from '../pages/layout';

/** What a demo app's server keeps after a sign-in. Token values stay on the server; pages only describe them. */
export interface WebAppSession {
  /** Verified ID token claims. */
  claims: Record<string, unknown>;
  /** Present when the server holds an access token (the code flow). */
  accessToken?: {audience: string | string[]; scope?: string; expiresAt: number};
  hasRefreshToken?: boolean;
}

const intro = (appName: string) =>
  html`<p class="muted">This page is the server side of the demo app <strong>${appName}</strong>, running inside the sandbox.</p>`;

/** A demo app's home page: who is signed in, and what the server (not the browser) holds. */
export function webAppHomePage(input: {appName: string; loginUrl: string; session?: WebAppSession}) {
  const {appName, loginUrl, session} = input;
  if (!session) {
    return layout(
      appName,
      html`<h1>Not signed in</h1>
        ${intro(appName)}
        <p><a href="${loginUrl}">Sign in with the sandbox</a></p>`,
    );
  }
  const name = String(session.claims.name ?? session.claims.sub);
  return layout(
    appName,
    html`<h1>Signed in as ${name}</h1>
      ${intro(appName)}
      ${session.accessToken
        ? html`<h2>What the server holds</h2>
            <p>The tokens went from the token endpoint straight to this server. They never reached the browser, so this page
              describes them instead of showing them.</p>
            <ul>
              <li>An access token for <code>${[session.accessToken.audience].flat().join(' ')}</code>${session.accessToken.scope
                ? html` with scope <code>${session.accessToken.scope}</code>`
                : ''}, valid until ${new Date(session.accessToken.expiresAt * 1000).toISOString()}</li>
              <li>${session.hasRefreshToken ? 'A refresh token, to get new access tokens without the user' : 'No refresh token (offline_access was not granted)'}</li>
            </ul>`
        : html`<p>Only an ID token was asked for: the app knows who you are and holds no access token.</p>`}
      <h2>ID token claims (verified)</h2>
      <pre tabindex="0"><code>${JSON.stringify(session.claims, null, 2)}</code></pre>
      <p><a href="${loginUrl}">Sign in again</a></p>`,
  );
}

/** A demo app's page for a sign-in that did not complete. */
export function webAppFailurePage(input: {appName: string; loginUrl: string; error: string}) {
  return layout(
    input.appName,
    html`<h1>Sign-in failed</h1>
      ${intro(input.appName)}
      <p class="alert" role="alert">${input.error}</p>
      <p><a href="${input.loginUrl}">Start the sign-in again</a></p>`,
  );
}
