import {Hono} from 'hono';
import type {Sandbox, SandboxEnv} from '../context';
import {defineRoute} from '../routing';
import {bearerAuth, requireScope} from './bearer';
import {operationsIndex} from './operations';
import {seedPeople} from './data';

const REALM = 'contacts';

/** The demo Contacts API, a resource server for the audience `{issuer}/api/contacts`: `GET /people` (contacts:read); `GET /` lists it. */
export function contactsApi(sandbox: Sandbox): Hono<SandboxEnv> {
  const api = new Hono<SandboxEnv>();
  defineRoute(api, '/', {GET: [operationsIndex(sandbox, 'contacts')]});
  defineRoute(api, '/people', {
    GET: [
      bearerAuth(sandbox, {audience: `${sandbox.issuer}/api/contacts`, realm: REALM}),
      requireScope('contacts:read', REALM),
      (c) => {
        const token = c.get('token');
        return c.json({caller: {sub: token.sub, client_id: token.client_id}, people: seedPeople(token.sub)});
      },
    ],
  });
  return api;
}
