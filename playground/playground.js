/**
 * The playground page: connects a session to the demo archive service, opens its WebSocket in
 * JSON mode (`?send=Order&receive=OrderAck`) and its event stream, sends Orders, and lists every
 * answer and event as it comes. `window.playground` exposes the same steps (the browser tests
 * drive the page through it, and a person may too, from the console).
 */
import { GatewayClient } from './gateway-client.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const log = [];

function show(source, text, kind = source) {
  const entry = { source, text, at: new Date().toISOString() };
  log.push(entry);
  const li = document.createElement('li');
  li.className = kind;
  const tag = document.createElement('span');
  tag.className = 'source';
  tag.textContent = source;
  li.append(tag, ` ${text}`);
  $('log').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

function status(text) {
  $('status').textContent = text;
}

/**
 * Where the token goes, beside the token field: `?gateway=` may point the page at any gateway,
 * and one that is not this page's origin is marked as such.
 */
function showTarget() {
  const base = $('gateway').value;
  let origin = base;
  try {
    origin = new URL(base).origin;
  } catch {
    // not a URL yet: shown as typed
  }
  const elsewhere = origin !== location.origin;
  $('token-target').textContent = elsewhere ? `the token goes to ${origin}, not this page's origin` : `the token goes to ${origin}, this page's origin`;
  $('token-target').classList.toggle('elsewhere', elsewhere);
}

let client;
let ws;
let events;
let session;

/** Creates the session, connects it to the service, opens its WebSocket and its event stream. */
async function connect(options = {}) {
  // The gateway in use is always the one the page shows beside the token.
  if (options.gateway !== undefined) $('gateway').value = options.gateway;
  showTarget();
  client = new GatewayClient($('gateway').value, options.token ?? $('token').value);
  session = options.session ?? ($('session').value || `pg-${Math.random().toString(36).slice(2, 8)}`);
  const host = options.host ?? $('host').value;
  const port = Number(options.port ?? $('port').value);
  await client.call('POST', '/sessions', { kind: 'stream', name: session });
  const connected = await client.call('POST', `/sessions/${session}/connect`, { host, port });
  show('info', `session ${session} (gateway ${client.base}) connected to ${connected.remote.address}:${connected.remote.port}`);
  const onEvent = (name, data, id) => show('event', `#${id || '-'} ${name} ${JSON.stringify(data)}`);
  events = client.openEvents(session, {}, onEvent, (err) => (err === undefined ? show('info', 'event stream ended') : show('info', `event stream stopped: ${err.message}`, 'error')));
  ws = await client.openWebSocket(session, { send: 'Order', receive: 'OrderAck' });
  ws.addEventListener('message', (e) => {
    const frame = JSON.parse(e.data);
    if (frame.error !== undefined) show('error', `frame ${frame.frame ?? '-'}: ${frame.error.code} ${frame.error.path ?? ''} ${frame.error.message}`);
    else show('ws', `${frame.type} ${JSON.stringify(frame.value)}`);
  });
  ws.addEventListener('close', (e) => {
    show('info', `WebSocket closed: ${e.code} ${e.reason}`);
    setConnected(false);
  });
  setConnected(true);
  return session;
}

/** Sends the Order in the editor (or `order`) as one frame; the next id is put in the editor. */
function sendOrder(order) {
  const value = order ?? JSON.parse($('order').value);
  ws.send(JSON.stringify(value));
  show('sent', `Order ${value.id}`, 'info');
  if (order === undefined && $('bump').checked) $('order').value = JSON.stringify({ ...value, id: value.id + 1 }, null, 2);
  return value.id;
}

async function disconnect() {
  ws?.close(1000);
  events?.close();
  if (session !== undefined) await client.call('DELETE', `/sessions/${session}`).catch((err) => show('error', err.message));
  setConnected(false);
}

function setConnected(on) {
  $('send-button').disabled = !on;
  $('disconnect-button').disabled = !on;
  $('connect-button').disabled = on;
  status(on ? `connected: ${session}` : 'not connected');
}

async function init() {
  const base = params.get('gateway') ?? location.origin;
  $('gateway').value = base;
  showTarget();
  $('gateway').addEventListener('input', showTarget);
  const settings = await fetch(`${base}/playground/settings.json`).then((r) => r.json()).catch(() => ({ demo: null }));
  $('port').value = params.get('port') ?? settings.demo?.port ?? 7000;
  if (settings.demo?.host !== undefined) $('host').value = settings.demo.host;
  // The reference Order, as the API describes it.
  const doc = await fetch(`${base}/openapi.json`).then((r) => r.json()).catch(() => undefined);
  const example = doc?.components?.schemas?.Order?.examples?.[0] ?? { id: 1, customer: 'Globex', placed: '2019-10-03T14:47:55Z', total: 39.98, priority: 1, express: false, lines: [{ sku: 'AB-10001', qty: 2, price: 19.99 }], notes: [] };
  $('order').value = JSON.stringify(example, null, 2);
  $('connect').addEventListener('submit', (e) => {
    e.preventDefault();
    connect().catch((err) => show('error', `${err.code ?? ''} ${err.message}`));
  });
  $('send-button').addEventListener('click', () => {
    try {
      sendOrder();
    } catch (err) {
      show('error', err.message);
    }
  });
  $('disconnect-button').addEventListener('click', () => void disconnect());
  status(settings.token ? 'not connected (this gateway asks for a token)' : 'not connected');
  window.playground.ready = true;
}

window.playground = { connect, sendOrder, disconnect, log, GatewayClient, get client() { return client; }, ready: false };
void init();
