import { describe, expect, it } from 'vitest';
import { HostMissingPage } from '../../../extension/background/host-missing-page';
import type { HostState } from '../../../extension/background/native-host-client';
import { memoryStorageArea } from '../../../extension/background/storage-area';
import type { WireError } from '../../../native-host/protocol/nhi-card-error';

const failed = (code: WireError['code']): HostState => ({ kind: 'failed', error: { code, message: 'x' } });

function page(session = memoryStorageArea()) {
  let opened = 0;
  const missing = new HostMissingPage(() => {
    opened += 1;
    return Promise.resolve();
  }, session);
  return { missing, opened: () => opened };
}

async function settled(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('the host-missing page', () => {
  it.each<WireError['code']>(['HOST_NOT_FOUND', 'HOST_INCOMPATIBLE'])('opens when the host fails with %s', async (code) => {
    const { missing, opened } = page();
    missing.onHostState(failed(code));
    await settled();
    expect(opened()).toBe(1);
  });

  it.each<HostState>([{ kind: 'idle' }, { kind: 'starting' }, { kind: 'ready', hello: { host: 'nhi-card', protocol: 1 } }, failed('HOST_EXITED'), failed('HOST_TIMEOUT')])(
    'stays closed for $kind',
    async (state) => {
      const { missing, opened } = page();
      missing.onHostState(state);
      await settled();
      expect(opened()).toBe(0);
    },
  );

  it('opens once per browser session, even across background restarts', async () => {
    const session = memoryStorageArea();
    const first = page(session);
    first.missing.onHostState(failed('HOST_NOT_FOUND'));
    first.missing.onHostState(failed('HOST_NOT_FOUND'));
    await settled();
    const restarted = page(session);
    restarted.missing.onHostState(failed('HOST_NOT_FOUND'));
    await settled();
    expect(first.opened() + restarted.opened()).toBe(1);
  });
});
