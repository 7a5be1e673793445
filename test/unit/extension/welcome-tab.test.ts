import { describe, expect, it } from 'vitest';
import { memoryStorageArea } from '../../../extension/background/storage-area';
import { welcomeTabOpener } from '../../../extension/background/welcome-tab';

describe('the welcome tab', () => {
  it('opens once when two reasons ask at the same time (no site access, no card service)', async () => {
    let tabs = 0;
    const open = welcomeTabOpener(() => {
      tabs += 1;
      return Promise.resolve();
    }, memoryStorageArea());

    await Promise.all([open(), open()]);

    expect(tabs).toBe(1);
  });

  it('stays at one tab per browser session across background restarts', async () => {
    const session = memoryStorageArea();
    let tabs = 0;
    const createTab = () => {
      tabs += 1;
      return Promise.resolve();
    };

    await welcomeTabOpener(createTab, session)();
    await welcomeTabOpener(createTab, session)();

    expect(tabs).toBe(1);
  });

  it('tries again after a tab that could not open', async () => {
    let attempts = 0;
    const open = welcomeTabOpener(() => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Error('no window')) : Promise.resolve();
    }, memoryStorageArea());

    await expect(open()).rejects.toThrow('no window');
    await open();
    await open();

    expect(attempts).toBe(2);
  });
});
