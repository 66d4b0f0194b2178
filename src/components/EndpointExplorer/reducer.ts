/**
 * The explorer's state in one place: the form, the server it is connected to, the request in flight and
 * its result. A pure reducer, so unit tests check every change of state without a browser; what needs
 * the world outside (loading, sending, sessionStorage, the address bar) stays in the hook that drives it.
 */
import type {PendingAuthorization} from './authorization';
import {authMethodOf} from './prefill';
import {emptyState, fromFragment, type ExplorerState, type SharedState, type Target} from './request';
import type {Result} from './result';
import {tokenTypeHint, type HeldToken} from './tokens';
import type {Connection, Loading, World} from './world';
import {providerFromQuery, type ProviderSettings} from '../../walkthroughs/engine/provider';

/** What the page's address and this tab said when the explorer started. */
export interface Start {
  /** A shared request from the fragment (`#explore?…`). */
  shared?: SharedState;
  /** The authorization request this page load answers, when the browser comes back from the sign-in page. */
  pending?: PendingAuthorization;
  /** The reader's own provider, from the page's query (`?issuer=…&client_id=…`), or kept across the sign-in. */
  provider?: ProviderSettings;
  /** Why the provider settings in the query cannot be used. */
  refused?: string;
}

export function startOf(hash: string, search: string, pending: PendingAuthorization | undefined): Start {
  const shared = fromFragment(hash);
  const start: Start = {...(shared ? {shared} : {}), ...(pending ? {pending} : {})};
  if (pending?.provider) return {...start, provider: pending.provider};
  try {
    const provider = providerFromQuery(new URLSearchParams(search));
    return provider ? {...start, provider} : start;
  } catch (error) {
    return {...start, refused: error instanceof Error ? error.message : String(error)};
  }
}

export interface ExplorerModel {
  form: ExplorerState;
  connection: Connection;
  loading: Loading;
  result?: Result;
  sending: boolean;
  notice?: string;
  /** The PKCE code_verifier of the authorization request on screen, kept in this tab (RFC 7636 §4.1). */
  codeVerifier: string;
}

export function initialModel(start: Start): ExplorerModel {
  const {shared, pending, provider, refused} = start;
  const form: ExplorerState = {
    ...emptyState(shared?.operation ?? ''),
    ...(shared?.target && (shared.target !== 'provider' || provider) ? {target: shared.target} : {}),
    ...(shared?.nodeIssuer ? {nodeIssuer: shared.nodeIssuer} : {}),
    ...(provider || refused ? {target: 'provider' as const} : {}),
    ...(pending ? {target: pending.target, nodeIssuer: pending.nodeIssuer} : {}),
  };
  return {
    form,
    connection: {target: form.target, nodeIssuer: form.nodeIssuer, attempt: 0},
    // The reader's own provider, chosen without settings: the provider form asks for them first.
    loading: form.target === 'provider' && !provider ? {status: 'idle'} : {status: 'loading'},
    sending: false,
    codeVerifier: '',
  };
}

/** Fresh values for an authorization request (RFC 7636 §4.1-4.2, RFC 6749 §10.12, OIDC Core §3.1.2.1). */
export interface AuthorizationValues {
  codeVerifier: string;
  codeChallenge: string;
  state: string;
  nonce: string;
}

export type Action =
  /** The reader edits the form. */
  | {type: 'edit'; patch: Partial<ExplorerState>}
  | {type: 'value'; name: string; value: string}
  /** Another target: the Node sandbox waits for its Connect, the others connect at once. */
  | {type: 'target'; target: Target}
  | {type: 'connect'}
  | {type: 'loading'}
  | {type: 'idle'}
  | {type: 'connected'; world: World}
  | {type: 'failed'; message: string}
  /** A form prefilled for a chosen operation; the previous result goes. */
  | {type: 'operation'; form: ExplorerState}
  /** The first form once connected: a shared request, the code to redeem, or discovery. */
  | {type: 'restore'; form?: ExplorerState; notice?: string}
  /** Connected to another server: the same operation, refilled, and no result. */
  | {type: 'reconnected'; form?: ExplorerState}
  | {type: 'client'; clientId: string}
  | {type: 'token'; field: string; token: HeldToken}
  | {type: 'authorization'; values: AuthorizationValues}
  | {type: 'send'}
  | {type: 'sent'; result?: Result};

function edit(model: ExplorerModel, patch: Partial<ExplorerState>): ExplorerModel {
  return {...model, form: {...model.form, ...patch}};
}

function setValues(model: ExplorerModel, values: Record<string, string>): ExplorerModel {
  return edit(model, {values: {...model.form.values, ...values}});
}

/** A client of the catalog brings its secret and registered authentication method (RFC 7591 §2). */
function chooseClient(model: ExplorerModel, clientId: string): ExplorerModel {
  const catalog = model.loading.status === 'ready' ? model.loading.world.catalog : undefined;
  const client = catalog?.clients.find((candidate) => candidate.client_id === clientId);
  return edit(model, {clientId, clientSecret: client?.client_secret ?? '', authMethod: authMethodOf(client)});
}

function connect(model: ExplorerModel, target: Target): ExplorerModel {
  return {...model, connection: {target, nodeIssuer: model.form.nodeIssuer, attempt: model.connection.attempt + 1}};
}

export function explorerReducer(model: ExplorerModel, action: Action): ExplorerModel {
  switch (action.type) {
    case 'edit':
      return edit(model, action.patch);
    case 'value':
      return setValues(model, {[action.name]: action.value});
    case 'target': {
      const next = edit(model, {target: action.target});
      return action.target === 'node' ? next : connect(next, action.target);
    }
    case 'connect':
      return connect(model, 'node');
    case 'loading':
      return {...model, loading: {status: 'loading'}};
    case 'idle':
      return {...model, loading: {status: 'idle'}};
    case 'connected':
      return {...model, loading: {status: 'ready', world: action.world}};
    case 'failed':
      return {...model, loading: {status: 'failed', message: action.message}};
    case 'operation': {
      const {result: _result, ...rest} = model;
      return {...rest, form: action.form};
    }
    case 'restore':
      return {
        ...model,
        ...(action.form ? {form: action.form} : {}),
        ...(action.notice !== undefined ? {notice: action.notice} : {}),
      };
    case 'reconnected': {
      const {result: _result, ...rest} = model;
      return action.form ? {...rest, form: action.form} : rest;
    }
    case 'client':
      return chooseClient(model, action.clientId);
    case 'token': {
      // Taking a token to refresh or revoke also takes the client it was issued to (RFC 6749 §6, RFC 7009 §2.1).
      const {field, token} = action;
      let next = setValues(model, {[field]: token.value});
      if (field === 'refresh_token' || model.form.operation === 'postRevoke') next = chooseClient(next, token.clientId);
      if (field === 'token') next = setValues(next, {token_type_hint: tokenTypeHint(token)});
      return next;
    }
    case 'authorization': {
      const {codeVerifier, codeChallenge, state, nonce} = action.values;
      const next = setValues(model, {code_challenge: codeChallenge, code_challenge_method: 'S256', state, nonce});
      return {...next, codeVerifier};
    }
    case 'send': {
      const {result: _result, ...rest} = model;
      return {...rest, sending: true};
    }
    case 'sent':
      return {...model, sending: false, ...(action.result ? {result: action.result} : {})};
  }
}
