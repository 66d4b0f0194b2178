/**
 * What a sent request shows: the recorded exchange, a refusal in words, and the tokens of a successful
 * token response with what the inspector expects of them.
 */
import type {HttpExchangeRecord} from '../../lib/http-exchange';
import type {ExplorerOperation} from './model';
import type {HeldDeviceCode} from './prefill';
import {refusalOf, type Refusal} from './refusal';
import type {ExplorerState} from './request';
import {tokensFromResponse, type HeldToken} from './tokens';

export interface Result {
  exchange: HttpExchangeRecord;
  refusal?: Refusal;
  tokens: HeldToken[];
  /** What the inspector expects of the tokens (RFC 9068 §4, OIDC Core §3.1.3.7). */
  audience?: string;
  clientId: string;
  issuer: string;
  jwksUri: string;
}

export interface SentTo {
  issuer: string;
  jwksUri: string;
}

/** The result of a request the form described, from its recorded exchange; `now` dates the tokens it brought. */
export function resultOf(
  exchange: HttpExchangeRecord,
  operation: ExplorerOperation,
  form: ExplorerState,
  to: SentTo,
  now: number,
): Result {
  const response = exchange.response;
  let body: unknown;
  try {
    body = response ? JSON.parse(response.body) : undefined;
  } catch {
    body = undefined;
  }
  const clientId = form.clientId;
  // RFC 6749 §5.1: a successful token response carries the tokens.
  const tokens =
    response && response.status < 300 && operation.id === 'postToken'
      ? tokensFromResponse(body, {clientId, issuer: to.issuer, obtainedAt: now})
      : [];
  const refusal = response ? refusalOf(response) : undefined;
  // The API asked for with `resource` (RFC 8707 §2) or `audience` is the access token's expected audience.
  const audience = form.values.resource || form.values.audience || undefined;
  return {
    exchange,
    ...(refusal ? {refusal} : {}),
    tokens,
    ...(audience ? {audience} : {}),
    clientId,
    issuer: to.issuer,
    jwksUri: to.jwksUri,
  };
}

/** The device code of a successful device authorization response (RFC 8628 §3.2), with the client it was issued to. */
export function deviceCodeOf(
  exchange: HttpExchangeRecord,
  operation: ExplorerOperation,
  form: ExplorerState,
): HeldDeviceCode | undefined {
  const response = exchange.response;
  if (operation.id !== 'postDeviceAuthorization' || !response || response.status !== 200) return undefined;
  try {
    const body = JSON.parse(response.body) as {device_code?: unknown};
    return typeof body.device_code === 'string' && body.device_code !== ''
      ? {value: body.device_code, clientId: form.clientId}
      : undefined;
  } catch {
    return undefined;
  }
}
