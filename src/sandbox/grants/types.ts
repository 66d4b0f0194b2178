import type {CatalogClient} from '../catalog';
import type {Params} from '../checks/params';
import type {Sandbox} from '../context';
import type {DpopProof} from '../dpop';
import {UnauthorizedClient} from '../errors';
import type {TokenResponse} from './issue';

/** What the token endpoint learnt of a request beyond its parameters: its checked DPoP proof (RFC 9449 §5), if any. */
export interface TokenRequest {
  dpop?: DpopProof;
}

/** A token endpoint grant handler, keyed by its `grant_type` wire value. */
export type GrantHandler = (
  sandbox: Sandbox,
  client: CatalogClient,
  params: Params,
  request: TokenRequest,
) => Promise<TokenResponse>;

/** RFC 6749 §5.2 unauthorized_client: the client is not registered for this grant type. */
export function assertClientMayUse(client: CatalogClient, grantType: string): void {
  if (!client.grant_types.includes(grantType)) {
    throw new UnauthorizedClient(`client ${client.client_id} may not use the ${grantType} grant`);
  }
}
