import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnswerMemo } from '../../../extension/background/answer-memo';
import { servePagePort, type PagePort, type PageServices } from '../../../extension/background/page-router';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import type { CardField } from '../../../extension/shared/card-fields';
import { isTrustedOrigin } from '../../../extension/shared/trusted-origins';
import { MAX_LEGACY_REPLY_LENGTH, type CardEvent } from '../../../extension/shared/page-methods';

const SITE = 'https://cloudicweb.nhi.gov.tw';

/** A content-script port: the test sends requests and collects responses. */
function fakePort() {
  let onMessage: (message: unknown) => void = () => undefined;
  let onDisconnect: () => void = () => undefined;
  const posted: unknown[] = [];
  const port: PagePort = {
    postMessage: (message) => posted.push(message),
    onMessage: { addListener: (listener) => (onMessage = listener) },
    onDisconnect: { addListener: (listener) => (onDisconnect = listener) },
  };
  const request = async (id: number, method: string, params: object = {}) => {
    onMessage({ kind: 'request', id, method, params });
    for (let i = 0; i < 20 && !posted.some((message) => (message as { id?: number }).id === id); i++) await new Promise((resolve) => setTimeout(resolve, 0));
    return posted.find((message) => (message as { id?: number }).id === id);
  };
  return { port, posted, request, disconnect: () => { onDisconnect(); } };
}

interface ServiceOptions {
  consent?: (origin: string, fields: readonly CardField[]) => Promise<void>;
  legacyReply?: string;
  /** How the recent-reads write ends; resolves at once unless given. */
  recentWrite?: () => Promise<void>;
  /** Whether the memo's feed reports card changes (default: no, so nothing is kept). */
  memoLive?: boolean;
  /** Whether the origin holds a consent allowance (default: no). */
  allowance?: boolean;
  /** Whether the host cannot be started (default: it starts). */
  hostDown?: boolean;
}

function services(options: ServiceOptions = {}) {
  const log: string[] = [];
  let emit: (event: CardEvent) => void = () => undefined;
  const value: PageServices = {
    host: {
      ready: () => {
        log.push('ready');
        return options.hostDown === true ? Promise.reject(new NhiCardError('HOST_NOT_FOUND', 'no host')) : Promise.resolve({ host: 'h', protocol: 1 });
      },
      request: ((command: string, args: { line?: string }) => {
        log.push(`host:${command}${args.line === undefined ? '' : `:${args.line}`}`);
        if (command === 'legacy') return Promise.resolve({ reply: options.legacyReply ?? 'GetBasic:...' });
        if (command === 'readers') return Promise.resolve({ readers: [{ name: 'R', cardPresent: true, atr: '3B' }] });
        return Promise.resolve({ cardNumber: '1', name: 'n', idNumber: 'A1', birthDate: 'b', sex: 'M', issueDate: 'i', reader: 'R' });
      }) as PageServices['host']['request'],
    },
    consent: {
      require: async (origin, fields, samEndpoint) => {
        log.push(`consent:${origin}:${fields.length}${samEndpoint === undefined ? '' : `:${samEndpoint}`}`);
        await (options.consent?.(origin, fields) ?? Promise.resolve());
      },
      hasAllowance: () => Promise.resolve(options.allowance ?? false),
    },
    origins: { isTrusted: (origin) => Promise.resolve(isTrustedOrigin(origin, { user: [], managed: [] })) },
    events: {
      add: (subscriber) => {
        emit = subscriber;
        return () => log.push('unsubscribed');
      },
    },
    recent: {
      add: (origin, what) => {
        log.push(`recent:${origin}:${what}`);
        return options.recentWrite?.() ?? Promise.resolve();
      },
    },
    memo: new AnswerMemo({ watch: () => () => undefined, isLive: () => options.memoLive ?? false }),
  };
  return { value, log, emit: (event: CardEvent) => { emit(event); } };
}

describe('the background page router', () => {
  it('refuses every request from a frame whose reported origin is not trusted', async () => {
    const { value, log } = services();
    const { port, request } = fakePort();
    servePagePort(port, 'null', value);
    expect(await request(1, 'readCard')).toMatchObject({ ok: false, error: { code: 'ORIGIN_NOT_ALLOWED' } });
    expect(log).toEqual([]);
  });

  it('answers INTERNAL instead of a result that breaks what the method promises', async () => {
    const { value } = services({ legacyReply: 'x'.repeat(MAX_LEGACY_REPLY_LENGTH + 1) });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    expect(await request(1, 'legacy', { line: 'GetVersion' })).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/^malformed legacy result/) as unknown } });
  });

  it('starts the host, then asks for consent, then reads and records the read', async () => {
    const { value, log } = services();
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    expect(await request(1, 'readCard')).toMatchObject({ ok: true, value: { cardNumber: '1' } });
    expect(log).toEqual(['ready', `consent:${SITE}:6`, 'host:readCard', `recent:${SITE}:readCard`]);
  });

  it('answers repeated reads from the memo, still asking consent and recording each read', async () => {
    const { value, log } = services({ memoLive: true });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    for (const id of [1, 2, 3]) expect(await request(id, 'readCard')).toMatchObject({ ok: true, value: { cardNumber: '1' } });
    for (const id of [4, 5]) expect(await request(id, 'legacy', { line: 'GetBasic' })).toMatchObject({ ok: true, value: { reply: 'GetBasic:...' } });
    expect(log.filter((entry) => entry.startsWith('host:'))).toEqual(['host:readCard', 'host:legacy:GetBasic']);
    expect(log.filter((entry) => entry.startsWith('consent:'))).toHaveLength(5);
    expect(log.filter((entry) => entry.startsWith('recent:'))).toHaveLength(5);
  });

  it('never answers from the memo a legacy failure or another command', async () => {
    const { value, log } = services({ memoLive: true, legacyReply: '4000' });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    for (const id of [1, 2]) expect(await request(id, 'legacy', { line: 'GetBasic' })).toMatchObject({ value: { reply: '4000' } });
    for (const id of [3, 4]) await request(id, 'legacy', { line: 'GetVersion' });
    expect(log.filter((entry) => entry.startsWith('host:'))).toEqual(['host:legacy:GetBasic', 'host:legacy:GetBasic', 'host:legacy:GetVersion', 'host:legacy:GetVersion']);
  });

  it('answers a denied legacy read with 8013, without reaching the card', async () => {
    const { value, log } = services({ consent: () => Promise.reject(new NhiCardError('CONSENT_DENIED', 'no')) });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    expect(await request(1, 'legacy', { line: 'GetBasic' })).toMatchObject({ ok: true, value: { reply: '8013' } });
    expect(log.filter((entry) => entry.startsWith('host:'))).toEqual([]);
  });

  it('answers the HTTP API through the same legacy line, consent and record, as the JSON the library reads', async () => {
    // Made-up card data, shaped like the demo profile's.
    const { value, log } = services({ legacyReply: 'GetBasic:000012345678,A123456789,王小明,0650101,M,0' });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    const answer = (await request(1, 'http', { name: 'GetBasic', body: '' })) as { ok: boolean; value: { body: string } };
    expect(answer.ok).toBe(true);
    expect(JSON.parse(answer.value.body)).toEqual({ result: '0000', card_no: '000012345678', as_id: 'A123456789', name: '王小明', birthday: '0650101', sex: 'M', card_termination: '0' });
    expect(log).toEqual(['ready', 'ready', `consent:${SITE}:8`, 'host:legacy:GetBasic', `recent:${SITE}:GetBasic`]);
  });

  it('answers a denied HTTP API read with 8013 and fails the request when the host cannot be started', async () => {
    const denied = services({ consent: () => Promise.reject(new NhiCardError('CONSENT_DENIED', 'no')) });
    const first = fakePort();
    servePagePort(first.port, SITE, denied.value);
    expect(await first.request(1, 'http', { name: 'EncryptPwd', body: '{"pwd":"x"}' })).toMatchObject({ ok: true, value: { body: '{"result":"8013"}' } });
    expect(denied.log.filter((entry) => entry.startsWith('host:'))).toEqual([]);

    const down = services({ hostDown: true });
    const second = fakePort();
    servePagePort(second.port, SITE, down.value);
    expect(await second.request(1, 'http', { name: 'GetStatus.bmp', body: '' })).toMatchObject({ ok: false, error: { code: 'HOST_NOT_FOUND' } });
  });

  it('asks consent naming the SAM service an H_SignIPAndPort line names, unless it is the official one', async () => {
    const { value, log } = services({ legacyReply: 'H_SignIPAndPort:sig' });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    const b64 = (text: string): string => btoa(text);
    const sign = (host: string, port: string) => `H_SignIPAndPort?Random=${b64('00111234567890123456')}&IP=${b64(host)}&PORT=${b64(port)}`;
    await request(1, 'legacy', { line: sign('cloudicap.nhi.gov.tw', '443') });
    await request(2, 'legacy', { line: sign('10.0.0.5', '7000') });
    expect(log.filter((entry) => entry.startsWith('consent:'))).toEqual([`consent:${SITE}:8`, `consent:${SITE}:8:10.0.0.5:7000`]);
  });

  it('answers unknown legacy commands 9999 without the host, and harmless ones without consent', async () => {
    const { value, log } = services({ legacyReply: 'GetVersion:0011' });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    expect(await request(1, 'legacy', { line: 'getbasic' })).toMatchObject({ value: { reply: '9999' } });
    expect(await request(2, 'legacy', { line: 'GetVersion' })).toMatchObject({ value: { reply: 'GetVersion:0011' } });
    expect(log).toEqual([`consent:${SITE}:0`, 'host:legacy:GetVersion']);
  });

  it.each([
    { consent: 'before consent', allowance: false, readers: [] },
    { consent: 'with an allowance', allowance: true, readers: [{ name: 'R', cardPresent: true }] },
  ])('reports status without card data (no ATR) and without asking; reader names only $consent', async ({ allowance, readers }) => {
    const { value, log } = services({ allowance });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    expect(await request(1, 'status')).toEqual({
      kind: 'response',
      id: 1,
      ok: true,
      value: { host: { connected: true, version: 'h', protocol: 1 }, readers, cardPresent: true },
    });
    expect(log.some((entry) => entry.startsWith('consent'))).toBe(false);
  });

  it.each([
    {
      consent: 'before consent: card presence only, no reader names, no reader hot-plugging',
      allowance: false,
      expected: [
        { type: 'card-inserted', reader: '' },
        { type: 'card-removed', reader: '' },
      ],
    },
    {
      consent: 'with an allowance: every event as the host reports it',
      allowance: true,
      expected: [
        { type: 'reader-added', reader: 'R2' },
        { type: 'card-inserted', reader: 'R2' },
        { type: 'card-removed', reader: 'R2' },
        { type: 'reader-removed', reader: 'R2' },
      ],
    },
  ])('passes card events $consent', async ({ allowance, expected }) => {
    const { value, emit } = services({ allowance });
    const { port, posted, request } = fakePort();
    servePagePort(port, SITE, value);
    await request(1, 'subscribe');
    for (const type of ['reader-added', 'card-inserted', 'card-removed', 'reader-removed'] as const) emit({ type, reader: 'R2' });
    await vi.waitFor(() => {
      expect(posted.filter((message) => (message as { kind: string }).kind === 'event')).toHaveLength(expected.length);
    });
    const events = posted.filter((message) => (message as { kind: string }).kind === 'event').map((message) => (message as { event: CardEvent }).event);
    expect(events).toEqual(expected);
  });

  it('drops the event subscription when the frame goes away', async () => {
    const { value, log } = services();
    const { port, request, disconnect } = fakePort();
    servePagePort(port, SITE, value);
    await request(1, 'subscribe');
    disconnect();
    expect(log).toContain('unsubscribed');
  });

  // Recording a read for the popup is bookkeeping: the page's answer never waits for it or fails with it.
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    { write: 'still pending', recentWrite: () => new Promise<void>(() => undefined) },
    { write: 'failed', recentWrite: () => Promise.reject(new Error('storage unavailable')) },
  ])('replies to readCard while the recent-reads write is $write', async ({ recentWrite }) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { value, log } = services({ recentWrite });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    expect(await request(1, 'readCard')).toMatchObject({ ok: true, value: { cardNumber: '1' } });
    expect(log).toContain(`recent:${SITE}:readCard`);
  });

  it.each([
    { write: 'still pending', recentWrite: () => new Promise<void>(() => undefined) },
    { write: 'failed', recentWrite: () => Promise.reject(new Error('storage unavailable')) },
  ])('replies to a legacy GetBasic while the recent-reads write is $write', async ({ recentWrite }) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { value, log } = services({ recentWrite, legacyReply: 'GetBasic:card data' });
    const { port, request } = fakePort();
    servePagePort(port, SITE, value);
    expect(await request(1, 'legacy', { line: 'GetBasic' })).toMatchObject({ ok: true, value: { reply: 'GetBasic:card data' } });
    expect(log).toContain(`recent:${SITE}:GetBasic`);
  });
});
