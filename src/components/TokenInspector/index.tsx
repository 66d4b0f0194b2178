import React, {useEffect, useState, type ReactNode} from 'react';
import clsx from 'clsx';
import type {JSONWebKeySet} from 'jose';
import {
  checkAtHash,
  checkClaims,
  checkSignature,
  decodeToken,
  describeTime,
  type Check,
  type TokenExpectations,
  type TokenKind,
} from './checks';
import styles from './styles.module.css';

export type {TokenExpectations, TokenKind} from './checks';

export interface TokenInspectorProps {
  token: string;
  kind: TokenKind;
  /** Heading text, e.g. "ID token". */
  label: string;
  expectations: TokenExpectations;
  /** The issuer's key set, already fetched; or `jwksUri` to fetch it from. */
  jwks?: JSONWebKeySet;
  jwksUri?: string;
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

const KIND_NOTES: Record<TokenKind, string> = {
  id_token: 'Tells this app who signed in. Never send it to an API.',
  access_token:
    'For the API named in aud. The app may read it here to learn; production apps should treat it as opaque.',
  refresh_token: 'Lets the app get new access tokens. Keep it secret; here it rotates on every use.',
};

function ClaimValue({name, value, now}: {name: string; value: unknown; now: number}): ReactNode {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') {
    const time = describeTime(value, now);
    return (
      <>
        <code>{value}</code>{' '}
        <span className={styles.time}>
          ({time.relative}, {time.iso})
        </span>
      </>
    );
  }
  return <code className={styles.wrap}>{typeof value === 'string' ? value : JSON.stringify(value)}</code>;
}

function ClaimTable({
  caption,
  values,
  now,
}: {
  caption: string;
  values: Record<string, unknown>;
  now: number;
}): ReactNode {
  return (
    <div className={styles.scroll}>
      <table className={styles.table}>
        <caption>{caption}</caption>
        <tbody>
          {Object.entries(values).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td>
                <ClaimValue name={name} value={value} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STATUS_TEXT: Record<Check['status'] | 'pending', string> = {
  passed: 'Passed',
  failed: 'Failed',
  skipped: 'Skipped',
  pending: 'Checking…',
};

function useChecks(props: TokenInspectorProps, now: number): {checks: Check[]; signature: Check | 'pending'} {
  const {token, kind, expectations, jwks, jwksUri} = props;
  const decoded = decodeToken(token);
  const claimChecks = decoded ? checkClaims(kind, decoded, expectations, Math.floor(now / 1000)) : [];
  const [signature, setSignature] = useState<Check | 'pending'>('pending');
  const [atHash, setAtHash] = useState<Check | undefined>();
  const accessToken = expectations.accessToken;

  useEffect(() => {
    let current = true;
    async function run() {
      if (!decodeToken(token)) return;
      let keys = jwks;
      if (!keys && jwksUri) {
        const response = await fetch(jwksUri);
        keys = (await response.json()) as JSONWebKeySet;
      }
      const verdict: Check = keys
        ? await checkSignature(token, keys)
        : {id: 'signature', label: 'Signature', status: 'skipped', reason: 'No key set to verify against.'};
      if (current) setSignature(verdict);
    }
    run().catch((error: unknown) => {
      if (current)
        setSignature({
          id: 'signature',
          label: 'Signature',
          status: 'failed',
          reason: `Could not get the key set: ${String(error)}`,
        });
    });
    return () => {
      current = false;
    };
  }, [token, jwks, jwksUri]);

  useEffect(() => {
    let current = true;
    const decodedToken = decodeToken(token);
    if (kind !== 'id_token' || !decodedToken || !accessToken) return;
    checkAtHash(decodedToken, accessToken)
      .then((verdict) => current && setAtHash(verdict))
      .catch(
        (error: unknown) =>
          current &&
          setAtHash({id: 'at_hash', label: 'Access token hash (at_hash)', status: 'failed', reason: String(error)}),
      );
    return () => {
      current = false;
    };
  }, [token, kind, accessToken]);

  return {checks: atHash ? [...claimChecks, atHash] : claimChecks, signature};
}

/**
 * Shows a token decoded, with the checks a client makes on it and their
 * verdicts. Opaque tokens are labelled as such: only their issuer can read them.
 */
export default function TokenInspector(props: TokenInspectorProps): ReactNode {
  const {token, kind, label} = props;
  const [now] = useState(() => Date.now());
  const decoded = decodeToken(token);
  const {checks, signature} = useChecks(props, now);
  const rows: Array<Check | {id: 'signature'; label: string; status: 'pending'; reason: string}> = [
    signature === 'pending'
      ? {id: 'signature', label: 'Signature', status: 'pending', reason: "Verifying against the issuer's JWKS…"}
      : signature,
    ...checks,
  ];

  return (
    <section className={styles.inspector} aria-label={label}>
      <p className={styles.label}>{label}</p>
      <p className={styles.note}>{KIND_NOTES[kind]}</p>
      <details className={styles.raw}>
        <summary>Encoded token ({token.length} characters)</summary>
        <code className={styles.wrap}>{token}</code>
      </details>
      {decoded ? (
        <>
          <ClaimTable caption="Header" values={decoded.header} now={now} />
          <ClaimTable caption="Claims" values={decoded.claims} now={now} />
          <div className={styles.scroll}>
            <table className={styles.table}>
              <caption>Checks</caption>
              <colgroup>
                <col className={styles.checkColumn} />
                <col className={styles.resultColumn} />
                <col />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Result</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">{row.label}</th>
                    <td>
                      <span className={clsx(styles.verdict, styles[row.status])}>{STATUS_TEXT[row.status]}</span>
                    </td>
                    <td className={styles.wrap}>{row.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className={styles.opaque}>
          <strong>Opaque token.</strong> Not a JWT: it carries no readable claims, and only the authorization server
          that issued it can interpret it.
        </p>
      )}
    </section>
  );
}
