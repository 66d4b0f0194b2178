import type {Handler, Hono, MiddlewareHandler} from 'hono';
import type {SandboxEnv} from './context';
import {MethodNotAllowed} from './errors';

type AnyHandler = Handler<SandboxEnv> | MiddlewareHandler<SandboxEnv>;

/**
 * Registers a path's GET and POST handler chains, and answers every other method with 405 and an
 * `Allow` header (RFC 9110 §15.5.6) instead of a misleading 404.
 */
export function defineRoute(app: Hono<SandboxEnv>, path: string, handlers: {GET?: AnyHandler[]; POST?: AnyHandler[]}): void {
  if (handlers.GET) app.get(path, ...(handlers.GET as [Handler<SandboxEnv>]));
  if (handlers.POST) app.post(path, ...(handlers.POST as [Handler<SandboxEnv>]));
  const allow = [handlers.GET ? 'GET, HEAD' : '', handlers.POST ? 'POST' : ''].filter(Boolean).join(', ');
  app.all(path, (c) => {
    if (c.req.method === 'OPTIONS') return c.body(null, 204, {Allow: `${allow}, OPTIONS`});
    c.header('Allow', allow);
    throw new MethodNotAllowed(`${c.req.method} is not allowed here; use ${allow}`);
  });
}
