/** Generates the OpenAPI 3.1 document from the endpoint rows. */
import type {MediaType, OpenApiDocument, Operation, PathItem} from '../../contract/openapi';
import type {Auth, EndpointRow, EndpointsDescription, RequestBody} from './types';

const MEDIA_TYPES: Record<RequestBody['mediaType'], string> = {
  form: 'application/x-www-form-urlencoded',
  json: 'application/json',
};

/**
 * OpenAPI security requirements: none; HTTP Basic or no scheme at all (client_secret_post and public
 * clients authenticate in the body, which OpenAPI has no scheme for); or a bearer token with the scope.
 */
function security(auth: Auth): Record<string, string[]>[] {
  if (auth.kind === 'client') return [{clientSecretBasic: []}, {}];
  if (auth.kind === 'bearer') return [{bearer: [auth.scope]}, {oauth2: [auth.scope]}];
  return [];
}

export function toOperation(row: EndpointRow): Operation {
  const media: MediaType | undefined =
    row.body &&
    (row.body.examples ? {schema: row.body.schema, examples: row.body.examples} : {schema: row.body.schema});
  return {
    operationId: row.operationId,
    summary: row.summary,
    description: row.description,
    tags: [row.tag],
    security: security(row.auth),
    ...(row.parameters ? {parameters: row.parameters} : {}),
    ...(row.body && media
      ? {requestBody: {required: row.body.required, content: {[MEDIA_TYPES[row.body.mediaType]]: media}}}
      : {}),
    responses: row.responses,
  };
}

export function toOpenApi(description: EndpointsDescription): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  for (const row of description.rows) {
    const method = row.method === 'GET' ? 'get' : 'post';
    if (paths[row.path]?.[method]) throw new Error(`${row.method} ${row.path} is described twice`);
    paths[row.path] = {...(row.servers ? {servers: row.servers} : {}), ...paths[row.path], [method]: toOperation(row)};
  }
  return {
    openapi: '3.1.0',
    info: description.info,
    servers: [{url: description.issuer, description: 'The issuer'}],
    tags: description.tags,
    paths,
    components: {
      schemas: description.schemas,
      securitySchemes: description.securitySchemes,
      headers: description.headers,
    },
  };
}
