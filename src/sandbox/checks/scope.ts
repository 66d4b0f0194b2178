import {findApi, OIDC_SCOPES, type Catalog, type CatalogApi} from '../catalog';
import {InvalidScope, InvalidTarget} from '../errors';
import {spaceList, type Params} from './params';

/** The scope and audience an authorization or token request resolves to. */
export interface ScopeAndAudience {
  scopes: string[];
  /** The API chosen by `audience` / `resource`, if any. */
  api?: CatalogApi;
}

const OIDC_SCOPE_VALUES = OIDC_SCOPES.map((scope) => scope.value);

/**
 * Resolves `audience` (Auth0 style) or `resource` (RFC 8707 §2) to one demo API. One audience per
 * request: two values, or an unknown or malformed one, is invalid_target.
 */
export function resolveApi(catalog: Catalog, params: Params): CatalogApi | undefined {
  const audience = params.values.get('audience');
  const resource = params.values.get('resource');
  // RFC 8707 §2: resource may be repeated; the sandbox issues tokens for one API at a time.
  if (
    params.repeated.has('resource') ||
    params.repeated.has('audience') ||
    (audience && resource && audience !== resource)
  ) {
    throw new InvalidTarget('request one audience (resource) at a time');
  }
  const target = resource ?? audience;
  if (target === undefined) return undefined;
  if (resource !== undefined) {
    // RFC 8707 §2: an absolute URI without a fragment.
    let url: URL | undefined;
    try {
      url = new URL(resource);
    } catch {
      url = undefined;
    }
    if (!url || resource.includes('#')) throw new InvalidTarget('resource must be an absolute URI without a fragment');
  }
  const api = findApi(catalog, target);
  if (!api) throw new InvalidTarget(`unknown audience ${target}`);
  return api;
}

/**
 * Checks requested scopes: each must be an OpenID Connect scope or belong to the chosen API
 * (RFC 6749 §3.3, invalid_scope otherwise).
 */
export function checkScopes(scopes: string[], api: CatalogApi | undefined): void {
  for (const scope of scopes) {
    if (OIDC_SCOPE_VALUES.includes(scope)) continue;
    if (api?.scopes.some((apiScope) => apiScope.value === scope)) continue;
    throw new InvalidScope(
      api
        ? `scope ${scope} is not an OpenID scope or a scope of ${api.identifier}`
        : `scope ${scope} needs the audience of the API it belongs to`,
    );
  }
}

/** Reads `scope`, `audience` and `resource` together, with every check above. */
export function resolveScopeAndAudience(catalog: Catalog, params: Params): ScopeAndAudience {
  const rawScope = params.values.get('scope');
  if (rawScope !== undefined && !/^[\x21\x23-\x5B\x5D-\x7E ]+$/.test(rawScope)) {
    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    throw new InvalidScope('scope contains characters outside RFC 6749 §3.3');
  }
  const api = resolveApi(catalog, params);
  const scopes = spaceList(rawScope);
  checkScopes(scopes, api);
  return {scopes, api};
}

/**
 * RFC 8707 §2.2: at the token endpoint, `resource` (or `audience`) may only name the audience the grant
 * was issued for; naming another is invalid_target rather than a token for the wrong API.
 */
export function checkGrantedTarget(catalog: Catalog, params: Params, granted: string): void {
  const single = !params.repeated.has('resource') && !params.repeated.has('audience');
  const requested = params.values.get('resource') ?? params.values.get('audience');
  if (single && (requested === undefined || requested === granted)) return;
  const api = resolveApi(catalog, params);
  if (api && api.identifier !== granted) throw new InvalidTarget(`this grant is for ${granted}, not ${api.identifier}`);
}

/** For grants with no user to default from: an API must be named. */
export function requireApi(api: CatalogApi | undefined): CatalogApi {
  // RFC 8707 §2: invalid_target covers a "missing" resource.
  if (!api) throw new InvalidTarget('this grant needs an audience (or resource) naming one of the APIs');
  return api;
}
