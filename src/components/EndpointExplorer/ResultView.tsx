import React, {type ReactNode} from 'react';
import HttpExchange from '../HttpExchange';
import {toNodeSandbox} from '../HttpExchange/exchange';
import TokenInspector from '../TokenInspector';
import {adviceFor} from '../../walkthroughs/engine/errors';
import RefusalBox from './RefusalBox';
import type {Target} from './request';
import type {Result} from './result';
import type {HeldToken} from './tokens';
import styles from './styles.module.css';
import {ownProviderContext, siteUrl} from './world';

const LABELS: Record<HeldToken['kind'], string> = {
  access_token: 'Access token',
  id_token: 'ID token',
  refresh_token: 'Refresh token',
};

interface Props {
  result: Result;
  target: Target;
  /** The Node sandbox's issuer, which a copied curl of a browser request is aimed at. */
  nodeIssuer: string;
}

/** A sent request: why it was refused or got no answer, the raw exchange, and its tokens decoded and verified. */
export default function ResultView({result, target, nodeIssuer}: Props): ReactNode {
  const failure = result.exchange.failure;
  return (
    <div className={styles.result} aria-live="polite">
      {result.refusal && <RefusalBox refusal={result.refusal} />}
      {failure && target === 'provider' && (
        <div role="alert" className={styles.refusal}>
          <p>{adviceFor({message: failure, network: true}, ownProviderContext(result.issuer)).explanation}</p>
        </div>
      )}
      {failure && target === 'node' && (
        <div role="alert" className={styles.refusal}>
          <p>
            No answer from {result.issuer}. Is the Node sandbox running? Start it with{' '}
            <code>npm run sandbox -- --site-url {siteUrl()}</code> so it allows this page&apos;s origin.
          </p>
        </div>
      )}
      <HttpExchange
        exchange={result.exchange}
        title="Request and response"
        copyable
        {...(target === 'browser' ? {curlTarget: toNodeSandbox(result.issuer, nodeIssuer)} : {})}
      />
      {result.tokens
        // A refresh token is shown when it is a JWT; an opaque one has nothing to decode.
        .filter((token) => token.kind !== 'refresh_token' || token.value.split('.').length === 3)
        .map((token) => (
          <TokenInspector
            key={token.value}
            token={token.value}
            kind={token.kind}
            label={LABELS[token.kind]}
            expectations={{
              issuer: result.issuer,
              ...(token.kind === 'id_token'
                ? {audience: result.clientId}
                : result.audience
                  ? {audience: result.audience}
                  : {}),
              clientId: result.clientId,
            }}
            jwksUri={result.jwksUri}
          />
        ))}
      {result.tokens.length > 0 && (
        <p className={styles.hint}>
          These tokens are now offered wherever a token goes: as the bearer token of UserInfo and the APIs, and as the
          token to refresh, revoke or introspect.
        </p>
      )}
    </div>
  );
}
