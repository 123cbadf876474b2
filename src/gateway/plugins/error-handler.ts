/**
 * Every error answer of the gateway, in one place: thrown errors become problem JSON (problem.ts),
 * unknown routes ROUTE_NOT_FOUND, and each is counted by code.
 */
import type { FastifyInstance } from 'fastify';
import { ERR_ROUTE_NOT_FOUND } from '../errors.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { problemOf, toProblem } from './problem.js';

export function errorAnswers(app: FastifyInstance, bodyLimit: number, metrics: GatewayMetrics): void {
  app.setErrorHandler((err, req, reply) => {
    const { problem, internal } = toProblem(err, bodyLimit, req.headers['content-type'], req.url);
    if (internal) req.log.error({ err }, 'internal error');
    metrics.errors.inc({ code: problem.code });
    void reply.code(problem.statusCode).send(problem);
  });
  app.setNotFoundHandler((req, reply) => {
    const problem = problemOf(new ERR_ROUTE_NOT_FOUND(req.method, req.url.split('?')[0]!));
    metrics.errors.inc({ code: problem.code });
    void reply.code(problem.statusCode).send(problem);
  });
}
