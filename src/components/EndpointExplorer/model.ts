/**
 * The explorer's form model, read from the sandbox's OpenAPI 3.1 description (`GET {issuer}/openapi.json`,
 * built by src/sandbox/openapi.ts): every operation with its parameters, the token endpoint's body per
 * grant (its `oneOf` with a `grant_type` discriminator), and how each operation authenticates. Pure
 * functions over the document, so the explorer never keeps a second list of endpoints.
 */
import type {OpenApiDocument, Operation, Schema} from '../../contract/openapi';

export type {OpenApiDocument} from '../../contract/openapi';

/** The explorer's groups, in the order the endpoint list shows them. */
export const GROUPS = ['Discovery', 'Authorization server', 'APIs', 'Sandbox'] as const;
export type Group = (typeof GROUPS)[number];

/** How an operation's caller proves who it is, from its `security` requirements. */
export type AuthKind =
  /** No credential (discovery, the JWK Set, the authorization endpoint, an API's index). */
  | 'none'
  /** Client authentication: HTTP Basic, the secret in the body, or a public client's client_id (RFC 6749 §2.3). */
  | 'client'
  /** An access token in `Authorization: Bearer` (RFC 6750 §2.1). */
  | 'bearer';

export type Location = 'path' | 'query' | 'header' | 'body';

export interface Field {
  name: string;
  in: Location;
  required: boolean;
  /** The description from the OpenAPI document: inline Markdown with links to the RFC sections. */
  description: string;
  /** The allowed values, when the schema lists them. */
  options?: string[];
  /** A credential: never written to the shareable URL. */
  secret: boolean;
}

/** One request body shape: for the token endpoint, one per grant type. */
export interface Variant {
  /** The `grant_type` value (the discriminator), or `''` for an operation with a single body shape. */
  grant: string;
  description: string;
  fields: Field[];
}

export interface ExplorerOperation {
  id: string;
  method: 'GET' | 'POST';
  /** The path relative to the issuer, with `{name}` path parameters. */
  path: string;
  /** Set when the operation is served elsewhere than under the issuer (RFC 8414 §3.1's path-inserted URL). */
  server?: string;
  /** The full URL, for an endpoint of another provider, taken from its metadata (RFC 8414 §2). */
  url?: string;
  summary: string;
  description: string;
  group: Group;
  auth: AuthKind;
  /** For `bearer`: the scopes its access token needs. */
  scopes: string[];
  /** Path, query and header parameters. */
  parameters: Field[];
  body?: {type: 'form'; variants: Variant[]} | {type: 'json'; example: string; description: string};
}

/**
 * Parameters that carry a credential: the client's secret, a user's password, tokens, a code and its PKCE
 * verifier. They stay in the form and in this tab's memory, never in a URL the reader may share.
 */
const SECRET_NAMES = new Set([
  'client_secret',
  'password',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'code',
  'code_verifier',
  'device_code',
  'assertion',
  'client_assertion',
]);
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'dpop']);

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name.trim().toLowerCase());
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.trim().toLowerCase());
}

/** Client authentication parameters live in the explorer's client section, not among the fields. */
const CLIENT_FIELDS = new Set(['client_id', 'client_secret']);

function resolve(document: OpenApiDocument, schema: Schema): Schema {
  const reference = schema.$ref;
  if (typeof reference !== 'string') return schema;
  const name = reference.replace('#/components/schemas/', '');
  const target = document.components.schemas[name];
  if (!target) throw new Error(`The OpenAPI description has no schema ${name}.`);
  return target;
}

function optionsOf(schema: Schema): string[] | undefined {
  const values = schema.enum;
  return Array.isArray(values) ? values.map(String) : undefined;
}

function fieldsOf(schema: Schema, skip: Set<string>): Field[] {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties)
    .filter(([name]) => !skip.has(name))
    .map(([name, property]) => ({
      name,
      in: 'body' as const,
      required: required.has(name),
      description: typeof property.description === 'string' ? property.description : '',
      ...(optionsOf(property) ? {options: optionsOf(property)} : {}),
      secret: isSecretName(name) || property.format === 'password',
    }));
}

function authOf(operation: Operation): {auth: AuthKind; scopes: string[]} {
  for (const requirement of operation.security) {
    if (requirement.bearer) return {auth: 'bearer', scopes: requirement.bearer};
    if (requirement.clientSecretBasic) return {auth: 'client', scopes: []};
  }
  return {auth: 'none', scopes: []};
}

function groupOf(tags: string[]): Group {
  const tag = tags[0] ?? '';
  return (GROUPS as readonly string[]).includes(tag) ? (tag as Group) : 'APIs';
}

function bodyOf(document: OpenApiDocument, operation: Operation, auth: AuthKind): ExplorerOperation['body'] {
  const content = operation.requestBody?.content;
  if (!content) return undefined;
  const json = content['application/json'];
  if (json) {
    const example = Object.values(json.examples ?? {})[0]?.value ?? {};
    const schema = resolve(document, json.schema);
    return {
      type: 'json',
      example: JSON.stringify(example, null, 2),
      description: typeof schema.description === 'string' ? schema.description : '',
    };
  }
  const form = content['application/x-www-form-urlencoded'];
  if (!form) return undefined;
  const skip = auth === 'client' ? CLIENT_FIELDS : new Set<string>();
  const schema = resolve(document, form.schema);
  const oneOf = schema.oneOf as Schema[] | undefined;
  if (!oneOf) return {type: 'form', variants: [{grant: '', description: '', fields: fieldsOf(schema, skip)}]};
  // RFC 6749 §4: one body per grant, told apart by grant_type (the schema's discriminator).
  const variants = oneOf.map((member): Variant => {
    const resolved = resolve(document, member);
    const grantType = ((resolved.properties ?? {}) as Record<string, Schema>).grant_type;
    const grant = typeof grantType?.const === 'string' ? grantType.const : '';
    return {
      grant,
      description: typeof resolved.description === 'string' ? resolved.description : '',
      fields: fieldsOf(resolved, new Set([...skip, 'grant_type'])),
    };
  });
  return {type: 'form', variants};
}

/** Every operation of the description, grouped and in the document's order. */
export function explorerOperations(document: OpenApiDocument): ExplorerOperation[] {
  const operations: ExplorerOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const {auth, scopes} = authOf(operation);
      const parameters = (operation.parameters ?? []).map((parameter): Field => ({
        name: parameter.name,
        in: parameter.in,
        required: parameter.required === true,
        description: parameter.description,
        ...(optionsOf(parameter.schema) ? {options: optionsOf(parameter.schema)} : {}),
        secret: parameter.in === 'header' ? isSecretHeader(parameter.name) : isSecretName(parameter.name),
      }));
      const body = bodyOf(document, operation, auth);
      operations.push({
        id: operation.operationId,
        method: method === 'get' ? 'GET' : 'POST',
        path,
        ...(item.servers?.[0] ? {server: item.servers[0].url} : {}),
        summary: operation.summary,
        description: operation.description,
        group: groupOf(operation.tags),
        auth,
        scopes,
        parameters,
        ...(body ? {body} : {}),
      });
    }
  }
  return GROUPS.flatMap((group) => operations.filter((operation) => operation.group === group));
}

/** The fields a form shows for an operation and, for the token endpoint, a grant. */
export function fieldsFor(operation: ExplorerOperation, grant: string): Field[] {
  const body =
    operation.body?.type === 'form'
      ? (operation.body.variants.find((variant) => variant.grant === grant) ?? operation.body.variants[0])
      : undefined;
  return [...operation.parameters, ...(body?.fields ?? [])];
}

/** The grant types an operation's body offers (the token endpoint's), or none. */
export function grantsOf(operation: ExplorerOperation): string[] {
  return operation.body?.type === 'form' ? operation.body.variants.map((variant) => variant.grant).filter(Boolean) : [];
}

export function variantOf(operation: ExplorerOperation, grant: string): Variant | undefined {
  return operation.body?.type === 'form'
    ? operation.body.variants.find((variant) => variant.grant === grant)
    : undefined;
}

/** The grant a form opens with: the one asked for when the operation offers it, else its first (or none). */
export function grantFor(operation: ExplorerOperation, grant?: string): string {
  const grants = grantsOf(operation);
  return grant && grants.includes(grant) ? grant : (grants[0] ?? '');
}

/**
 * An authorization request: at the authorization endpoint, a page the browser visits (RFC 6749 §3.1), whose
 * GET form is opened, not fetched; or pushed to the PAR endpoint first (RFC 9126 §2). Either carries fresh
 * PKCE, state and nonce values (RFC 7636 §4.1).
 */
export function isAuthorization(operation: ExplorerOperation | undefined): boolean {
  return operation?.path === '/authorize' || operation?.path === '/par';
}

export function opensInBrowser(operation: ExplorerOperation | undefined): boolean {
  return isAuthorization(operation) && operation?.method === 'GET';
}

/** A piece of inline Markdown as the OpenAPI descriptions use it: text, `code` and [links](url). */
export type Segment = {text: string} | {code: string} | {link: string; href: string};

/** Splits a description's inline Markdown into text, code and links, so a view renders it without a Markdown library. */
export function inlineMarkdown(text: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\[([^\]]+)\]\(([^)\s]+)\)|`([^`]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) segments.push({text: text.slice(last, match.index)});
    if (match[1] !== undefined) segments.push({link: match[1], href: match[2]});
    else segments.push({code: match[3]});
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({text: text.slice(last)});
  return segments;
}

/** The metadata fields of an authorization server that the explorer reads (RFC 8414 §2, OpenID Connect Discovery §3). */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
  jwks_uri?: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
  introspection_endpoint?: string;
  /** RFC 8628 §4. */
  device_authorization_endpoint?: string;
  grant_types_supported?: string[];
}

/**
 * The standard endpoints, each with the sandbox operation that describes it and the metadata field that
 * names its URL at another provider. The sandbox-only operations (catalog, reset, the demo APIs, its own
 * sign-in pages) have no counterpart there.
 */
const STANDARD_ENDPOINTS: {
  id: string;
  metadata?: Exclude<keyof ProviderMetadata, 'issuer' | 'grant_types_supported'>;
}[] = [
  {id: 'getOpenidConfiguration'},
  {id: 'getJwks', metadata: 'jwks_uri'},
  {id: 'getAuthorize', metadata: 'authorization_endpoint'},
  {id: 'postToken', metadata: 'token_endpoint'},
  {id: 'getUserinfo', metadata: 'userinfo_endpoint'},
  {id: 'postRevoke', metadata: 'revocation_endpoint'},
  {id: 'postIntrospect', metadata: 'introspection_endpoint'},
  {id: 'postDeviceAuthorization', metadata: 'device_authorization_endpoint'},
];

/** The sandbox's values for these parameters are its own API identifiers; at another provider they are the reader's to type. */
const PROVIDER_FREE_TEXT = new Set(['resource', 'audience']);

function freeText(field: Field): Field {
  if (!PROVIDER_FREE_TEXT.has(field.name) || !field.options) return field;
  const {options: _options, ...rest} = field;
  return rest;
}

/**
 * The operations to offer for another provider: the standard endpoints its metadata announces, at the
 * URLs it announces, with the forms and RFC references of the sandbox's description of the same endpoint.
 * The token endpoint offers the grants of `grant_types_supported`, whose default is `authorization_code`
 * and `implicit` (RFC 8414 §2); implicit has no token request.
 */
export function providerOperations(operations: ExplorerOperation[], metadata: ProviderMetadata): ExplorerOperation[] {
  const grants = new Set(metadata.grant_types_supported ?? ['authorization_code', 'implicit']);
  const offered: ExplorerOperation[] = [];
  for (const {id, metadata: field} of STANDARD_ENDPOINTS) {
    const operation = operations.find((candidate) => candidate.id === id);
    if (!operation) continue;
    // OpenID Connect Discovery §4: the document is at the issuer plus /.well-known/openid-configuration.
    const url = field ? metadata[field] : `${metadata.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    if (typeof url !== 'string' || url === '') continue;
    let body = operation.body;
    if (body?.type === 'form') {
      const variants = body.variants
        .filter((variant) => variant.grant === '' || grants.has(variant.grant))
        .map((variant) => ({...variant, fields: variant.fields.map(freeText)}));
      if (variants.length === 0) continue;
      body = {type: 'form', variants};
    }
    const {server: _server, ...rest} = operation;
    offered.push({...rest, url, parameters: operation.parameters.map(freeText), ...(body ? {body} : {})});
  }
  return offered;
}
