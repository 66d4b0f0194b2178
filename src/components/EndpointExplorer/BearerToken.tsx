import React, {useId, type ReactNode} from 'react';
import {TokenChoice} from './fields';
import type {HeldToken} from './tokens';
import styles from './styles.module.css';

interface Props {
  bearer: string;
  /** The scopes the operation's access token needs. */
  scopes: string[];
  /** The access tokens obtained here or by this tab's walkthroughs. */
  tokens: HeldToken[];
  onChange: (bearer: string) => void;
}

/** The access token a protected operation is called with. */
export default function BearerToken({bearer, scopes, tokens, onChange}: Props): ReactNode {
  const id = useId();
  return (
    <fieldset className={styles.group}>
      <legend>Bearer token</legend>
      <div className={styles.field}>
        <label htmlFor={`${id}-bearer`} className={styles.label}>
          Access token
        </label>
        <input
          id={`${id}-bearer`}
          value={bearer}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
        <p className={styles.hint}>
          Sent as <code>Authorization: Bearer</code> (RFC 6750 §2.1). This operation needs the{' '}
          <code>{scopes.join(' ')}</code> scope. Leave it empty to see the challenge.
        </p>
        <TokenChoice
          label="Use an access token obtained here"
          tokens={tokens}
          onChoose={(token) => onChange(token.value)}
        />
      </div>
    </fieldset>
  );
}
