import { describe, expect, it } from 'vitest';
import { CommandApdu } from '../../../native-host/card/apdu';
import { fromHex, toHex } from '../../../native-host/card/hex';
import { MAX_T0_EXCHANGES, transmitApdu } from '../../../native-host/card/t0-transport';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { ScriptedSession, type ScriptStep } from '../fakes/scripted-session';
import { expectNhiCardRejection } from './nhi-card-error-expectations';

const READ = new CommandApdu({ cla: 0x00, ins: 0xca, p1: 0x00, p2: 0x00, data: fromHex('00 00'), le: 0 });
const READ_HEX = '00 CA 00 00 02 00 00 00';

async function run(steps: readonly ScriptStep[]): Promise<{ data: string; sw: string }> {
  const session = new ScriptedSession(steps);
  const response = await transmitApdu(session, READ);
  session.assertDone();
  return { data: toHex(response.data), sw: response.swHex };
}

describe('transmitApdu', () => {
  it('passes a direct answer through', async () => {
    expect(await run([{ expect: READ_HEX, reply: '01 02 90 00' }])).toEqual({ data: '01 02', sw: '9000' });
  });

  it('passes an error status through for the caller to judge', async () => {
    expect(await run([{ expect: READ_HEX, reply: '6A 82' }])).toEqual({ data: '', sw: '6A82' });
  });

  it('fetches the answer with GET RESPONSE after 61 XX', async () => {
    const answer = await run([
      { expect: READ_HEX, reply: '61 03' },
      { expect: '00 C0 00 00 03', reply: '01 02 03 90 00' },
    ]);
    expect(answer).toEqual({ data: '01 02 03', sw: '9000' });
  });

  it('follows repeated 61 XX, concatenating every chunk', async () => {
    const answer = await run([
      { expect: READ_HEX, reply: '61 02' },
      { expect: '00 C0 00 00 02', reply: '01 02 61 02' },
      { expect: '00 C0 00 00 02', reply: '03 04 61 01' },
      { expect: '00 C0 00 00 01', reply: '05 90 00' },
    ]);
    expect(answer).toEqual({ data: '01 02 03 04 05', sw: '9000' });
  });

  it('asks for 256 bytes when the card says 61 00', async () => {
    const answer = await run([
      { expect: READ_HEX, reply: '61 00' },
      { expect: '00 C0 00 00 00', reply: '07 90 00' },
    ]);
    expect(answer).toEqual({ data: '07', sw: '9000' });
  });

  it('resends the same command with Le = XX after 6C XX', async () => {
    const answer = await run([
      { expect: READ_HEX, reply: '6C 0C' },
      { expect: '00 CA 00 00 02 00 00 0C', reply: '01 02 90 00' },
    ]);
    expect(answer).toEqual({ data: '01 02', sw: '9000' });
  });

  it('handles 6C XX followed by 61 XX', async () => {
    const answer = await run([
      { expect: READ_HEX, reply: '6C 02' },
      { expect: '00 CA 00 00 02 00 00 02', reply: '61 02' },
      { expect: '00 C0 00 00 02', reply: 'AA BB 90 00' },
    ]);
    expect(answer).toEqual({ data: 'AA BB', sw: '9000' });
  });

  it('gives the final status of a GET RESPONSE chain', async () => {
    const answer = await run([
      { expect: READ_HEX, reply: '61 02' },
      { expect: '00 C0 00 00 02', reply: '6F 00' },
    ]);
    expect(answer).toEqual({ data: '', sw: '6F00' });
  });

  it('gives up on a card that never stops answering 61 XX', async () => {
    const endless = Array.from({ length: MAX_T0_EXCHANGES }, (_, index): ScriptStep => ({
      expect: index === 0 ? READ_HEX : '00 C0 00 00 01',
      reply: '00 61 01',
    }));
    const session = new ScriptedSession(endless);
    await expectNhiCardRejection(transmitApdu(session, READ), ErrorCode.CardError);
    session.assertDone();
  });

  it('gives up on a card that keeps answering 6C XX', async () => {
    const endless = Array.from({ length: MAX_T0_EXCHANGES }, (_, index): ScriptStep => ({
      expect: index === 0 ? READ_HEX : '00 CA 00 00 02 00 00 05',
      reply: '6C 05',
    }));
    const session = new ScriptedSession(endless);
    await expectNhiCardRejection(transmitApdu(session, READ), ErrorCode.CardError);
    session.assertDone();
  });

  it('reports a removed card when a GET RESPONSE gets no answer', async () => {
    const session = new ScriptedSession([
      { expect: READ_HEX, reply: '61 02' },
      { expect: '00 C0 00 00 02', reply: '' },
    ]);
    await expectNhiCardRejection(transmitApdu(session, READ), ErrorCode.CardRemoved);
    session.assertDone();
  });

  it('lets a session failure through unchanged', async () => {
    const failure = new Error('reader unplugged');
    const session = new ScriptedSession([{ expect: READ_HEX, reject: failure }]);
    await expect(transmitApdu(session, READ)).rejects.toBe(failure);
  });
});
