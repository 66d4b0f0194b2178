import React, {type ReactNode} from 'react';
import Link from '@docusaurus/Link';
import useBaseUrl from '@docusaurus/useBaseUrl';
import styles from './styles.module.css';

/** The Node sandbox's default issuer (`npm run sandbox`, README). */
const NODE_SANDBOX_ISSUER = 'http://localhost:4000/sandbox';

/**
 * Whether this browser can run the sandbox at all: it needs a Service Worker, which private windows of
 * some browsers, a policy or `dom.serviceWorkers.enabled=false`, and old browsers do not offer. Known
 * at once, without loading the walkthrough.
 */
export function serviceWorkersAvailable(): boolean {
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator && navigator.serviceWorker !== undefined;
}

/** What a reader whose browser cannot run the sandbox can do instead. */
export function NoSandboxAdvice(): ReactNode {
  const pkcePage = useBaseUrl('flows/authorization-code-pkce');
  const siteUrl = new URL(useBaseUrl('/'), window.location.origin).href;
  const ownProviderLink = `${pkcePage}?${new URLSearchParams({issuer: NODE_SANDBOX_ISSUER, client_id: 'spa'})}`;
  return (
    <ul>
      <li>
        Open this page in a normal window (not a private one) of a current Chrome, Edge, Firefox or Safari, with Service
        Workers allowed.
      </li>
      <li>
        Run the sandbox on your machine instead: in a clone of this site,{' '}
        <code>npm run sandbox -- --site-url {siteUrl}</code>, then{' '}
        <Link to={ownProviderLink}>run the PKCE walkthrough against it</Link> (the form &ldquo;Run it against your own
        provider&rdquo; on that page, with the issuer <code>{NODE_SANDBOX_ISSUER}</code> and the client <code>spa</code>
        ).
      </li>
      <li>
        Read the requests and responses of a real run, one by one, on{' '}
        <Link to={useBaseUrl('flows/authorization-code-pkce-requests')}>PKCE, request by request</Link>.
      </li>
    </ul>
  );
}

/** Shown in the walkthrough's own place, from the start, when this browser has no Service Worker. */
export default function NoSandbox({title}: {title: string}): ReactNode {
  return (
    <section className={styles.placeholder} aria-label={title}>
      <div role="alert">
        <p>
          <strong>This browser cannot run the live sandbox.</strong> The walkthrough runs its authorization server in a
          Service Worker, and Service Workers are off or missing here (a private window, a browser policy, or an older
          browser). The guide itself reads the same. What you can do:
        </p>
        <NoSandboxAdvice />
      </div>
    </section>
  );
}
