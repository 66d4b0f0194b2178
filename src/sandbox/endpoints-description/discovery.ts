/** Rows: the server's metadata (RFC 8414, OpenID Connect Discovery) and its signing keys (RFC 7517). */
import {json, ref, rfc} from './parts';
import type {EndpointRow} from './types';

const PUBLIC = {kind: 'public'} as const;

function metadataRow(path: string, operationId: string, summary: string, description: string): EndpointRow {
  return {
    path,
    method: 'GET',
    operationId,
    summary,
    description,
    tag: 'Discovery',
    auth: PUBLIC,
    responses: {'200': {description: 'The metadata.', content: json(ref('ServerMetadata'))}},
  };
}

export function discoveryRows(): EndpointRow[] {
  return [
    metadataRow(
      '/.well-known/openid-configuration',
      'getOpenidConfiguration',
      'OpenID Connect discovery document',
      `The server's metadata: its issuer, every endpoint URL and what it supports (OpenID Connect Discovery §3 and §4, ${rfc(8414, '2')}).`,
    ),
    metadataRow(
      '/.well-known/oauth-authorization-server',
      'getOauthAuthorizationServer',
      'OAuth 2.0 authorization server metadata',
      `The same metadata at the RFC 8414 well-known URI, relative to the issuer (${rfc(8414, '3')}).`,
    ),
    {
      path: '/jwks',
      method: 'GET',
      operationId: 'getJwks',
      summary: 'Signing keys (JWK Set)',
      description: `The public keys that verify ID tokens and JWT access tokens (${rfc(7517, '5')}, ${rfc(9068, '4')}).`,
      tag: 'Discovery',
      auth: PUBLIC,
      responses: {'200': {description: 'A JWK Set.', content: json(ref('JwkSet'))}},
    },
  ];
}

/**
 * RFC 8414 §3.1: for an issuer with a path, the well-known segment goes first, at the origin. No row
 * for an issuer without a path, whose relative well-known URI is already that URL.
 */
export function pathInsertedMetadataRows(issuer: string): EndpointRow[] {
  const issuerUrl = new URL(issuer);
  const base = issuerUrl.pathname.replace(/\/+$/, '');
  if (!base) return [];
  return [
    {
      ...metadataRow(
        `/.well-known/oauth-authorization-server${base}`,
        'getOauthAuthorizationServerAtOrigin',
        'OAuth 2.0 authorization server metadata (path-inserted URL)',
        `The metadata at the URL ${rfc(8414, '3.1')} builds for an issuer with a path: the well-known segment first, then the issuer's path. Served by the Node sandbox; a Service Worker scoped under the issuer's parent never sees this URL.`,
      ),
      servers: [{url: issuerUrl.origin, description: "The issuer's origin"}],
    },
  ];
}
