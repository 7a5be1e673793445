/**
 * An attacker's frame inside a trusted page: for as long as it runs, it posts our channel's
 * handshake (with a port) and reply-shaped messages for every plausible request id to its parent,
 * then reports what came back on its port. Served by the untrusted spoofer site, and loaded by a
 * data: frame for the opaque-origin case.
 */
import { HANDSHAKE_TAG } from '../../../extension/shared/channel-handshake';
import { SPOOF_MARKER, SPOOF_MS, type SpoofReport } from './lib-spoofing';

const channel = new MessageChannel();
const received: unknown[] = [];
channel.port1.onmessage = (event: MessageEvent) => {
  received.push(event.data);
};
parent.postMessage({ tag: HANDSHAKE_TAG, type: 'connect' }, '*', [channel.port2]);
channel.port1.postMessage({ kind: 'request', id: 1, method: 'readCard', params: {} });

const identity = {
  cardNumber: SPOOF_MARKER, name: SPOOF_MARKER, idNumber: SPOOF_MARKER, birthDate: SPOOF_MARKER,
  sex: 'M', issueDate: SPOOF_MARKER, reader: SPOOF_MARKER,
};
let id = 1;
const timer = setInterval(() => {
  for (let burst = 0; burst < 20; burst++, id = (id % 400) + 1) {
    parent.postMessage({ kind: 'response', id, ok: true, value: { reply: `GetBasic:${SPOOF_MARKER}` } }, '*');
    parent.postMessage({ kind: 'response', id, ok: true, value: identity }, '*');
  }
}, 1);

setTimeout(() => {
  clearInterval(timer);
  const spoofReport: SpoofReport = { origin: location.origin, nhiCard: 'nhiCard' in window, received };
  parent.postMessage({ spoofReport }, '*');
}, SPOOF_MS);
