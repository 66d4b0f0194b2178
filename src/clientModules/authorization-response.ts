/**
 * Takes an authorization response, in the query or in the fragment, out of the address bar of a page
 * that no walkthrough waits for. A code, token, state or error in a docs page's URL would otherwise stay in history and travel in the
 * Referer of every request the page makes (RFC 9700 §4.2.4). Runs before the page hydrates. A
 * walkthrough or the endpoint explorer that left this page for the authorization server reads the
 * response itself and then cleans the URL (components/Walkthrough, EndpointExplorer/authorization.ts),
 * so its page is left alone. Small on purpose: it is part of
 * every page's first load. The trust model it belongs to: docs/concepts/trust-model.mdx.
 */
import ExecutionEnvironment from '@docusaurus/ExecutionEnvironment';
import {isAwaitedAt} from '@site/src/walkthroughs/engine/storage';
import {explorerAwaitsAt} from '@site/src/components/EndpointExplorer/storage-keys';

/** RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207 §2: what an authorization server puts in the query. */
const RESPONSE_PARAMETERS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri'];
/** RFC 6749 §4.2.2, OIDC Core §3.2.2.5: what a response in the fragment carries besides those. */
const FRAGMENT_PARAMETERS = [...RESPONSE_PARAMETERS, 'access_token', 'token_type', 'expires_in', 'scope', 'id_token'];

if (ExecutionEnvironment.canUseDOM) {
  const url = new URL(window.location.href);
  const inQuery = RESPONSE_PARAMETERS.some((name) => url.searchParams.has(name));
  // A fragment response is the whole fragment; an ordinary `#section` anchor is left alone.
  const fragment = new URLSearchParams(url.hash.slice(1));
  const inFragment = FRAGMENT_PARAMETERS.some((name) => fragment.has(name));
  if ((inQuery || inFragment) && !isAwaitedAt(url.pathname) && !explorerAwaitsAt(url.pathname)) {
    for (const name of RESPONSE_PARAMETERS) url.searchParams.delete(name);
    if (inFragment) url.hash = '';
    window.history.replaceState(window.history.state, '', url.href);
  }
}
