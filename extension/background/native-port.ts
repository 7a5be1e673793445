/**
 * The browser's native messaging port behind the HostPort interface the client is written
 * against. Firefox reports a disconnect reason on `port.error`, Chromium on `runtime.lastError`
 * while the listener runs.
 */
import browser from 'webextension-polyfill';
import { NATIVE_HOST_NAME } from '../../native-host/protocol/extension-ids';
import type { HostPort } from './native-host-client';

interface ChromeLastError {
  chrome?: { runtime?: { lastError?: { message?: string } } };
}

/** Starts the native host and returns its port. */
export function connectNativeHost(): HostPort {
  const port = browser.runtime.connectNative(NATIVE_HOST_NAME);
  return {
    postMessage: (message) => {
      port.postMessage(message);
    },
    disconnect: () => {
      port.disconnect();
    },
    onMessage: (listener) => {
      port.onMessage.addListener((message: unknown) => {
        listener(message);
      });
    },
    onDisconnect: (listener) => {
      port.onDisconnect.addListener((closed) => {
        listener(closed.error?.message ?? (globalThis as ChromeLastError).chrome?.runtime?.lastError?.message);
      });
    },
  };
}
