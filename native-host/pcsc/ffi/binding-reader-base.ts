/**
 * What every reader with the `pcsclite` binding's shape starts from: an event emitter carrying the
 * binding's reader constants (pcsc-lite's values, which winscard.dll shares). The ffi backend's
 * reader and the scripted fake for unit tests both extend it.
 */
import { EventEmitter } from 'node:events';
import type { ReaderConstants } from '../pcsclite-binding';
import { SCARD_LEAVE_CARD, SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1, SCARD_SHARE_SHARED, SCARD_STATE_EMPTY, SCARD_STATE_PRESENT } from './pcsc-constants';

export abstract class BindingReaderBase extends EventEmitter implements ReaderConstants {
  readonly SCARD_SHARE_SHARED = SCARD_SHARE_SHARED;
  readonly SCARD_PROTOCOL_T0 = SCARD_PROTOCOL_T0;
  readonly SCARD_PROTOCOL_T1 = SCARD_PROTOCOL_T1;
  readonly SCARD_STATE_PRESENT = SCARD_STATE_PRESENT;
  readonly SCARD_STATE_EMPTY = SCARD_STATE_EMPTY;
  readonly SCARD_LEAVE_CARD = SCARD_LEAVE_CARD;
}
