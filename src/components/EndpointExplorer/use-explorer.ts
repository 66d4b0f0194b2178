import {useCallback, useEffect, useReducer, useRef, useState, type Dispatch, type RefObject} from 'react';
import {createRecordingFetch, type HttpExchangeRecord} from '../../lib/http-exchange';
import {describeError} from '../../walkthroughs/engine/errors';
import {createAuthorizationSecrets, pendingReturn, readAuthorizationReturn, savePending} from './authorization';
import {grantFor, grantsOf, isAuthorization, type ExplorerOperation} from './model';
import {applyShared, prefill, prefillProvider, redeemCode, type HeldDeviceCode} from './prefill';
import {explorerReducer, initialModel, startOf, type Action, type ExplorerModel, type Start} from './reducer';
import {buildRequest, toFragment, type ExplorerState} from './request';
import {deviceCodeOf, resultOf} from './result';
import {useHeldTokens} from './use-held-tokens';
import type {HeldToken} from './tokens';
import {connectionFailure, loadWorld, pageUrl, type World} from './world';

export interface Explorer {
  start: Start;
  model: ExplorerModel;
  dispatch: Dispatch<Action>;
  world?: World;
  /** The operation the form is for, once connected. */
  operation?: ExplorerOperation;
  /** The tokens offered wherever a token goes. */
  offered: HeldToken[];
  /** The shareable part of the form, as the page's fragment. */
  fragment?: string;
  root: RefObject<HTMLElement | null>;
  chooseOperation: (id: string, grant?: string) => void;
  send: () => Promise<void>;
  openAuthorization: () => void;
}

/**
 * The explorer's state and what changes it from outside: connecting, restoring a shared request or an
 * authorization response, fresh PKCE values, the address bar's fragment, and sending requests.
 */
export function useExplorer(): Explorer {
  // Read once: a shared request, the return from a sign-in started here, or the reader's own provider.
  const [start] = useState(() => startOf(window.location.hash, window.location.search, pendingReturn()));
  const [model, dispatch] = useReducer(explorerReducer, start, initialModel);
  const {form, connection, loading} = model;
  const {shared, provider} = start;
  const restored = useRef(false);
  const root = useRef<HTMLElement>(null);

  const world = loading.status === 'ready' ? loading.world : undefined;
  const operation = world?.operations.find((candidate) => candidate.id === form.operation);
  const {offered, latest, hold} = useHeldTokens(world);
  // RFC 8628 §3.2: the newest device code, for the token request that polls with it; in memory only.
  const [deviceCode, setDeviceCode] = useState<HeldDeviceCode>();

  /** A freshly chosen operation's form: from the sandbox's catalog, or from the provider settings. */
  const fill = useCallback(
    (chosen: ExplorerOperation, grant: string, previous: ExplorerState): ExplorerState => {
      if (!world) return previous;
      return world.provider
        ? prefillProvider(chosen, grant, previous, {pageUrl: pageUrl(), latest}, world.provider)
        : prefill(chosen, grant, previous, {
            catalog: world.catalog,
            pageUrl: pageUrl(),
            latest,
            ...(deviceCode ? {deviceCode} : {}),
          });
    },
    [world, latest, deviceCode],
  );

  // Connect to the chosen server: the sandbox's description and catalog, or the provider's metadata.
  useEffect(() => {
    let current = true;
    if (connection.target === 'provider' && !provider) {
      dispatch({type: 'idle'});
      return;
    }
    dispatch({type: 'loading'});
    loadWorld(connection.target, connection.nodeIssuer, provider).then(
      (loaded) => current && dispatch({type: 'connected', world: loaded}),
      (error: unknown) =>
        current && dispatch({type: 'failed', message: connectionFailure(connection, provider, error)}),
    );
    return () => {
      current = false;
    };
    // A new provider comes with a new connection: the connection alone decides when to load.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection]);

  // Once connected: restore a shared request, or take the code the browser came back with, or start with discovery.
  useEffect(() => {
    if (!world) return;
    const choose = (id: string, grant?: string): ExplorerState | undefined => {
      const chosen = world.operations.find((candidate) => candidate.id === id);
      return chosen ? fill(chosen, grantFor(chosen, grant), form) : undefined;
    };
    if (!restored.current) {
      restored.current = true;
      void readAuthorizationReturn().then((back) => {
        if (back) {
          const next = choose('postToken', 'authorization_code');
          if (back.ok && next) {
            dispatch({
              type: 'restore',
              form: redeemCode(next, back.pending, back.code),
              notice:
                'Back from the sign-in page with an authorization code, checked for state and iss. Send the token ' +
                'request below to exchange it, with the PKCE code_verifier this tab kept.',
            });
          } else if (!back.ok) {
            const described = describeError(back.error);
            const said = described.errorDescription ?? described.message;
            const reason = described.error ? `${described.error}. ${said}` : said;
            const notice = `The authorization request came back without a code: ${reason}`;
            dispatch({type: 'restore', ...(next ? {form: next} : {}), notice});
          }
          root.current?.scrollIntoView();
          return;
        }
        const initial = (shared && choose(shared.operation, shared.grant)) ?? choose(world.operations[0]?.id ?? '');
        if (initial) dispatch({type: 'restore', form: shared ? applyShared(initial, shared, world.catalog) : initial});
        if (shared) root.current?.scrollIntoView();
      });
      return;
    }
    // A reconnect (another target): keep the operation, refill from the new catalog.
    const again = choose(form.operation, form.grant) ?? choose(world.operations[0]?.id ?? '');
    dispatch({type: 'reconnected', ...(again ? {form: again} : {})});
    // Runs once per connection: the form it starts from is the one on screen when the connection came up.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [world]);

  // PKCE, state and nonce for an authorization request, made fresh each time the form is opened (RFC 7636 §4.1).
  const authorizing = isAuthorization(operation);
  useEffect(() => {
    if (!authorizing) return;
    let current = true;
    void createAuthorizationSecrets().then((secrets) => {
      if (!current) return;
      const {pkce, state, nonce} = secrets;
      const values = {codeVerifier: pkce.verifier, codeChallenge: pkce.challenge, state, nonce};
      dispatch({type: 'authorization', values});
    });
    return () => {
      current = false;
    };
  }, [authorizing, form.operation]);

  // The shareable part of the form lives in the fragment; secrets never do (see toFragment).
  const fragment = world && operation ? toFragment(form, operation) : undefined;
  useEffect(() => {
    if (!fragment) return;
    const url = new URL(window.location.href);
    url.hash = fragment;
    window.history.replaceState(window.history.state, '', url.href);
  }, [fragment]);

  function chooseOperation(id: string, grant?: string) {
    const chosen = world?.operations.find((candidate) => candidate.id === id);
    if (!chosen) return;
    dispatch({type: 'operation', form: fill(chosen, grant ?? grantsOf(chosen)[0] ?? '', form)});
  }

  async function send() {
    if (!world || !operation) return;
    const request = buildRequest(operation, form, world.issuer);
    let exchange: HttpExchangeRecord | undefined;
    const recordingFetch = createRecordingFetch((recorded) => {
      exchange = recorded;
    });
    dispatch({type: 'send'});
    try {
      await recordingFetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? {body: request.body} : {}),
        cache: 'no-store',
      });
    } catch {
      // The recording keeps the failure; it is shown below.
    }
    if (!exchange) {
      dispatch({type: 'sent'});
      return;
    }
    const result = resultOf(exchange, operation, form, world, Date.now());
    hold(result.tokens);
    const issued = deviceCodeOf(exchange, operation, form);
    if (issued) setDeviceCode(issued);
    dispatch({type: 'sent', result});
  }

  /** The browser visits the authorization endpoint; this tab keeps what the way back needs (see authorization.ts). */
  function openAuthorization() {
    if (!world || !operation) return;
    const request = buildRequest(operation, form, world.issuer);
    savePending({
      issuer: world.issuer,
      target: form.target,
      nodeIssuer: form.nodeIssuer,
      clientId: form.values.client_id ?? '',
      redirectUri: form.values.redirect_uri ?? '',
      state: form.values.state ?? '',
      codeVerifier: model.codeVerifier,
      ...(world.provider ? {provider: world.provider} : {}),
    });
    window.location.assign(request.url);
  }

  return {
    start,
    model,
    dispatch,
    ...(world ? {world} : {}),
    ...(operation ? {operation} : {}),
    offered,
    ...(fragment ? {fragment} : {}),
    root,
    chooseOperation,
    send,
    openAuthorization,
  };
}
