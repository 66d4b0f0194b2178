/**
 * The shape of the sandbox's OpenAPI 3.1 description (`GET {issuer}/openapi.json`), as far as the sandbox
 * writes it and the site's endpoint explorer reads it. Types only, shared by both sides.
 */

/** A JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12); loose on purpose, the shapes the sandbox writes are literal. */
export type Schema = {[keyword: string]: unknown};

export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  description: string;
  schema: Schema;
}

export interface MediaType {
  schema: Schema;
  examples?: Record<string, {summary: string; description?: string; value: unknown}>;
}

export interface HeaderObject {
  description: string;
  schema: Schema;
  required?: boolean;
}

export interface Response {
  description: string;
  headers?: Record<string, HeaderObject | {$ref: string}>;
  content?: Record<string, MediaType>;
}

export interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: {required: boolean; description?: string; content: Record<string, MediaType>};
  responses: Record<string, Response>;
}

export interface PathItem {
  servers?: {url: string; description: string}[];
  get?: Operation;
  post?: Operation;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: {
    title: string;
    version: string;
    summary: string;
    description: string;
    license: {name: string; identifier: string};
  };
  servers: {url: string; description: string}[];
  tags: {name: string; description: string}[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, Schema>;
    securitySchemes: Record<string, Schema>;
    headers: Record<string, HeaderObject>;
  };
}
