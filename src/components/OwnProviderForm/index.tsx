import React, {useEffect, useRef, useState, type ReactNode} from 'react';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import useIsBrowser from '@docusaurus/useIsBrowser';
import {useLocation} from '@docusaurus/router';
import styles from './styles.module.css';

/** Copies one value, and says so to screen readers too. */
function CopyButton({label, text}: {label: string; text: string}): ReactNode {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      setStatus('failed');
    }
  }
  return (
    <>
      <button
        type="button"
        className="button button--sm button--secondary"
        onClick={() => void copy()}
        aria-label={label}
      >
        Copy
      </button>
      <span role="status" className={styles.copyStatus}>
        {status === 'copied'
          ? 'Copied.'
          : status === 'failed'
            ? 'The clipboard is unavailable; select the text instead.'
            : ''}
      </span>
    </>
  );
}

/** A value the reader configures at their provider, with a copy button once JavaScript runs. */
function ConfigValue({name, value, copyLabel}: {name: string; value: string; copyLabel: string}): ReactNode {
  const isBrowser = useIsBrowser();
  return (
    <div className={styles.value}>
      <dt>{name}</dt>
      <dd>
        <code className={styles.code}>{value}</code>
        {isBrowser && <CopyButton label={copyLabel} text={value} />}
      </dd>
    </div>
  );
}

/**
 * "Run it against your own provider": a plain GET form to this very page that writes `issuer`,
 * `client_id`, `audience` and `scope` into its query, where the live walkthrough reads them. It works
 * without JavaScript. Beside it, the redirect URI and the origin to configure at the provider.
 */
export default function OwnProviderForm({
  walkthroughAnchor = 'try-it-live',
  submitLabel = 'Run the walkthrough against it',
}: {
  walkthroughAnchor?: string;
  submitLabel?: string;
}): ReactNode {
  const {siteConfig} = useDocusaurusContext();
  const {pathname} = useLocation();
  const isBrowser = useIsBrowser();
  // The built HTML names the site's configured address; in the browser, the one it is served from.
  const origin = isBrowser ? window.location.origin : new URL(siteConfig.url).origin;
  const redirectUri = `${origin}${pathname}`;
  const form = useRef<HTMLFormElement>(null);
  // Once the browser can read the address, the fields take the page's current settings. They are
  // written into the inputs the server rendered, rather than by rendering the form again: replacing a
  // form's DOM after hydration costs a long task on a phone (measured on this page under Lighthouse).
  useEffect(() => {
    const current = new URLSearchParams(window.location.search);
    form.current?.querySelectorAll<HTMLInputElement>('input[name]').forEach((input) => {
      const value = current.get(input.name);
      if (value !== null && input.value === '') input.value = value;
    });
  }, []);
  return (
    <div className={styles.panel}>
      <dl className={styles.values} aria-label="What to configure at your provider">
        <ConfigValue name="Redirect URI" value={redirectUri} copyLabel="Copy the redirect URI" />
        <ConfigValue name="Allowed origin (CORS)" value={origin} copyLabel="Copy the allowed origin" />
      </dl>
      <form
        ref={form}
        method="get"
        action={`${pathname}#${walkthroughAnchor}`}
        className={styles.form}
        aria-label="Your own provider"
      >
        <label className={styles.field}>
          <span>Issuer URL</span>
          <input name="issuer" type="url" required placeholder="https://your-tenant.example.com/" />
        </label>
        <label className={styles.field}>
          <span>Client ID</span>
          <input name="client_id" type="text" required autoComplete="off" spellCheck={false} />
        </label>
        <label className={styles.field}>
          <span>Audience (optional)</span>
          <input
            name="audience"
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://api.example.com/"
          />
        </label>
        <label className={styles.field}>
          <span>Scope (optional)</span>
          <input name="scope" type="text" autoComplete="off" spellCheck={false} placeholder="openid profile" />
        </label>
        <button type="submit" className="button button--primary">
          {submitLabel}
        </button>
      </form>
    </div>
  );
}
