/** The OpenAPI document of a gateway with the default configuration and the demo types, as text. */
import { DEMO_TYPES } from '../src/demo/index.js';
import { buildGateway, loadConfig } from '../src/gateway/index.js';

export async function openapiJson(): Promise<string> {
  const config = loadConfig([], {}, { demo: true, logLevel: 'silent' });
  const { app, ctx } = await buildGateway(config, { typeFiles: [{ file: DEMO_TYPES, source: 'types/demo.json' }] });
  await app.ready();
  const doc = ctx.openapi();
  await app.close();
  return `${JSON.stringify(doc, null, 2)}\n`;
}
