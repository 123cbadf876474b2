/** Private state shared inside this layer (in the way of fastify's lib/symbols.js): never exported. */
export const kLine = Symbol('archway.readLine');
export const kOutbox = Symbol('archway.outbox');
export const kStoreState = Symbol('archway.storeState');
export const kStateForRead = Symbol('archway.stateForRead');
export const kSendRequest = Symbol('archway.sendRequest');
export const kGiveUp = Symbol('archway.giveUp');
export const kSendTurn = Symbol('archway.sendTurn');
