/**
 * CORS (SPEC §1 "Browser reach") with @fastify/cors, when ARCHWAY_CORS_ORIGINS lists origins: a
 * preflight of any route from a listed origin is answered (204) before the token is checked — a
 * browser sends no Authorization header on a preflight — and the answers carry the headers a page
 * needs. Without the setting the plugin is not registered at all: no cross-origin access.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Methods the gateway's routes use. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];
/** What a page may send: its token, JSON bodies, and an EventSource's resumption point. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'last-event-id'];
/** What a page may read besides the safelisted headers: where a new session is, why a 401 came. */
const EXPOSED_HEADERS = ['location', 'www-authenticate', 'retry-after', 'content-length'];
/** A browser may keep a preflight's answer this long (seconds). */
const MAX_AGE_S = 600;

export async function useCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const any = origins.includes('*');
  await app.register(cors, {
    // An origin not listed (or no Origin: not a page) gets no CORS headers: the browser keeps the
    // answer from the page, and its preflight finds no route (404).
    origin: (origin, done) => done(null, origin !== undefined && (any || origins.includes(origin)) ? (any ? '*' : origin) : false),
    methods: METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    // Credentials are a bearer token the page holds, never cookies: no Access-Control-Allow-Credentials.
    credentials: false,
    maxAge: MAX_AGE_S,
    strictPreflight: true,
  });
}
