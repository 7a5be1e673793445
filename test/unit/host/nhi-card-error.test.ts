import { describe, expect, it } from 'vitest';
import { ErrorCode, ExtensionErrorCode } from '../../../native-host/protocol/error-codes';
import { hostMessageSchema } from '../../../native-host/protocol/messages';
import { asNhiCardError, hostWireError, MAX_ERROR_MESSAGE_LENGTH, NhiCardError } from '../../../native-host/protocol/nhi-card-error';

describe('the one error and its wire form', () => {
  it('is named as pages see it and crosses the wire as code and message only', () => {
    const error = new NhiCardError(ErrorCode.NoCard, 'no card in the reader', { cause: new Error('inner') });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NhiCardError');
    expect(error.toWire()).toEqual({ code: 'NO_CARD', message: 'no card in the reader' });
  });

  it('caps the message on the wire', () => {
    const wire = new NhiCardError(ErrorCode.Internal, 'x'.repeat(5000)).toWire();
    expect(wire.message).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
  });

  it.each([
    ['an NhiCardError, kept as it is', new NhiCardError(ErrorCode.CardRemoved, 'gone'), 'CARD_REMOVED', 'gone'],
    ['another Error, as INTERNAL with its message', new TypeError('boom'), 'INTERNAL', 'boom'],
    ['a thrown string', 'plain', 'INTERNAL', 'plain'],
  ])('wraps %s', (_case, thrown, code, message) => {
    const error = asNhiCardError(thrown);
    expect(error).toMatchObject({ code, message });
    if (thrown instanceof NhiCardError) expect(error).toBe(thrown);
    else expect(error.cause).toBe(thrown);
  });

  it('wraps with the fallback code it is given', () => {
    expect(asNhiCardError(new Error('pcscd said no'), ErrorCode.PcscError).code).toBe('PCSC_ERROR');
  });

  it('lets the host write host codes and nothing else on its wire', () => {
    expect(hostWireError(new NhiCardError(ErrorCode.ReaderBusy, 'busy'))).toEqual({ code: 'READER_BUSY', message: 'busy' });
    const leaked = hostWireError(new NhiCardError(ExtensionErrorCode.ConsentDenied, 'not the host to say'));
    expect(leaked).toEqual({ code: 'INTERNAL', message: 'not the host to say' });
    expect(hostMessageSchema.safeParse({ id: 'r1', error: leaked }).success).toBe(true);
    expect(hostMessageSchema.safeParse({ id: 'r1', error: { code: 'CONSENT_DENIED', message: 'x' } }).success).toBe(false);
  });
});
