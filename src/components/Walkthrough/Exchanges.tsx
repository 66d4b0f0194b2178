import React, {type ReactNode} from 'react';
import HttpExchange from '../HttpExchange';
import type {HttpExchangeRecord, Retarget} from '../HttpExchange/exchange';
import styles from './styles.module.css';

/**
 * A step's HTTP exchanges. Those of the latest step (or of a failure) are shown open; earlier steps
 * fold theirs behind a one-line summary, so a finished walkthrough stays a readable length.
 */
export function Exchanges({
  exchanges,
  stepNumber,
  copyable,
  curlTarget,
  open = true,
}: {
  exchanges: HttpExchangeRecord[];
  stepNumber: number;
  copyable: boolean;
  curlTarget?: Retarget;
  open?: boolean;
}): ReactNode {
  if (exchanges.length === 0) return null;
  const summary = exchanges
    .map(
      ({request, response}) =>
        `${request.method} ${new URL(request.url).pathname} → ${response?.status ?? 'no response'}`,
    )
    .join(', ');
  return (
    <details className={styles.exchanges} open={open}>
      <summary>
        HTTP {exchanges.length === 1 ? 'exchange' : `exchanges (${exchanges.length})`}: {summary}
      </summary>
      {exchanges.map((exchange, index) => (
        <HttpExchange
          key={index}
          exchange={exchange}
          // Unique across the page: every exchange is a named region.
          title={`Step ${stepNumber}, HTTP exchange ${index + 1} of ${exchanges.length}: ${exchange.request.method} ${new URL(exchange.request.url).pathname}`}
          copyable={copyable}
          curlTarget={curlTarget}
        />
      ))}
    </details>
  );
}
