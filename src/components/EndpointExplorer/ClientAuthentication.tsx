import React, {useId, type ReactNode} from 'react';
import type {Catalog} from '../../lib/sandbox';
import type {ClientAuthMethod, ExplorerState} from './request';
import styles from './styles.module.css';

const METHODS: ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];

interface Props {
  form: ExplorerState;
  catalog: Catalog;
  /** The reader's own provider: its client is typed in, not chosen from the sandbox's catalog. */
  ownProvider: boolean;
  onChange: (patch: Partial<ExplorerState>) => void;
  onClient: (clientId: string) => void;
}

/** The client and how it authenticates at the token, revocation and introspection endpoints (RFC 6749 §2.3). */
export default function ClientAuthentication({form, catalog, ownProvider, onChange, onClient}: Props): ReactNode {
  const id = useId();
  const chosenClient = catalog.clients.find((client) => client.client_id === form.clientId);
  return (
    <fieldset className={styles.group}>
      <legend>Client authentication</legend>
      <div className={styles.field}>
        <label htmlFor={`${id}-client`} className={styles.label}>
          Client
        </label>
        {ownProvider ? (
          <input
            id={`${id}-client`}
            value={form.clientId}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => onChange({clientId: event.target.value})}
          />
        ) : (
          <select id={`${id}-client`} value={form.clientId} onChange={(event) => onClient(event.target.value)}>
            {catalog.clients.map((client) => (
              <option key={client.client_id} value={client.client_id}>
                {client.client_id} ({client.type}, {client.token_endpoint_auth_method})
              </option>
            ))}
          </select>
        )}
        {ownProvider && (
          <p className={styles.hint}>
            The client_id from this page&apos;s address. A public client sends nothing else (<code>none</code>); for a
            confidential client, type its secret below: it stays in this tab and never goes into the link.
          </p>
        )}
        {chosenClient && (
          <p className={styles.hint}>
            {chosenClient.client_name}: registered for <code>{chosenClient.token_endpoint_auth_method}</code>, grants{' '}
            {chosenClient.grant_types.length > 0 ? chosenClient.grant_types.join(', ') : 'none'} (RFC 7591 §2).
          </p>
        )}
      </div>
      <div role="radiogroup" aria-label="Authentication method" className={styles.methods}>
        {METHODS.map((method) => (
          <label key={method}>
            <input
              type="radio"
              name={`${id}-method`}
              checked={form.authMethod === method}
              onChange={() => onChange({authMethod: method})}
            />{' '}
            <code>{method}</code>
          </label>
        ))}
      </div>
      <p className={styles.hint}>
        Basic sends <code>client_id:client_secret</code> in the Authorization header; post sends both in the body; none
        sends only <code>client_id</code>, as a public client does (RFC 6749 §2.3.1, §3.2.1).
      </p>
      {form.authMethod !== 'none' && (
        <div className={styles.field}>
          <label htmlFor={`${id}-secret`} className={styles.label}>
            Client secret
          </label>
          <input
            id={`${id}-secret`}
            value={form.clientSecret}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => onChange({clientSecret: event.target.value})}
          />
        </div>
      )}
    </fieldset>
  );
}
