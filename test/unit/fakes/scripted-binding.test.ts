import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../native-host/card/hex';
import type { BindingReader } from '../../../native-host/pcsc/pcsclite-binding';
import { pcscStatusOf, PcscStatus } from '../../../native-host/pcsc/pcsc-error';
import { BindingMisuseError, ScriptedBinding } from './scripted-binding';

const CARD = { atr: '3B 9F 95', script: [{ expect: '00 A4 04 00', reply: '90 00' }] };

function connect(reader: BindingReader, shareMode = reader.SCARD_SHARE_SHARED): Promise<number> {
  return new Promise((resolve, reject) => {
    reader.connect({ share_mode: shareMode, protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1 }, (error, protocol) => {
      if (error instanceof Error) reject(error);
      else resolve(protocol);
    });
  });
}

function transmit(reader: BindingReader, hex: string, protocol: number): Promise<string> {
  return new Promise((resolve, reject) => {
    reader.transmit(Buffer.from(hex.replaceAll(' ', ''), 'hex'), 258, protocol, (error, response) => {
      if (error instanceof Error) reject(error);
      else resolve(toHex(response));
    });
  });
}

function disconnect(reader: BindingReader): Promise<void> {
  return new Promise((resolve) => {
    reader.disconnect(reader.SCARD_LEAVE_CARD, () => {
      resolve();
    });
  });
}

/** Opens a context and collects what it reports until the first enumeration has been delivered. */
async function openAndList(binding: ScriptedBinding) {
  const seen: string[] = [];
  const context = binding.open(() => seen.push('listed'));
  context.on('reader', (reader) => {
    seen.push(`reader ${reader.name}`);
    reader.on('status', ({ state, atr }) => seen.push(`status ${reader.name} ${state.toString(16)} ${toHex(atr ?? Buffer.alloc(0))}`));
    reader.on('end', () => seen.push(`end ${reader.name}`));
  });
  await binding.idle();
  return { context, seen };
}

describe('ScriptedBinding', () => {
  it('announces the readers after open returns, says the list is complete, then reports each card state', async () => {
    const binding = new ScriptedBinding();
    binding.plug('Reader A', CARD);
    binding.plug('Reader B');
    const { seen } = await openAndList(binding);
    expect(seen).toEqual(['reader Reader A', 'reader Reader B', 'listed', 'status Reader A 10020 3B 9F 95', 'status Reader B 10 ']);
  });

  it('says the list is complete when there are no readers', async () => {
    const { seen } = await openAndList(new ScriptedBinding());
    expect(seen).toEqual(['listed']);
  });

  it('reports insertions, removals, swaps and unplugging with PC/SC event counts', async () => {
    const binding = new ScriptedBinding();
    const reader = binding.plug('Reader A');
    const { seen } = await openAndList(binding);
    seen.length = 0;
    reader.insert(CARD);
    reader.swap(CARD);
    reader.remove();
    binding.unplug('Reader A');
    expect(seen).toEqual(['status Reader A 10020 3B 9F 95', 'status Reader A 30020 3B 9F 95', 'status Reader A 40010 ', 'end Reader A']);
  });

  it('connects in shared mode, plays the card script and disconnects', async () => {
    const binding = new ScriptedBinding();
    const reader = binding.plug('Reader A', CARD);
    await openAndList(binding);
    const protocol = await connect(reader);
    expect(protocol).toBe(reader.SCARD_PROTOCOL_T1);
    expect(reader.connected).toBe(true);
    expect(await transmit(reader, '00 A4 04 00', protocol)).toBe('90 00');
    await disconnect(reader);
    expect(reader.connected).toBe(false);
    reader.card?.assertDone();
    binding.assertClean();
    expect(binding.calls).toEqual(['open context', 'connect Reader A', 'transmit Reader A 00 A4 04 00', 'disconnect Reader A']);
  });

  it('fails connect to an empty reader as PC/SC does', async () => {
    const binding = new ScriptedBinding();
    const reader = binding.plug('Reader A');
    await expect(connect(reader)).rejects.toSatisfy((error) => pcscStatusOf(error) === PcscStatus.noSmartcard);
    binding.assertClean();
  });

  it('fails an exchange whose card is pulled before it answers, and one on a card swapped since connect', async () => {
    const binding = new ScriptedBinding();
    const reader = binding.plug('Reader A', { atr: '3B', script: [{ expect: '00 B0 00 00', noAnswer: true }] });
    const protocol = await connect(reader);
    const pending = transmit(reader, '00 B0 00 00', protocol);
    await binding.idle();
    expect(reader.exchanging).toBe(true);
    reader.remove();
    await expect(pending).rejects.toSatisfy((error) => pcscStatusOf(error) === PcscStatus.removedCard);
    reader.insert(CARD);
    await expect(transmit(reader, '00 A4 04 00', protocol)).rejects.toSatisfy((error) => pcscStatusOf(error) === PcscStatus.removedCard);
    binding.assertClean();
  });

  it.each([
    ['connect in exclusive mode', async (reader: BindingReader) => connect(reader, 1), 'connect on Reader A with share mode 1, not SHARED'],
    ['transmit before connect', async (reader: BindingReader) => transmit(reader, '00 A4 04 00', 2), 'transmit 00 A4 04 00 on Reader A while idle'],
    ['disconnect before connect', async (reader: BindingReader) => disconnect(reader), 'disconnect on Reader A while idle'],
    [
      'connect twice',
      async (reader: BindingReader) => connect(reader).then(async () => connect(reader)),
      'connect on Reader A while connected',
    ],
    [
      'two exchanges at once',
      async (reader: BindingReader) => {
        const protocol = await connect(reader);
        return Promise.all([transmit(reader, '00 A4 04 00', protocol), transmit(reader, '00 A4 04 00', protocol)]);
      },
      'transmit 00 A4 04 00 on Reader A while another exchange is under way',
    ],
    [
      'use after close',
      async (reader: BindingReader) => {
        reader.close();
        return connect(reader);
      },
      'connect on Reader A after it was closed',
    ],
  ])('refuses to %s, loudly and for good', async (_name, misuse, message) => {
    const binding = new ScriptedBinding();
    const reader = binding.plug('Reader A', CARD);
    await expect(misuse(reader)).rejects.toThrow(new BindingMisuseError(message));
    expect(() => {
      binding.assertClean();
    }).toThrow(message);
  });

  it('passes an APDU the script did not expect on as a failed exchange, and remembers it', async () => {
    const binding = new ScriptedBinding();
    const reader = binding.plug('Reader A', CARD);
    const protocol = await connect(reader);
    await expect(transmit(reader, '00 B0 00 00', protocol)).rejects.toThrow('step 1: expected 00 A4 04 00 but got 00 B0 00 00');
    expect(() => {
      binding.assertClean();
    }).toThrow("the card's script was broken: step 1: expected 00 A4 04 00 but got 00 B0 00 00");
  });

  it('serves one context', async () => {
    const binding = new ScriptedBinding();
    const { context } = await openAndList(binding);
    expect(binding.contextOpen).toBe(true);
    context.close();
    expect(binding.contextOpen).toBe(false);
    expect(() => binding.open(() => undefined)).toThrow(BindingMisuseError);
  });
});
