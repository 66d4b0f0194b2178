/**
 * The contract between the site and the sandbox: the shapes of what the sandbox serves and the site reads
 * (the catalog, the OpenAPI description). Types only; both sides import them from here.
 */
export type * from './catalog';
export type * from './openapi';
