/**
 * The sandbox's OpenAPI 3.1 description (`GET {issuer}/openapi.json`), generated from the endpoint rows
 * of endpoints-description/ for an issuer and its catalog.
 */
import type {OpenApiDocument} from '../contract/openapi';
import type {Catalog} from './catalog';
import {describeEndpoints} from './endpoints-description';
import {toOpenApi} from './endpoints-description/to-openapi';

export type {OpenApiDocument, Operation, PathItem, Schema} from '../contract/openapi';

/** Builds the description for an issuer (no trailing slash) and its catalog. */
export function buildOpenApi(issuer: string, catalog: Catalog): OpenApiDocument {
  return toOpenApi(describeEndpoints(issuer, catalog));
}
