import React, {useMemo, type ReactNode} from 'react';
import BearerToken from './BearerToken';
import ClientAuthentication from './ClientAuthentication';
import EndpointChoice from './EndpointChoice';
import NameValueList from './NameValueList';
import Parameters from './Parameters';
import RequestActions from './RequestActions';
import ShareLink from './ShareLink';
import {fieldsFor, opensInBrowser, type ExplorerOperation} from './model';
import type {Action} from './reducer';
import {buildRequest, type ExplorerState} from './request';
import type {HeldToken} from './tokens';
import styles from './styles.module.css';
import type {World} from './world';

interface Props {
  world: World;
  form: ExplorerState;
  operation?: ExplorerOperation;
  /** The tokens offered wherever a token goes. */
  tokens: HeldToken[];
  sending: boolean;
  shareUrl?: string;
  dispatch: (action: Action) => void;
  onChoose: (id: string, grant?: string) => void;
  onSend: () => void;
  onOpen: () => void;
}

/**
 * The form for one operation: endpoint and grant, client or bearer token, parameters, extras, and what
 * to do with it.
 */
export default function OperationForm(props: Props): ReactNode {
  const {world, form, operation, tokens, sending, shareUrl, dispatch, onChoose, onSend, onOpen} = props;
  const fields = useMemo(() => (operation ? fieldsFor(operation, form.grant) : []), [operation, form.grant]);
  const edit = (patch: Partial<ExplorerState>) => dispatch({type: 'edit', patch});
  const request = operation ? buildRequest(operation, form, world.issuer) : undefined;
  return (
    <div className={styles.form}>
      <EndpointChoice
        operations={world.operations}
        chosen={form.operation}
        {...(operation ? {operation} : {})}
        grant={form.grant}
        onChoose={onChoose}
      />
      {operation && (
        <>
          {operation.auth === 'client' && (
            <ClientAuthentication
              form={form}
              catalog={world.catalog}
              ownProvider={world.provider !== undefined}
              onChange={edit}
              onClient={(clientId) => dispatch({type: 'client', clientId})}
            />
          )}
          {operation.auth === 'bearer' && (
            <BearerToken
              bearer={form.bearer}
              scopes={operation.scopes}
              tokens={tokens.filter((token) => token.kind === 'access_token')}
              onChange={(bearer) => edit({bearer})}
            />
          )}
          <Parameters
            operation={operation}
            fields={fields}
            form={form}
            tokens={tokens}
            onValue={(name, value) => dispatch({type: 'value', name, value})}
            onToken={(field, token) => dispatch({type: 'token', field, token})}
            onJsonBody={(jsonBody) => edit({jsonBody})}
          />
          <details className={styles.more}>
            <summary>Custom parameters and headers</summary>
            <NameValueList
              legend="Extra parameters"
              items={form.extraParameters}
              onChange={(items) => edit({extraParameters: items})}
              namePlaceholder="name"
            />
            <NameValueList
              legend="Extra headers"
              items={form.extraHeaders}
              onChange={(items) => edit({extraHeaders: items})}
              namePlaceholder="Header-Name"
            />
          </details>
          <RequestActions
            {...(opensInBrowser(operation) && request ? {authorizationUrl: request.url} : {})}
            // The Service Worker answers only under the issuer's path; the Node sandbox answers at its origin.
            nodeOnly={form.target === 'browser' && operation.server !== undefined}
            sending={sending}
            onOpen={onOpen}
            onSend={onSend}
          />
          {shareUrl && <ShareLink url={shareUrl} />}
        </>
      )}
    </div>
  );
}
