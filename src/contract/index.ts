/**
 * The contract between the site and the sandbox: the shapes of what the sandbox serves and the site reads
 * (the catalog, the OpenAPI description). Types, and the device grant's `grant_type`; both sides import them from here.
 */
export type * from './catalog';
export {DEVICE_CODE_GRANT_TYPE} from './catalog';
export type * from './openapi';
