/** Small views several step kinds share. */
import React, {type ReactNode} from 'react';
import type {CatalogUser} from '@site/src/contract/catalog';
import styles from './styles.module.css';

/** Named values, each with a line on why it matters. */
export function ValueList({
  label,
  values,
}: {
  label: string;
  values: Array<[name: string, value: string, why?: string]>;
}): ReactNode {
  return (
    <dl className={styles.values} aria-label={label}>
      {values.map(([name, value, why]) => (
        <div key={name} className={styles.value}>
          <dt>
            <code>{name}</code>
          </dt>
          <dd>
            <code className={styles.wrap}>{value}</code>
            {why && <span className={styles.valueWhy}>{why}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The demo users' credentials, before a step that leaves for the sign-in page. */
export function DemoUsers({users, then}: {users: CatalogUser[]; then: string}): ReactNode {
  return (
    <p className={styles.note}>
      Sign in as one of the demo users:{' '}
      {users.map((user, index) => (
        <React.Fragment key={user.username}>
          {index > 0 && ' or '}
          <code>{user.username}</code> / <code>{user.password}</code>
        </React.Fragment>
      ))}
      . {then}
    </p>
  );
}
