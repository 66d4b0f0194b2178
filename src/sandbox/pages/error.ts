import {html} from 'hono/html';
import {layout, type BackLink} from './layout';

/**
 * The error page for requests the sandbox must not redirect: an unknown client or an unregistered
 * redirect URI (RFC 6749 §4.1.2.1), or an expired login/consent step.
 */
export function errorPage(input: {error: string; description: string; back: BackLink[]}) {
  return layout(
    'Request rejected',
    html`<h1>The authorization request was rejected</h1>
      <p class="alert" role="alert"><code>${input.error}</code>: ${input.description}</p>
      <p>
        The sandbox did not send you back to the application, because it could not confirm where it is safe to send you.
      </p>`,
    undefined,
    input.back,
  );
}
