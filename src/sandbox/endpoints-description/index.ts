/**
 * The sandbox's endpoints as rows of data (path, method, who may call, parameters, body and examples,
 * responses, the RFC sections they follow), built for an issuer and its catalog so every URL matches the
 * transport that serves it. The OpenAPI description (`GET {issuer}/openapi.json`) and the Postman
 * collection are both generated from it. Web-standard only, like the rest of the sandbox.
 */
import type {Catalog} from '../catalog';
import {apiRows} from './apis';
import {authorizationRows} from './authorize';
import {headers, info, securitySchemes, tags} from './components';
import {deviceAuthorizationRows} from './device-authorization';
import {discoveryRows, pathInsertedMetadataRows} from './discovery';
import {pushedAuthorizationRow} from './pushed-authorization';
import {sandboxRows} from './sandbox-only';
import {schemas} from './schemas';
import {tokenEndpointRows} from './token-endpoints';
import type {DescriptionContext, EndpointRow, EndpointsDescription, Method} from './types';

export type {Auth, EndpointRow, EndpointsDescription, Method, RequestBody} from './types';

/** Describes the endpoints of the sandbox at `issuer` (no trailing slash) with `catalog`'s APIs and scopes. */
export function describeEndpoints(issuer: string, catalog: Catalog): EndpointsDescription {
  const apiScopes = catalog.apis.flatMap((api) => api.scopes);
  const context: DescriptionContext = {
    issuer,
    catalog,
    allScopes: Object.fromEntries(
      [...catalog.oidc_scopes, ...apiScopes].map((scope) => [scope.value, scope.description]),
    ),
    apiScopes: Object.fromEntries(apiScopes.map((scope) => [scope.value, scope.description])),
    apiIdentifiers: catalog.apis.map((api) => api.identifier),
  };
  return {
    issuer,
    info: info(issuer),
    tags: tags(context),
    rows: [
      ...discoveryRows(),
      ...authorizationRows(context),
      ...tokenEndpointRows(context),
      ...deviceAuthorizationRows(context),
      pushedAuthorizationRow(context),
      ...sandboxRows(),
      ...pathInsertedMetadataRows(issuer),
      ...apiRows(context),
    ],
    schemas: schemas(context),
    securitySchemes: securitySchemes(context),
    headers,
  };
}

/** The row for `method` and `path`, or undefined. */
export function findRow(description: EndpointsDescription, method: Method, path: string): EndpointRow | undefined {
  return description.rows.find((row) => row.method === method && row.path === path);
}
