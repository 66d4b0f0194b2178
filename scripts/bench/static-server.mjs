// A small static file server that compresses like a production host (gzip for text when the client
// accepts it) and resolves Docusaurus' URLs without trailing slashes (`/a/b` → `a/b.html` or
// `a/b/index.html`). The bench serves the plain Docusaurus site and this one with it, so both are
// measured through the same server.
import {createServer} from 'node:http';
import {readFile, stat} from 'node:fs/promises';
import {extname, join, normalize, sep} from 'node:path';
import {gzipSync} from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.sh': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.xml', '.txt', '.map', '.sh']);

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A file's identity for the gzip cache: a rebuild that rewrites it gets a new entry. */
async function version(path) {
  const {mtimeMs, size} = await stat(path);
  return `${path}:${mtimeMs}:${size}`;
}

async function resolve(root, pathname) {
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  if (relative.startsWith('..')) return undefined;
  const base = join(root, relative);
  if (!base.startsWith(root)) return undefined;
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    if (await isFile(candidate)) return candidate;
  }
  return undefined;
}

/** Serves `root` on `port`; resolves with the server once it listens. */
export function serveStatic(root, port) {
  const rootDir = normalize(root.endsWith(sep) ? root : root + sep);
  const gzipCache = new Map();
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      let file = await resolve(rootDir, url.pathname);
      let status = 200;
      if (!file) {
        status = 404;
        file = (await isFile(join(rootDir, '404.html'))) ? join(rootDir, '404.html') : undefined;
        if (!file) {
          response.writeHead(404, {'content-type': 'text/plain'}).end('Not found');
          return;
        }
      }
      const extension = extname(file);
      const headers = {'content-type': TYPES[extension] ?? 'application/octet-stream', 'cache-control': 'no-cache'};
      let body = await readFile(file);
      if (COMPRESSIBLE.has(extension) && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
        const key = await version(file);
        let compressed = gzipCache.get(key);
        if (!compressed) {
          compressed = gzipSync(body, {level: 6});
          gzipCache.set(key, compressed);
        }
        body = compressed;
        headers['content-encoding'] = 'gzip';
        headers.vary = 'Accept-Encoding';
      }
      headers['content-length'] = body.length;
      response.writeHead(status, headers);
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      response.writeHead(500, {'content-type': 'text/plain'}).end(String(error));
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, 'localhost', () => resolvePromise(server));
  });
}

// `node scripts/bench/static-server.mjs <dir> <port>` serves one folder until stopped.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, port] = process.argv.slice(2);
  await serveStatic(dir, Number(port));
  console.log(`serving ${dir} on http://localhost:${port}`);
}
