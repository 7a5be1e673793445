import { describe, expect, it } from 'vitest';
import { servePagePort } from '../../../extension/background/page-router';
import { reportedFrameAncestors } from '../../../extension/background/sender-origin';
import { frameAncestors, type WindowLike } from '../../../extension/content/frame-ancestry';
import { PAGE_PORT_NAME } from '../../../extension/content/background-link';
import { ancestorsFromPortName, MAX_ANCESTORS, pagePortName } from '../../../extension/shared/frame-ancestry';
import { isTrustedOrigin } from '../../../extension/shared/trusted-origins';

const TRUSTED = 'https://cloudicweb.nhi.gov.tw';
const ALSO_TRUSTED = 'https://ecpa.dgpa.gov.tw';
const EVIL = 'https://evil.example.com';
const tab = { id: 1 };

/** A chain of windows, top first; reading an origin listed in `unreadable` throws, as a cross-origin parent does. */
function windows(origins: readonly string[], unreadable: readonly string[] = []): WindowLike {
  let parent: WindowLike | undefined;
  for (const origin of origins) {
    const self: { parent: WindowLike; location: WindowLike['location'] } = {
      parent: undefined as unknown as WindowLike,
      location: {
        get origin() {
          if (unreadable.includes(origin)) throw new DOMException('Blocked a frame from accessing a cross-origin frame.', 'SecurityError');
          return origin;
        },
      },
    };
    self.parent = parent ?? self;
    parent = self;
  }
  if (parent === undefined) throw new Error('no windows');
  return parent;
}

describe('what a content script learns about the pages around its frame', () => {
  it('takes location.ancestorOrigins where the browser has it (Chromium)', () => {
    const frame: WindowLike = { parent: windows([EVIL]), location: { origin: TRUSTED, ancestorOrigins: [EVIL] } };
    expect(frameAncestors(frame)).toEqual([EVIL]);
  });

  it('walks up the parents elsewhere (Firefox), nearest first', () => {
    expect(frameAncestors(windows([TRUSTED]))).toEqual([]);
    expect(frameAncestors(windows([ALSO_TRUSTED, TRUSTED, TRUSTED]))).toEqual([TRUSTED, ALSO_TRUSTED]);
  });

  it('answers "unknown" when a parent may not be read, or the frames nest deeper than any real page', () => {
    expect(frameAncestors(windows([EVIL, TRUSTED], [EVIL]))).toBeNull();
    expect(frameAncestors(windows(Array.from({ length: MAX_ANCESTORS + 2 }, () => TRUSTED)))).toBeNull();
  });
});

describe('the ancestors in the page port name', () => {
  it.each([
    [[], []],
    [[EVIL, TRUSTED], [EVIL, TRUSTED]],
    [null, null],
  ])('carries %j', (ancestors, expected) => {
    expect(ancestorsFromPortName(pagePortName(ancestors))).toEqual(expected);
  });

  it('treats a bare page port name or a malformed list as unknown, and other names as not ours', () => {
    expect(ancestorsFromPortName(PAGE_PORT_NAME)).toBeNull();
    expect(ancestorsFromPortName(`${PAGE_PORT_NAME}\n{"a":1}`)).toBeNull();
    expect(ancestorsFromPortName(`${PAGE_PORT_NAME}\n[1]`)).toBeNull();
    expect(ancestorsFromPortName(`${PAGE_PORT_NAME}\nnot json`)).toBeNull();
    expect(ancestorsFromPortName(pagePortName(Array.from({ length: MAX_ANCESTORS + 1 }, () => TRUSTED)))).toBeNull();
    expect(ancestorsFromPortName('something-else')).toBeUndefined();
  });
});

describe('the ancestors the background judges by', () => {
  it('gives a top-level frame none, whatever its content script claimed', () => {
    expect(reportedFrameAncestors({ tab, frameId: 0 }, [EVIL])).toEqual([]);
    expect(reportedFrameAncestors({ tab, frameId: 0 }, null)).toEqual([]);
  });

  it('adds the top-level origin the browser reports for the tab to what a subframe claimed', () => {
    expect(reportedFrameAncestors({ tab: { id: 1, url: `${EVIL}/page` }, frameId: 3 }, [])).toEqual([EVIL]);
    expect(reportedFrameAncestors({ tab: { id: 1, url: `${TRUSTED}/x` }, frameId: 3 }, [TRUSTED])).toEqual([TRUSTED]);
    expect(reportedFrameAncestors({ tab, frameId: 3 }, [TRUSTED])).toEqual([TRUSTED]);
  });

  it('leaves a subframe with unknown ancestors unknown', () => {
    expect(reportedFrameAncestors({ tab: { id: 1, url: `${TRUSTED}/` }, frameId: 3 }, null)).toBeNull();
  });
});

describe('the router and a frame’s ancestors', () => {
  /** Serves one status request for a frame of TRUSTED inside `ancestors`; returns the response and whether the host was touched. */
  async function statusInside(ancestors: readonly string[] | null) {
    let hostTouched = false;
    let respond: (message: unknown) => void = () => undefined;
    const response = new Promise<unknown>((resolve) => (respond = resolve));
    let onMessage: (message: unknown) => void = () => undefined;
    servePagePort(
      { postMessage: respond, onMessage: { addListener: (listener) => (onMessage = listener) }, onDisconnect: { addListener: () => undefined } },
      TRUSTED,
      {
        host: {
          ready: () => {
            hostTouched = true;
            return Promise.resolve({ host: 'h', protocol: 1 });
          },
          request: () => Promise.reject(new Error('not under test')),
        },
        consent: { require: () => Promise.resolve(), hasAllowance: () => Promise.resolve(false) },
        origins: { isTrusted: (origin) => Promise.resolve(isTrustedOrigin(origin, { user: [], managed: [] })) },
        events: { add: () => () => undefined },
        recent: { add: () => Promise.resolve() },
        memo: { answer: (_command, ask) => ask() },
      },
      ancestors,
    );
    onMessage({ kind: 'request', id: 1, method: 'status', params: {} });
    return { response: await response, hostTouched };
  }

  it.each([
    ['an untrusted top-level page', [EVIL]],
    ['an untrusted page between trusted ones', [TRUSTED, EVIL, ALSO_TRUSTED]],
    ['pages it could not tell', null],
  ])('refuses a trusted frame inside %s, before touching the host', async (_what, ancestors) => {
    const { response, hostTouched } = await statusInside(ancestors);
    expect(response).toMatchObject({ ok: false, error: { code: 'ORIGIN_NOT_ALLOWED', message: expect.stringContaining('inside a page') as unknown } });
    expect(hostTouched).toBe(false);
  });

  it('serves a trusted frame inside trusted pages', async () => {
    const { response, hostTouched } = await statusInside([ALSO_TRUSTED, TRUSTED]);
    expect(response).toMatchObject({ ok: true });
    expect(hostTouched).toBe(true);
  });
});
