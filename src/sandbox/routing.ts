import type {Handler, Hono, MiddlewareHandler} from 'hono';
import type {SandboxEnv} from './context';
import {MethodNotAllowed} from './errors';

type AnyHandler = Handler<SandboxEnv> | MiddlewareHandler<SandboxEnv>;

export interface RouteOptions {
  /**
   * The GET handlers change state (the authorization endpoint starts an interaction), so HEAD is not
   * offered: Hono answers HEAD with the GET handlers, and a safe method must have no side effects
   * (RFC 9110 §9.2.1, §9.3.2). Such a route answers HEAD with 405 before any handler runs.
   */
  getChangesState?: boolean;
}

/**
 * Registers a path's GET and POST handler chains, and answers every other method with 405 and an
 * `Allow` header (RFC 9110 §15.5.6) instead of a misleading 404; a plain OPTIONS gets 204 with `Allow`
 * (§9.3.7).
 */
export function defineRoute(
  app: Hono<SandboxEnv>,
  path: string,
  handlers: {GET?: AnyHandler[]; POST?: AnyHandler[]},
  options: RouteOptions = {},
): void {
  const get = handlers.GET ? (options.getChangesState ? 'GET' : 'GET, HEAD') : '';
  const allow = [get, handlers.POST ? 'POST' : ''].filter(Boolean).join(', ');
  const refuse = (method: string): never => {
    throw new MethodNotAllowed(`${method} is not allowed here; use ${allow}`);
  };
  if (handlers.GET) {
    const chain = options.getChangesState ? [noHead(allow, refuse), ...handlers.GET] : handlers.GET;
    app.get(path, ...(chain as [Handler<SandboxEnv>]));
  }
  if (handlers.POST) app.post(path, ...(handlers.POST as [Handler<SandboxEnv>]));
  app.all(path, (c) => {
    if (c.req.method === 'OPTIONS') return c.body(null, 204, {Allow: `${allow}, OPTIONS`});
    c.header('Allow', allow);
    return refuse(c.req.method);
  });
}

/** Hono routes HEAD to the GET handlers; this one stops it before they run. */
function noHead(allow: string, refuse: (method: string) => never): MiddlewareHandler<SandboxEnv> {
  return async function refuseHead(c, next) {
    if (c.req.method === 'HEAD') {
      c.header('Allow', allow);
      refuse('HEAD');
    }
    await next();
  };
}
