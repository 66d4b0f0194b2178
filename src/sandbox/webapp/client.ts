import * as oauth from 'oauth4webapi';
import type {Sandbox} from '../context';
import {serverMetadata} from '../endpoints/discovery';

/**
 * oauth4webapi options for a demo backend calling the sandbox in-process: inside a Service Worker,
 * `fetch()` to the worker's own URLs would bypass it and hit the network.
 */
export function inProcessOptions(sandbox: Sandbox): {[oauth.customFetch]: typeof fetch; [oauth.allowInsecureRequests]: boolean} {
  return {
    [oauth.customFetch]: ((url: string, init: RequestInit) => sandbox.fetchSelf(new Request(url, init))) as typeof fetch,
    // Only the Node transport has an http issuer (localhost); browsers and tests use https.
    [oauth.allowInsecureRequests]: sandbox.issuer.startsWith('http:'),
  };
}

/** The sandbox's own metadata, as an oauth4webapi AuthorizationServer. */
export function authorizationServer(sandbox: Sandbox): oauth.AuthorizationServer {
  return serverMetadata(sandbox) as unknown as oauth.AuthorizationServer;
}
