import {Hono} from 'hono';
import type {Sandbox, SandboxEnv} from '../context';
import {InvalidRequest} from '../errors';
import {defineRoute} from '../routing';
import {randomToken} from '../tokens';
import {bearerAuth, requireScope} from './bearer';
import {operationsIndex} from './operations';
import {seedEvents, type CalendarEvent} from './data';
import {readJsonObject, stringField} from './json-body';

const REALM = 'calendar';
const MAX_ADDED_EVENTS = 20;
const eventsKey = (sub: string) => `calendar:${sub}`;

/**
 * The demo Calendar API, a resource server for the audience `{issuer}/api/calendar`:
 * `GET /events` (calendar:read) and `POST /events` (calendar:write); `GET /` lists them.
 */
export function calendarApi(sandbox: Sandbox): Hono<SandboxEnv> {
  const api = new Hono<SandboxEnv>();
  const authenticated = bearerAuth(sandbox, {audience: `${sandbox.issuer}/api/calendar`, realm: REALM});

  defineRoute(api, '/', {GET: [operationsIndex(sandbox, 'calendar')]});
  defineRoute(api, '/events', {
    GET: [
      authenticated,
      requireScope('calendar:read', REALM),
      async (c) => {
        const token = c.get('token');
        const added = (await sandbox.store.get<CalendarEvent[]>(eventsKey(token.sub))) ?? [];
        return c.json({
          caller: {sub: token.sub, client_id: token.client_id},
          events: [...seedEvents(token.sub), ...added],
        });
      },
    ],
    POST: [
      authenticated,
      requireScope('calendar:write', REALM),
      async (c) => {
        const token = c.get('token');
        const body = await readJsonObject(c.req.raw);
        const title = stringField(body, 'title');
        const start = stringField(body, 'start', 40);
        if (Number.isNaN(Date.parse(start)) || !isCalendarDate(start))
          throw new InvalidRequest('start must be an ISO 8601 date-time');
        const event: CalendarEvent = {id: `evt-${randomToken(6)}`, title, start: new Date(start).toISOString()};
        const added = (await sandbox.store.get<CalendarEvent[]>(eventsKey(token.sub))) ?? [];
        await sandbox.store.set(eventsKey(token.sub), [...added, event].slice(-MAX_ADDED_EVENTS));
        return c.json({caller: {sub: token.sub, client_id: token.client_id}, event}, 201);
      },
    ],
  });
  return api;
}

/** True when the value starts with a real calendar date: `Date.parse` quietly rolls 2024-02-30 over to March. */
function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})T/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
