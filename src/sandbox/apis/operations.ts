import type {Handler} from 'hono';
import type {CatalogApi} from '../catalog';
import type {Sandbox, SandboxEnv} from '../context';

/**
 * `GET` on an API's base URL: what it offers, each operation with the scope its access token needs,
 * so a client can find its way instead of meeting a 404. The list is public (it is in the catalog);
 * the operations themselves ask for a bearer token (RFC 6750 §2.1).
 */
export function operationsIndex(sandbox: Sandbox, id: CatalogApi['id']): Handler<SandboxEnv> {
  const api = sandbox.catalog.apis.find((candidate) => candidate.id === id);
  if (!api) throw new Error(`no ${id} API in the catalog`);
  const index = {name: api.name, identifier: api.identifier, scopes: api.scopes, operations: api.operations};
  return (c) => c.json(index);
}
