import React, {useState, type ReactNode} from 'react';
import clsx from 'clsx';
import CodeBlock from '@theme/CodeBlock';
import {describeParameter} from './parameters';
import {
  breakDownUrl,
  carriesIssuedCredential,
  formFields,
  prettyBody,
  toCurl,
  toFetch,
  type HeaderList,
  type HttpExchangeRecord,
  type Retarget,
} from './exchange';
import styles from './styles.module.css';

export type {HttpExchangeRecord, Retarget} from './exchange';

export interface HttpExchangeProps {
  exchange: HttpExchangeRecord;
  /** A short caption, e.g. "Token request". */
  title?: string;
  /**
   * Offer "Copy as curl" / "Copy as fetch" (back-channel requests only).
   * curl commands are rewritten with `curlTarget` to reach another server.
   */
  copyable?: boolean;
  curlTarget?: Retarget;
}

function Annotation({name, value}: {name: string; value: string}): ReactNode {
  const description = describeParameter(name, value);
  if (!description) return null;
  return (
    <span className={styles.annotation}>
      {description.meaning} <span className={styles.reference}>({description.reference})</span>
    </span>
  );
}

/** A name/value list with the dictionary's meaning under each name. */
export function ParameterList({entries, label}: {entries: HeaderList; label: string}): ReactNode {
  if (entries.length === 0) return null;
  return (
    <dl className={styles.parameters} aria-label={label}>
      {entries.map(([name, value], index) => (
        <div key={`${name}-${index}`} className={styles.parameter}>
          <dt>
            <code>{name}</code>
          </dt>
          <dd>
            <code className={styles.value}>{value}</code>
            <Annotation name={name} value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function CopyButton({label, text}: {label: string; text: () => string}): ReactNode {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text());
      setStatus('copied');
    } catch {
      setStatus('failed');
    }
  }
  return (
    <>
      <button type="button" className="button button--sm button--secondary" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className={styles.copyStatus}>
        {status === 'copied'
          ? 'Copied.'
          : status === 'failed'
            ? 'The clipboard is unavailable; use the text below.'
            : ''}
      </span>
    </>
  );
}

function Body({text, label}: {text: string; label: string}): ReactNode {
  const pretty = prettyBody(text);
  return (
    <div className={styles.body}>
      <CodeBlock language={pretty.json ? 'json' : 'text'} title={label}>
        {pretty.text || '(empty)'}
      </CodeBlock>
    </div>
  );
}

function statusClass(status: number): string {
  return status < 300 ? styles.ok : status < 400 ? styles.redirect : styles.error;
}

/**
 * One HTTP request and its response, with query parameters, form fields and
 * headers broken out and explained, and the request offered as curl or fetch.
 */
export default function HttpExchange({exchange, title, copyable = false, curlTarget}: HttpExchangeProps): ReactNode {
  const {request, response} = exchange;
  const {address, parameters} = breakDownUrl(request.url);
  const fields = formFields(request.headers, request.body);
  return (
    <section className={styles.exchange} aria-label={title ?? `${request.method} ${address}`}>
      {title && <p className={styles.title}>{title}</p>}
      <div className={styles.requestLine}>
        <span className={styles.method}>{request.method}</span> <code className={styles.value}>{address}</code>
      </div>
      <ParameterList entries={parameters} label="Query parameters" />
      <details className={styles.details}>
        <summary>Request headers ({request.headers.length})</summary>
        <ParameterList entries={request.headers} label="Request headers" />
      </details>
      {fields ? (
        <>
          <p className={styles.subheading}>Form body</p>
          <ParameterList entries={fields} label="Form body" />
        </>
      ) : (
        request.body !== undefined && <Body text={request.body} label="Request body" />
      )}
      {response ? (
        <>
          <div className={styles.responseLine}>
            <span className={clsx(styles.status, statusClass(response.status))}>
              {response.status} {response.statusText}
            </span>
            <span className={styles.duration}>{exchange.durationMs} ms</span>
          </div>
          <details className={styles.details}>
            <summary>Response headers ({response.headers.length})</summary>
            <ParameterList entries={response.headers} label="Response headers" />
          </details>
          <Body text={response.body} label="Response body" />
        </>
      ) : (
        <p className={styles.failure}>No response: {exchange.failure ?? 'the request did not complete.'}</p>
      )}
      {copyable && (
        <div className={styles.copy}>
          <CopyButton label="Copy as curl" text={() => toCurl(request, curlTarget)} />
          <CopyButton label="Copy as fetch" text={() => toFetch(request)} />
          {curlTarget && carriesIssuedCredential(request) && (
            <p className={styles.copyNote}>
              The curl command goes to <code>npm run sandbox</code>, a sandbox of its own: the token or code in it was
              issued by this page&apos;s sandbox and is refused there (<code>invalid_token</code>,{' '}
              <code>invalid_grant</code>). Get a fresh one from that sandbox first, then put it in.
            </p>
          )}
          <details className={styles.details}>
            <summary>Show as curl and fetch</summary>
            <CodeBlock language="bash" title="curl (against npm run sandbox)">
              {toCurl(request, curlTarget)}
            </CodeBlock>
            <CodeBlock language="js" title="fetch (in this page's console)">
              {toFetch(request)}
            </CodeBlock>
          </details>
        </div>
      )}
    </section>
  );
}
