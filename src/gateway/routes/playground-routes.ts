/**
 * `/playground` (SPEC §1 "Browser reach"): a small page — plain HTML and module scripts, no build
 * step, in the package's `playground/` folder — that connects to the demo service over a session's
 * WebSocket, sends Orders and shows the answers and the session's events live. Open without a
 * token (the page asks for it and keeps it in memory); it doubles as the fixture of the browser
 * tests. Its files are an allow-list read at start, so no path ever reaches the file system.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { GatewayContext } from '../gateway-context.js';

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'playground.js': 'text/javascript; charset=utf-8',
  'gateway-client.js': 'text/javascript; charset=utf-8',
  'playground.css': 'text/css; charset=utf-8',
};

/** The page may talk to any gateway (`?gateway=`), but loads nothing from anywhere else. */
const CSP = "default-src 'self'; connect-src 'self' http: https: ws: wss:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The `playground/` folder: beside `src/` in the package, from the sources and from `dist/` alike. */
function playgroundDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'playground');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('the playground/ folder is missing from the package');
    dir = up;
  }
}

export const playgroundRoutes: FastifyPluginAsync<GatewayContext> = async (app, ctx) => {
  const { config } = ctx;
  const dir = playgroundDir();
  const files = new Map(Object.entries(FILES).map(([name, type]) => [name, { type, body: readFileSync(path.join(dir, name)) }]));
  const send = (name: string) => {
    const file = files.get(name)!;
    return { type: file.type, body: file.body };
  };
  const hide = { schema: { hide: true } };
  // With or without the trailing slash a person may type: the page's own links are absolute.
  for (const url of ['/playground', '/playground/']) {
    app.get(url, hide, async (_req, reply) => {
      const { type, body } = send('index.html');
      return reply.type(type).header('cache-control', 'no-cache').header('content-security-policy', CSP).send(body);
    });
  }
  for (const name of Object.keys(FILES).filter((n) => n !== 'index.html')) {
    app.get(`/playground/${name}`, hide, async (_req, reply) => {
      const { type, body } = send(name);
      return reply.type(type).header('cache-control', 'no-cache').send(body);
    });
  }
  // What the page needs to know of this gateway: where the demo service listens, whether a token is asked.
  app.get('/playground/settings.json', hide, async () => ({
    demo: config.demo ? { host: '127.0.0.1', port: config.demoPort } : null,
    token: config.token !== '',
  }));
};
