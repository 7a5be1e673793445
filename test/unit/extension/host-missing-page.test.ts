import { describe, expect, it } from 'vitest';
import { welcomeWhenHostMissing } from '../../../extension/background/host-missing-page';
import type { HostState } from '../../../extension/background/native-host-client';
import { memoryStorageArea } from '../../../extension/background/storage-area';
import { welcomeTabOpener } from '../../../extension/background/welcome-tab';
import type { WireError } from '../../../native-host/protocol/nhi-card-error';

const failed = (code: WireError['code']): HostState => ({ kind: 'failed', error: { code, message: 'x' } });

/** The listener over the real opener; counts the tabs it creates. */
function listener(session = memoryStorageArea()) {
  let tabs = 0;
  const onHostState = welcomeWhenHostMissing(
    welcomeTabOpener(() => {
      tabs += 1;
      return Promise.resolve();
    }, session),
  );
  return { onHostState, tabs: () => tabs };
}

async function settled(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('the host-missing page', () => {
  it.each<WireError['code']>(['HOST_NOT_FOUND', 'HOST_INCOMPATIBLE'])('opens when the host fails with %s', async (code) => {
    const { onHostState, tabs } = listener();
    onHostState(failed(code));
    await settled();
    expect(tabs()).toBe(1);
  });

  it.each<HostState>([{ kind: 'idle' }, { kind: 'starting' }, { kind: 'ready', hello: { host: 'nhi-card', protocol: 1 } }, failed('HOST_EXITED'), failed('HOST_TIMEOUT')])(
    'stays closed for $kind',
    async (state) => {
      const { onHostState, tabs } = listener();
      onHostState(state);
      await settled();
      expect(tabs()).toBe(0);
    },
  );

  it('opens once per browser session, even across background restarts', async () => {
    const session = memoryStorageArea();
    const first = listener(session);
    first.onHostState(failed('HOST_NOT_FOUND'));
    first.onHostState(failed('HOST_NOT_FOUND'));
    await settled();
    const restarted = listener(session);
    restarted.onHostState(failed('HOST_NOT_FOUND'));
    await settled();
    expect(first.tabs() + restarted.tabs()).toBe(1);
  });

  it('survives a tab that could not open, and opens at the next failure', async () => {
    let attempts = 0;
    const onHostState = welcomeWhenHostMissing(
      welcomeTabOpener(() => {
        attempts += 1;
        return attempts === 1 ? Promise.reject(new Error('no window')) : Promise.resolve();
      }, memoryStorageArea()),
    );
    onHostState(failed('HOST_NOT_FOUND'));
    await settled();
    onHostState(failed('HOST_NOT_FOUND'));
    await settled();
    expect(attempts).toBe(2);
  });
});
