/**
 * Serves the sandbox from Node: `npm run sandbox -- --port 4000`, issuer http://localhost:<port>/sandbox,
 * in-memory state, cookie sessions, CORS for the docs dev server and any other localhost origin.
 */
import {serve} from '@hono/node-server';
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import {pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {createSandbox} from './app';
import {createMemoryStore} from './store/memory';

export interface NodeSandbox {
  issuer: string;
  close(): Promise<void>;
}

const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** Starts the sandbox on `port` (0 picks a free one) and resolves once it listens. */
export async function startNodeSandbox({port = 4000, siteUrl = 'http://localhost:3000/'}: {port?: number; siteUrl?: string} = {}): Promise<NodeSandbox> {
  let app: ReturnType<typeof createSandbox> | undefined;
  const server = serve({port, hostname: '127.0.0.1', fetch: (request) => app!.fetch(request)});
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  // The issuer needs the real port (port 0 picks one); no request can arrive before this line runs.
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}/sandbox`;
  const siteOrigin = new URL(siteUrl).origin;
  app = createSandbox({
    issuer,
    siteUrl,
    store: createMemoryStore(),
    session: 'cookie',
    corsOrigins: (origin) => origin === siteOrigin || LOCALHOST_ORIGIN.test(origin),
  });
  return {
    issuer,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function main(): Promise<void> {
  const {values} = parseArgs({options: {port: {type: 'string', default: '4000'}}});
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const sandbox = await startNodeSandbox({port});
  console.log(`OAuth sandbox issuer:  ${sandbox.issuer}`);
  console.log(`Discovery:             ${sandbox.issuer}/.well-known/openid-configuration`);
  console.log(`Demo world (catalog):  ${sandbox.issuer}/catalog`);
  const stop = () => void sandbox.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
