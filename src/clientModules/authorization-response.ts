/**
 * Takes an authorization response out of the address bar of a page that no walkthrough waits for.
 * A code, state or error in a docs page's URL would otherwise stay in history and travel in the
 * Referer of every request the page makes (RFC 9700 §4.2.4). Runs before the page hydrates. A
 * walkthrough that left this page for the authorization server reads the response itself and then
 * cleans the URL (components/Walkthrough), so its page is left alone. Small on purpose: it is part of
 * every page's first load. The trust model it belongs to: docs/concepts/trust-model.mdx.
 */
import ExecutionEnvironment from '@docusaurus/ExecutionEnvironment';
import {isAwaitedAt} from '@site/src/walkthroughs/engine/storage';

/** RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207 §2: what an authorization server puts in the query. */
const RESPONSE_PARAMETERS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri'];

if (ExecutionEnvironment.canUseDOM) {
  const url = new URL(window.location.href);
  if (RESPONSE_PARAMETERS.some((name) => url.searchParams.has(name)) && !isAwaitedAt(url.pathname)) {
    for (const name of RESPONSE_PARAMETERS) url.searchParams.delete(name);
    window.history.replaceState(window.history.state, '', url.href);
  }
}
