import React, {useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode} from 'react';
import {getIssuer, sandboxReady, type Catalog} from '../../lib/sandbox';
import {createRecordingFetch, type HttpExchangeRecord} from '../../lib/http-exchange';
import HttpExchange from '../HttpExchange';
import {toNodeSandbox} from '../HttpExchange/exchange';
import TokenInspector from '../TokenInspector';
import {createAuthorizationSecrets, pendingReturn, readAuthorizationReturn, savePending, type AuthorizationReturn} from './authorization';
import {FieldRow, Markdown, TokenChoice} from './fields';
import {GROUPS, explorerOperations, fieldsFor, grantsOf, variantOf, type ExplorerOperation, type OpenApiDocument} from './model';
import {authMethodOf, prefill} from './prefill';
import {refusalOf, type Refusal} from './refusal';
import {buildRequest, emptyState, fromFragment, toFragment, type ClientAuthMethod, type ExplorerState, type NameValue, type SharedState} from './request';
import {addTokens, latestToken, loadTokens, saveTokens, tokensFromExchanges, tokensFromResponse, type HeldToken} from './tokens';
import {savedExchanges} from '../../walkthroughs/engine/saved-exchanges';
import {describeError} from '../../walkthroughs/engine/errors';
import styles from './styles.module.css';

interface World {
  issuer: string;
  document: OpenApiDocument;
  operations: ExplorerOperation[];
  catalog: Catalog;
}

type Loading = {status: 'loading'} | {status: 'ready'; world: World} | {status: 'failed'; message: string};

interface Result {
  exchange: HttpExchangeRecord;
  refusal?: Refusal;
  tokens: HeldToken[];
  /** What the inspector expects of the tokens (RFC 9068 §4, OIDC Core §3.1.3.7). */
  audience?: string;
  clientId: string;
  issuer: string;
}

/** The site's address, which `npm run sandbox -- --site-url` must name so CORS lets this page in. */
function siteUrl(): string {
  return getIssuer().replace(/sandbox$/, '');
}

function pageUrl(): string {
  const url = new URL(window.location.href);
  url.search = '';
  url.hash = '';
  return url.href;
}

async function loadWorld(target: ExplorerState['target'], nodeIssuer: string): Promise<World> {
  let issuer: string;
  if (target === 'browser') {
    issuer = (await sandboxReady()).issuer;
  } else {
    issuer = nodeIssuer.replace(/\/+$/, '');
  }
  const get = async (path: string) => {
    const response = await fetch(`${issuer}${path}`, {cache: 'no-store'});
    if (!response.ok) throw new Error(`${issuer}${path} answered HTTP ${response.status}.`);
    return response.json() as Promise<unknown>;
  };
  // The description is the one source of the forms (GET {issuer}/openapi.json); the catalog pre-fills them.
  const [document, catalog] = (await Promise.all([get('/openapi.json'), get('/catalog')])) as [OpenApiDocument, Catalog];
  return {issuer, document, operations: explorerOperations(document), catalog};
}

function applyShared(state: ExplorerState, shared: SharedState, world: World): ExplorerState {
  const client = world.catalog.clients.find((candidate) => candidate.client_id === shared.clientId);
  return {
    ...state,
    ...(client ? {clientId: client.client_id, clientSecret: client.client_secret ?? '', authMethod: authMethodOf(client)} : {}),
    ...(shared.authMethod ? {authMethod: shared.authMethod} : {}),
    values: {...state.values, ...shared.values},
    extraParameters: shared.extraParameters,
    extraHeaders: shared.extraHeaders,
    ...(shared.jsonBody !== undefined ? {jsonBody: shared.jsonBody} : {}),
  };
}

function NameValueList({legend, items, onChange, namePlaceholder}: {legend: string; items: NameValue[]; onChange: (items: NameValue[]) => void; namePlaceholder: string}): ReactNode {
  const id = useId();
  const update = (index: number, patch: Partial<NameValue>) => onChange(items.map((item, at) => (at === index ? {...item, ...patch} : item)));
  return (
    <fieldset className={styles.extras}>
      <legend>{legend}</legend>
      {items.map((item, index) => (
        <div key={index} className={styles.extraRow}>
          <label htmlFor={`${id}-name-${index}`} className={styles.extraLabel}>
            {legend.replace(/s$/, '')} {index + 1} name
          </label>
          <input id={`${id}-name-${index}`} value={item.name} placeholder={namePlaceholder} onChange={(event) => update(index, {name: event.target.value})} />
          <label htmlFor={`${id}-value-${index}`} className={styles.extraLabel}>
            {legend.replace(/s$/, '')} {index + 1} value
          </label>
          <input id={`${id}-value-${index}`} value={item.value} onChange={(event) => update(index, {value: event.target.value})} />
          <button type="button" className="button button--sm button--secondary" onClick={() => onChange(items.filter((_, at) => at !== index))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button button--sm button--secondary" onClick={() => onChange([...items, {name: '', value: ''}])}>
        Add {legend.toLowerCase().replace(/s$/, '')}
      </button>
    </fieldset>
  );
}

function RefusalBox({refusal}: {refusal: Refusal}): ReactNode {
  return (
    <div role="alert" className={styles.refusal}>
      <p className={styles.refusalTitle}>
        Refused: HTTP {refusal.status}
        {refusal.error ? (
          <>
            , <code>{refusal.error}</code>
          </>
        ) : null}
      </p>
      <p>{refusal.explanation}</p>
      {refusal.errorDescription && (
        <p>
          The server says: <q>{refusal.errorDescription}</q>
        </p>
      )}
    </div>
  );
}

/**
 * The endpoint explorer: pick any operation of the sandbox's OpenAPI description, fill in its
 * parameters (pre-filled from the catalog), send it to the in-browser or the Node sandbox, and read the
 * raw exchange with its tokens decoded and verified.
 */
export default function Explorer(): ReactNode {
  const [shared] = useState(() => fromFragment(window.location.hash));
  // Coming back from a sign-in started against the Node sandbox: the code is redeemed there.
  const [pending] = useState(() => pendingReturn());
  const [state, setState] = useState<ExplorerState>(() => ({
    ...emptyState(shared?.operation ?? ''),
    ...(shared?.target ? {target: shared.target} : {}),
    ...(shared?.nodeIssuer ? {nodeIssuer: shared.nodeIssuer} : {}),
    ...(pending ? {target: pending.target, nodeIssuer: pending.nodeIssuer} : {}),
  }));
  const [connection, setConnection] = useState({target: state.target, nodeIssuer: state.nodeIssuer, attempt: 0});
  const [loading, setLoading] = useState<Loading>({status: 'loading'});
  const [held, setHeld] = useState<HeldToken[]>(() => loadTokens());
  const [result, setResult] = useState<Result | undefined>();
  const [sending, setSending] = useState(false);
  const [notice, setNotice] = useState<ReactNode>();
  const [codeVerifier, setCodeVerifier] = useState('');
  const restored = useRef(false);
  const returning = useRef<Promise<AuthorizationReturn | undefined> | undefined>(undefined);
  const root = useRef<HTMLElement>(null);
  const ids = useId();

  const world = loading.status === 'ready' ? loading.world : undefined;
  const operation = world?.operations.find((candidate) => candidate.id === state.operation);

  // The explorer's own tokens first, then those the walkthroughs of this tab obtained from the same issuer.
  const offered = useMemo(() => (world ? [...held.filter((token) => token.issuer === world.issuer), ...tokensFromExchanges(savedExchanges(), world.issuer)] : []), [held, world]);
  const latest = useCallback(
    (kind: HeldToken['kind'], filter: {audience?: string; scope?: string} = {}) => (world ? latestToken(offered, kind, {issuer: world.issuer, ...filter}) : undefined),
    [offered, world],
  );

  // Connect to the chosen sandbox: its description and catalog.
  useEffect(() => {
    let current = true;
    setLoading({status: 'loading'});
    loadWorld(connection.target, connection.nodeIssuer).then(
      (loaded) => current && setLoading({status: 'ready', world: loaded}),
      (error: unknown) => {
        if (!current) return;
        const reason = describeError(error).message;
        setLoading({
          status: 'failed',
          message:
            connection.target === 'node'
              ? `Could not reach the Node sandbox at ${connection.nodeIssuer} (${reason}). Start it from a checkout of this site with "npm run sandbox -- --site-url ${siteUrl()}", so that it answers and allows this page's origin, then connect again.`
              : `The sandbox in this browser is unavailable: ${reason}`,
        });
      },
    );
    return () => {
      current = false;
    };
  }, [connection]);

  // Once connected: restore a shared request, or take the code the browser came back with, or start with discovery.
  useEffect(() => {
    if (!world) return;
    const choose = (id: string, grant?: string): ExplorerState | undefined => {
      const chosen = world.operations.find((candidate) => candidate.id === id);
      if (!chosen) return undefined;
      const grants = grantsOf(chosen);
      const picked = grant && grants.includes(grant) ? grant : (grants[0] ?? '');
      return prefill(chosen, picked, state, {catalog: world.catalog, pageUrl: pageUrl(), latest});
    };
    if (!restored.current) {
      restored.current = true;
      returning.current = readAuthorizationReturn();
      void returning.current.then((back) => {
        if (back) {
          const next = choose('postToken', 'authorization_code');
          if (back.ok && next) {
            setState({...next, clientId: back.pending.clientId, authMethod: 'none', clientSecret: '', values: {...next.values, code: back.code, code_verifier: back.pending.codeVerifier, redirect_uri: back.pending.redirectUri}});
            setNotice('Back from the sign-in page with an authorization code, checked for state and iss. Send the token request below to exchange it, with the PKCE code_verifier this tab kept.');
          } else if (!back.ok) {
            const described = describeError(back.error);
            setNotice(`The authorization request came back without a code: ${described.error ? `${described.error}. ` : ''}${described.errorDescription ?? described.message}`);
            if (next) setState(next);
          }
          root.current?.scrollIntoView();
          return;
        }
        const initial = (shared && choose(shared.operation, shared.grant)) ?? choose(world.operations[0]?.id ?? '');
        if (initial) setState(shared ? applyShared(initial, shared, world) : initial);
        if (shared) root.current?.scrollIntoView();
      });
      return;
    }
    // A reconnect (another target): keep the operation, refill from the new catalog.
    const again = choose(state.operation, state.grant) ?? choose(world.operations[0]?.id ?? '');
    if (again) setState(again);
    setResult(undefined);
    // Runs once per connection: the form it starts from is the one on screen when the connection came up.
  }, [world]);

  // PKCE, state and nonce for an authorization request, made fresh each time the form is opened (RFC 7636 §4.1).
  // The authorization endpoint is a page the browser visits (RFC 6749 §3.1): its GET form is opened, not fetched.
  const isAuthorize = operation?.path === '/authorize';
  const opensInBrowser = isAuthorize && operation?.method === 'GET';
  useEffect(() => {
    if (!isAuthorize) return;
    let current = true;
    void createAuthorizationSecrets().then((secrets) => {
      if (!current) return;
      setCodeVerifier(secrets.pkce.verifier);
      setState((previous) => ({...previous, values: {...previous.values, code_challenge: secrets.pkce.challenge, code_challenge_method: 'S256', state: secrets.state, nonce: secrets.nonce}}));
    });
    return () => {
      current = false;
    };
  }, [isAuthorize, state.operation]);

  // The shareable part of the form lives in the fragment; secrets never do (see toFragment).
  const fragment = world && operation ? toFragment(state, operation) : undefined;
  useEffect(() => {
    if (!fragment) return;
    const url = new URL(window.location.href);
    url.hash = fragment;
    window.history.replaceState(window.history.state, '', url.href);
  }, [fragment]);

  const fields = useMemo(() => (operation ? fieldsFor(operation, state.grant) : []), [operation, state.grant]);

  if (loading.status === 'loading') {
    return (
      <section ref={root} className={styles.explorer} aria-label="Endpoint explorer">
        <p role="status">Connecting to the sandbox…</p>
      </section>
    );
  }

  function update(patch: Partial<ExplorerState>) {
    setState((previous) => ({...previous, ...patch}));
  }
  function setValue(name: string, value: string) {
    setState((previous) => ({...previous, values: {...previous.values, [name]: value}}));
  }
  function chooseOperation(id: string, grant?: string) {
    if (!world) return;
    const chosen = world.operations.find((candidate) => candidate.id === id);
    if (!chosen) return;
    const grants = grantsOf(chosen);
    const picked = grant ?? grants[0] ?? '';
    setState(prefill(chosen, picked, state, {catalog: world.catalog, pageUrl: pageUrl(), latest}));
    setResult(undefined);
  }
  function chooseClient(clientId: string) {
    const client = world?.catalog.clients.find((candidate) => candidate.client_id === clientId);
    update({clientId, clientSecret: client?.client_secret ?? '', authMethod: authMethodOf(client)});
  }
  /** Taking a token to refresh or revoke also takes the client it was issued to (RFC 6749 §6, RFC 7009 §2.1). */
  function takeToken(field: string, token: HeldToken) {
    setValue(field, token.value);
    if (field === 'refresh_token' || operation?.id === 'postRevoke') chooseClient(token.clientId);
    if (field === 'token') setValue('token_type_hint', token.kind === 'refresh_token' ? 'refresh_token' : 'access_token');
  }

  async function send() {
    if (!world || !operation) return;
    const request = buildRequest(operation, state, world.issuer);
    let exchange: HttpExchangeRecord | undefined;
    const recordingFetch = createRecordingFetch((recorded) => {
      exchange = recorded;
    });
    setSending(true);
    setResult(undefined);
    try {
      await recordingFetch(request.url, {method: request.method, headers: request.headers, ...(request.body !== undefined ? {body: request.body} : {}), cache: 'no-store'});
    } catch {
      // The recording keeps the failure; it is shown below.
    } finally {
      setSending(false);
    }
    if (!exchange) return;
    const response = exchange.response;
    let body: unknown;
    try {
      body = response ? JSON.parse(response.body) : undefined;
    } catch {
      body = undefined;
    }
    const clientId = state.clientId;
    const tokens = response && response.status < 300 && operation.id === 'postToken' ? tokensFromResponse(body, {clientId, issuer: world.issuer, obtainedAt: Date.now()}) : [];
    if (tokens.length > 0) {
      const next = addTokens(held, tokens);
      setHeld(next);
      saveTokens(next);
    }
    const refusal = response ? refusalOf(response) : undefined;
    const audience = state.values.resource || state.values.audience || undefined;
    setResult({exchange, ...(refusal ? {refusal} : {}), tokens, ...(audience ? {audience} : {}), clientId, issuer: world.issuer});
  }

  function openAuthorization() {
    if (!world || !operation) return;
    const request = buildRequest(operation, state, world.issuer);
    savePending({
      issuer: world.issuer,
      target: state.target,
      nodeIssuer: state.nodeIssuer,
      clientId: state.values.client_id ?? '',
      redirectUri: state.values.redirect_uri ?? '',
      state: state.values.state ?? '',
      codeVerifier,
    });
    window.location.assign(request.url);
  }

  const grants = operation ? grantsOf(operation) : [];
  const variant = operation ? variantOf(operation, state.grant) : undefined;
  const chosenClient = world?.catalog.clients.find((client) => client.client_id === state.clientId);
  const issuerTokens = offered;
  const request = world && operation ? buildRequest(operation, state, world.issuer) : undefined;
  const nodeOnly = state.target === 'browser' && operation?.server !== undefined;
  const shareUrl = fragment ? `${pageUrl()}${fragment}` : undefined;
  const tokenKinds: Record<string, HeldToken['kind'][]> = {
    token: ['access_token', 'refresh_token'],
    refresh_token: ['refresh_token'],
    access_token: ['access_token'],
  };

  return (
    <section ref={root} className={styles.explorer} aria-label="Endpoint explorer">
      <fieldset className={styles.target}>
        <legend>Send requests to</legend>
        <label>
          <input type="radio" name={`${ids}-target`} checked={state.target === 'browser'} onChange={() => {
            update({target: 'browser'});
            setConnection({target: 'browser', nodeIssuer: state.nodeIssuer, attempt: connection.attempt + 1});
          }} />{' '}
          The sandbox in this browser
        </label>
        <label>
          <input type="radio" name={`${ids}-target`} checked={state.target === 'node'} onChange={() => update({target: 'node'})} /> The Node sandbox on this machine
          (<code>npm run sandbox</code>)
        </label>
        {state.target === 'node' && (
          <div className={styles.nodeIssuer}>
            <label htmlFor={`${ids}-node`}>Node sandbox issuer</label>
            <input id={`${ids}-node`} type="url" value={state.nodeIssuer} onChange={(event) => update({nodeIssuer: event.target.value})} />
            <button type="button" className="button button--sm button--primary" onClick={() => setConnection({target: 'node', nodeIssuer: state.nodeIssuer, attempt: connection.attempt + 1})}>
              Connect
            </button>
          </div>
        )}
        {world && <p className={styles.connected}>Connected to <code>{world.issuer}</code>.</p>}
      </fieldset>

      {loading.status === 'failed' && (
        <div role="alert" className={styles.refusal}>
          <p>{loading.message}</p>
        </div>
      )}
      {notice && (
        <p role="status" className={styles.notice}>
          {notice}
        </p>
      )}

      {world && (
        <div className={styles.form}>
          <div className={styles.field}>
            <label htmlFor={`${ids}-operation`} className={styles.label}>
              Endpoint
            </label>
            <select id={`${ids}-operation`} value={state.operation} onChange={(event) => chooseOperation(event.target.value)}>
              {GROUPS.map((group) => (
                <optgroup key={group} label={group}>
                  {world.operations
                    .filter((candidate) => candidate.group === group)
                    .map((candidate) => (
                      <option key={candidate.id} value={candidate.id}>
                        {candidate.method} {candidate.path}: {candidate.summary}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </div>
          {operation && (
            <>
              <p className={styles.description}>
                <Markdown text={operation.description} />
              </p>
              {grants.length > 0 && (
                <div className={styles.field}>
                  <label htmlFor={`${ids}-grant`} className={styles.label}>
                    Grant type
                  </label>
                  <select id={`${ids}-grant`} value={state.grant} onChange={(event) => chooseOperation(operation.id, event.target.value)}>
                    {grants.map((grant) => (
                      <option key={grant} value={grant}>
                        {grant}
                      </option>
                    ))}
                  </select>
                  {variant && (
                    <p className={styles.hint}>
                      <Markdown text={variant.description} />
                    </p>
                  )}
                </div>
              )}

              {operation.auth === 'client' && (
                <fieldset className={styles.group}>
                  <legend>Client authentication</legend>
                  <div className={styles.field}>
                    <label htmlFor={`${ids}-client`} className={styles.label}>
                      Client
                    </label>
                    <select id={`${ids}-client`} value={state.clientId} onChange={(event) => chooseClient(event.target.value)}>
                      {world.catalog.clients.map((client) => (
                        <option key={client.client_id} value={client.client_id}>
                          {client.client_id} ({client.type}, {client.token_endpoint_auth_method})
                        </option>
                      ))}
                    </select>
                    {chosenClient && (
                      <p className={styles.hint}>
                        {chosenClient.client_name}: registered for <code>{chosenClient.token_endpoint_auth_method}</code>, grants{' '}
                        {chosenClient.grant_types.length > 0 ? chosenClient.grant_types.join(', ') : 'none'} (RFC 7591 §2).
                      </p>
                    )}
                  </div>
                  <div role="radiogroup" aria-label="Authentication method" className={styles.methods}>
                    {(['client_secret_basic', 'client_secret_post', 'none'] as ClientAuthMethod[]).map((method) => (
                      <label key={method}>
                        <input type="radio" name={`${ids}-method`} checked={state.authMethod === method} onChange={() => update({authMethod: method})} /> <code>{method}</code>
                      </label>
                    ))}
                  </div>
                  <p className={styles.hint}>
                    Basic sends <code>client_id:client_secret</code> in the Authorization header; post sends both in the body; none sends only{' '}
                    <code>client_id</code>, as a public client does (RFC 6749 §2.3.1, §3.2.1).
                  </p>
                  {state.authMethod !== 'none' && (
                    <div className={styles.field}>
                      <label htmlFor={`${ids}-secret`} className={styles.label}>
                        Client secret
                      </label>
                      <input id={`${ids}-secret`} value={state.clientSecret} autoComplete="off" spellCheck={false} onChange={(event) => update({clientSecret: event.target.value})} />
                    </div>
                  )}
                </fieldset>
              )}

              {operation.auth === 'bearer' && (
                <fieldset className={styles.group}>
                  <legend>Bearer token</legend>
                  <div className={styles.field}>
                    <label htmlFor={`${ids}-bearer`} className={styles.label}>
                      Access token
                    </label>
                    <input id={`${ids}-bearer`} value={state.bearer} autoComplete="off" spellCheck={false} onChange={(event) => update({bearer: event.target.value})} />
                    <p className={styles.hint}>
                      Sent as <code>Authorization: Bearer</code> (RFC 6750 §2.1). This operation needs the <code>{operation.scopes.join(' ')}</code> scope. Leave it empty to see the
                      challenge.
                    </p>
                    <TokenChoice label="Use an access token obtained here" tokens={issuerTokens.filter((token) => token.kind === 'access_token')} onChoose={(token) => update({bearer: token.value})} />
                  </div>
                </fieldset>
              )}

              {fields.length > 0 && (
                <fieldset className={styles.group}>
                  <legend>Parameters</legend>
                  {fields.map((field) => (
                    <FieldRow
                      key={`${operation.id}-${state.grant}-${field.in}-${field.name}`}
                      field={field}
                      value={state.values[field.name] ?? ''}
                      onChange={(value) => setValue(field.name, value)}
                      tokens={tokenKinds[field.name] ? issuerTokens.filter((token) => tokenKinds[field.name]!.includes(token.kind)) : undefined}
                      onToken={(token) => takeToken(field.name, token)}
                    />
                  ))}
                </fieldset>
              )}

              {operation.body?.type === 'json' && (
                <div className={styles.field}>
                  <label htmlFor={`${ids}-json`} className={styles.label}>
                    JSON body
                  </label>
                  <textarea id={`${ids}-json`} rows={5} value={state.jsonBody} spellCheck={false} onChange={(event) => update({jsonBody: event.target.value})} />
                </div>
              )}

              <details className={styles.more}>
                <summary>Custom parameters and headers</summary>
                <NameValueList legend="Extra parameters" items={state.extraParameters} onChange={(items) => update({extraParameters: items})} namePlaceholder="name" />
                <NameValueList legend="Extra headers" items={state.extraHeaders} onChange={(items) => update({extraHeaders: items})} namePlaceholder="Header-Name" />
              </details>

              {opensInBrowser && request ? (
                <div className={styles.actions}>
                  <p className={styles.hint}>
                    The authorization endpoint is visited by the browser, not called by the page. The PKCE <code>code_verifier</code> for this <code>code_challenge</code> stays in this
                    tab; when the sign-in brings you back here with a code, the explorer offers the token request that redeems it.
                  </p>
                  <label className={styles.label} htmlFor={`${ids}-authorize-url`}>
                    Authorization URL
                  </label>
                  <textarea id={`${ids}-authorize-url`} className={styles.url} readOnly rows={4} value={request.url} />
                  <button type="button" className="button button--primary" onClick={openAuthorization}>
                    Open the authorization request
                  </button>
                </div>
              ) : (
                <div className={styles.actions}>
                  {nodeOnly ? (
                    <p className={styles.hint}>
                      This URL is at the issuer&apos;s origin, outside the path this site&apos;s Service Worker answers: send it to the Node sandbox.
                    </p>
                  ) : (
                    <button type="button" className="button button--primary" onClick={() => void send()} disabled={sending}>
                      {sending ? 'Sending…' : 'Send request'}
                    </button>
                  )}
                </div>
              )}

              {shareUrl && (
                <details className={styles.more}>
                  <summary>Link to this request</summary>
                  <p className={styles.hint}>
                    The address bar carries the endpoint, grant, client and parameters, never secrets: no client secret, password, token, code or Authorization header.
                  </p>
                  <label className={styles.label} htmlFor={`${ids}-share`}>
                    Shareable link
                  </label>
                  <textarea id={`${ids}-share`} className={styles.url} readOnly rows={3} value={shareUrl} />
                </details>
              )}
            </>
          )}
        </div>
      )}

      {result && (
        <div className={styles.result} aria-live="polite">
          {result.refusal && <RefusalBox refusal={result.refusal} />}
          {result.exchange.failure && state.target === 'node' && (
            <div role="alert" className={styles.refusal}>
              <p>
                No answer from {result.issuer}. Is the Node sandbox running? Start it with <code>npm run sandbox -- --site-url {siteUrl()}</code> so it allows this page&apos;s
                origin.
              </p>
            </div>
          )}
          <HttpExchange
            exchange={result.exchange}
            title="Request and response"
            copyable
            {...(state.target === 'browser' ? {curlTarget: toNodeSandbox(result.issuer, state.nodeIssuer)} : {})}
          />
          {result.tokens
            .filter((token) => token.kind !== 'refresh_token' || token.value.split('.').length === 3)
            .map((token) => (
              <TokenInspector
                key={token.value}
                token={token.value}
                kind={token.kind}
                label={token.kind === 'access_token' ? 'Access token' : token.kind === 'id_token' ? 'ID token' : 'Refresh token'}
                expectations={{
                  issuer: result.issuer,
                  ...(token.kind === 'id_token' ? {audience: result.clientId} : result.audience ? {audience: result.audience} : {}),
                  clientId: result.clientId,
                }}
                jwksUri={`${result.issuer}/jwks`}
              />
            ))}
          {result.tokens.length > 0 && <p className={styles.hint}>These tokens are now offered wherever a token goes: as the bearer token of UserInfo and the APIs, and as the token to refresh, revoke or introspect.</p>}
        </div>
      )}
    </section>
  );
}
