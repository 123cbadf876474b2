/**
 * `archway/gateway`: the HTTP/REST face of Archway (SPEC §1, §3–§6) — build an instance with
 * `buildGateway(loadConfig(argv, env))`, then `listen`.
 */
export { buildGateway, loadTypes, type Gateway, type GatewayOptions } from './build-gateway.js';
export { ConfigSchema, configTable, envName, flagName, loadConfig, type Config, type ConfigError } from './config.js';
export { allCodes } from './error-catalog.js';
export * from './errors.js';
export type { GatewayContext } from './gateway-context.js';
export { API_VERSION } from './openapi/document-info.js';
export { Session } from './sessions/session.js';
export { SessionRegistry } from './sessions/session-registry.js';
export { TargetPolicy } from './sessions/target-policy.js';
