/**
 * The query strings and bodies of a session's browser streams (SPEC §1 "Browser reach"): the
 * WebSocket's, the event stream's, and stream tickets.
 */
import { Type } from 'typebox';
import { JSON_FORMS } from '../../archive/index.js';
import { SessionName } from './shared-schemas.js';

const TypeName = (what: string) => Type.String({ minLength: 1, maxLength: 128, description: what });
const Form = Type.Enum([...JSON_FORMS], { description: 'the JSON form of pushed values: canonical (default) or lossless' });
const TicketParam = Type.String({ minLength: 1, maxLength: 128, description: 'a stream ticket from POST /tickets (for browsers, which cannot send the Authorization header here); single-use' });

export const WebSocketQuery = Type.Object(
  {
    mode: Type.Optional(Type.Enum(['json', 'binary'], { default: 'json', description: 'json: a text frame is one message, a pushed frame one decoded message; binary: raw bytes both ways (websockify)' })),
    receive: Type.Optional(TypeName('json mode: decode every message from the peer as this type and push it as {"type","value"}; without it nothing is read (stores only)')),
    send: Type.Optional(TypeName('json mode: every text frame is a bare value of this type (else {"type": T, "value": v})')),
    form: Type.Optional(Form),
    ticket: Type.Optional(TicketParam),
  },
  { additionalProperties: false },
);

export const EventsQuery = Type.Object(
  {
    receive: Type.Optional(TypeName('also read the messages the peer sends, decoded as this type, and push each as a `message` event {type, value}')),
    form: Type.Optional(Form),
    ticket: Type.Optional(TicketParam),
    lastEventId: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'resume after this event id, as the Last-Event-ID header does (a new EventSource cannot set that header)' })),
  },
  { additionalProperties: false },
);

export const TicketBody = Type.Object(
  { session: SessionName },
  { additionalProperties: false, description: 'the session whose event stream or WebSocket the ticket opens' },
);

export const TicketIssued = Type.Object(
  {
    ticket: Type.String({ description: 'give it as ?ticket= on GET /sessions/{session}/events or /ws; good once' }),
    session: Type.String({ description: 'the session it opens' }),
    expiresAt: Type.String({ format: 'date-time', description: 'unused past this time (ARCHWAY_TICKET_TTL_MS after issue)' }),
  },
  { additionalProperties: false },
);
