import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../native-host/card/hex';
import { ScriptMismatchError, ScriptedSession } from './scripted-session';

describe('ScriptedSession', () => {
  it('answers each expected command in order, ignoring hex case and spacing in the script', async () => {
    const session = new ScriptedSession([
      { expect: '00a4 0400', reply: '90 00' },
      { expect: '00 84 00 00 08', reply: '0102030405060708 9000' },
    ]);
    expect(toHex(await session.transmit(fromHex('00 A4 04 00')))).toBe('90 00');
    expect(toHex(await session.transmit(fromHex('00 84 00 00 08')))).toBe('01 02 03 04 05 06 07 08 90 00');
    expect(session.sent).toEqual(['00 A4 04 00', '00 84 00 00 08']);
    session.assertDone();
  });

  it('can answer with nothing, as a removed card does', async () => {
    const session = new ScriptedSession([{ expect: '00 84 00 00 08', reply: '' }]);
    expect(await session.transmit(fromHex('00 84 00 00 08'))).toHaveLength(0);
  });

  it('rejects with the scripted error', async () => {
    const failure = new Error('reader gone');
    const session = new ScriptedSession([{ expect: '00 84 00 00 08', reject: failure }]);
    await expect(session.transmit(fromHex('00 84 00 00 08'))).rejects.toBe(failure);
    session.assertDone();
  });

  it('never answers a no-answer step, as a mute card does', async () => {
    const session = new ScriptedSession([{ expect: '00 84 00 00 08', noAnswer: true }]);
    const outcome = await Promise.race([session.transmit(fromHex('00 84 00 00 08')), new Promise((resolve) => setImmediate(resolve, 'pending'))]);
    expect(outcome).toBe('pending');
    session.assertDone();
  });

  it('fails an unexpected command with the step number and both hex strings', async () => {
    const session = new ScriptedSession([
      { expect: '00 A4 04 00', reply: '90 00' },
      { expect: '00 84 00 00 08', reply: '90 00' },
    ]);
    await session.transmit(fromHex('00 A4 04 00'));
    await expect(session.transmit(fromHex('00 CA 11 00'))).rejects.toThrow(
      new ScriptMismatchError('step 2: expected 00 84 00 00 08 but got 00 CA 11 00'),
    );
  });

  it('fails a command sent after the script ended', async () => {
    const session = new ScriptedSession([]);
    await expect(session.transmit(fromHex('00 84 00 00 08'))).rejects.toThrow('step 1: the script has ended (0 steps) but got 00 84 00 00 08');
  });

  it('keeps failing after a mismatch, and assertDone reports it even if the caller swallowed it', async () => {
    const session = new ScriptedSession([{ expect: '00 A4 04 00', reply: '90 00' }]);
    await session.transmit(fromHex('00 B0 00 00')).catch(() => undefined);
    await expect(session.transmit(fromHex('00 A4 04 00'))).rejects.toBeInstanceOf(ScriptMismatchError);
    expect(() => {
      session.assertDone();
    }).toThrow('step 1: expected 00 A4 04 00 but got 00 B0 00 00');
  });

  it('assertDone fails while steps remain', async () => {
    const session = new ScriptedSession([
      { expect: '00 A4 04 00', reply: '90 00' },
      { expect: '00 84 00 00 08', reply: '90 00' },
    ]);
    await session.transmit(fromHex('00 A4 04 00'));
    expect(session.remaining).toBe(1);
    expect(() => {
      session.assertDone();
    }).toThrow('1 script step(s) not played; next is step 2: 00 84 00 00 08');
  });

  it('refuses a script with malformed hex when it is built', () => {
    expect(() => new ScriptedSession([{ expect: '00 A4 0', reply: '90 00' }])).toThrow();
    expect(() => new ScriptedSession([{ expect: '00 A4 04 00', reply: '9G 00' }])).toThrow();
  });
});
