/**
 * The first request of a browser session: Chromium answers storage.managed only once its policy
 * machinery is ready (~1.6 s after launch, TEST-RIG.md), and a built-in origin's page must not
 * wait for that. The real router and origin store, over a policy area that has not answered yet.
 */
import { describe, expect, it } from 'vitest';
import { AnswerMemo } from '../../../extension/background/answer-memo';
import { servePagePort, type PagePort, type PageServices } from '../../../extension/background/page-router';
import { MANAGED_KEY, TrustedOriginStore, USER_ORIGINS_KEY } from '../../../extension/background/trusted-origin-store';
import { countingStorageArea, settle } from './counting-storage-area';

const BUILT_IN = 'https://cloudicweb.nhi.gov.tw';
const POLICY_ONLY = 'https://city.example.gov.tw';

/** A router for `origin` whose policy area answers nothing until `releasePolicy()`. */
function routerFor(origin: string) {
  const local = countingStorageArea([USER_ORIGINS_KEY], { [USER_ORIGINS_KEY]: [] });
  const policyReads: (() => void)[] = [];
  const origins = new TrustedOriginStore(local.area, {
    get: () =>
      new Promise((resolve) => {
        policyReads.push(() => {
          resolve({ [MANAGED_KEY]: [POLICY_ONLY] });
        });
      }),
  });
  const hostCalls: string[] = [];
  const services: PageServices = {
    host: {
      ready: () => {
        hostCalls.push('ready');
        return Promise.resolve({ host: 'h', protocol: 1 });
      },
      request: ((command: string) => {
        hostCalls.push(command);
        return Promise.resolve({ reply: 'GetVersion:0011' });
      }) as PageServices['host']['request'],
    },
    consent: { require: () => Promise.resolve(), hasAllowance: () => Promise.resolve(false) },
    origins,
    events: { add: () => () => undefined },
    recent: { add: () => Promise.resolve() },
    memo: new AnswerMemo({ watch: () => () => undefined, isLive: () => false }),
  };
  let deliver: (message: unknown) => void = () => undefined;
  const posted: unknown[] = [];
  const port: PagePort = {
    postMessage: (message) => posted.push(message),
    onMessage: { addListener: (listener) => (deliver = listener) },
    onDisconnect: { addListener: () => undefined },
  };
  servePagePort(port, origin, services);
  origins.prefetch(); // As the service worker does when it starts.
  return {
    send: (id: number, method: string, params: object = {}) => {
      deliver({ kind: 'request', id, method, params });
    },
    posted,
    hostCalls,
    releasePolicy: () => {
      for (const answer of policyReads.splice(0)) answer();
    },
  };
}

describe('the first requests of a session, before the policy list is readable', () => {
  it('warms the host, opens the legacy socket and answers GetVersion for a built-in origin', async () => {
    const router = routerFor(BUILT_IN);
    router.send(1, 'warm');
    router.send(2, 'legacyOpen');
    router.send(3, 'legacy', { line: 'GetVersion' });
    await settle();
    expect(router.hostCalls).toEqual(['ready', 'ready', 'legacy']);
    expect(router.posted).toEqual([
      { kind: 'response', id: 1, ok: true, value: {} },
      { kind: 'response', id: 2, ok: true, value: {} },
      { kind: 'response', id: 3, ok: true, value: { reply: 'GetVersion:0011' } },
    ]);
  });

  it('holds a request from an origin only the policy trusts until the policy list is read', async () => {
    const router = routerFor(POLICY_ONLY);
    router.send(1, 'legacyOpen');
    await settle();
    expect(router.posted).toEqual([]);
    router.releasePolicy();
    await settle();
    expect(router.posted).toEqual([{ kind: 'response', id: 1, ok: true, value: {} }]);
  });
});
