import type {HeaderObject, MediaType, Parameter, Response, Schema} from '../../contract/openapi';
import type {Catalog} from '../catalog';

export type Method = 'GET' | 'POST';

/**
 * Who may call an endpoint: anyone; a client authenticating as at the token endpoint (HTTP Basic, the
 * body, or a public client's `client_id` alone: RFC 6749 §2.3); or the holder of an access token with
 * `scope`, sent as a bearer token (RFC 6750 §2).
 */
export type Auth = {kind: 'public'} | {kind: 'client'} | {kind: 'bearer'; scope: string};

/** A request body: a form (`application/x-www-form-urlencoded`) or JSON, with named examples. */
export interface RequestBody {
  mediaType: 'form' | 'json';
  required: boolean;
  schema: Schema;
  examples?: MediaType['examples'];
}

/**
 * One endpoint and method of the sandbox: the row both the OpenAPI description and the Postman
 * collection are generated from. Descriptions cite the RFC sections the endpoint follows.
 */
export interface EndpointRow {
  /** Relative to the issuer, or to `servers` when the row has its own. */
  path: string;
  method: Method;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  auth: Auth;
  /** A base URL other than the issuer (the RFC 8414 §3.1 path-inserted metadata URL is at the origin). */
  servers?: {url: string; description: string}[];
  parameters?: Parameter[];
  body?: RequestBody;
  /** By status code. A status a request expects must be listed here. */
  responses: Record<string, Response>;
}

/** Everything the rows need to know about the server they describe. */
export interface DescriptionContext {
  /** The issuer, without a trailing slash. */
  issuer: string;
  catalog: Catalog;
  /** The scopes any client may ask for, value to description: OpenID Connect's then the APIs'. */
  allScopes: Record<string, string>;
  /** The APIs' own scopes, value to description. */
  apiScopes: Record<string, string>;
  /** The APIs' identifiers (RFC 8707 resource values). */
  apiIdentifiers: string[];
}

/** The sandbox's endpoints, with what the OpenAPI document puts around them. */
export interface EndpointsDescription {
  issuer: string;
  info: {
    title: string;
    version: string;
    summary: string;
    description: string;
    license: {name: string; identifier: string};
  };
  tags: {name: string; description: string}[];
  rows: EndpointRow[];
  schemas: Record<string, Schema>;
  securitySchemes: Record<string, Schema>;
  headers: Record<string, HeaderObject>;
}
