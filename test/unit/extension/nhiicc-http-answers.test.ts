import { describe, expect, it } from 'vitest';
import { answerFor, legacyLineFor, MAX_BODY_LENGTH } from '../../../extension/page/nhiicc-http/http-api-answers';
import { createHttpApiResponder, type HttpApiLink } from '../../../extension/page/nhiicc-http/http-api-responder';
import { httpApiTarget, type HttpApiTarget } from '../../../extension/page/nhiicc-http/http-api-urls';
import { ErrorCode } from '../../../native-host/protocol/error-codes';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';
import { ExtensionErrorCode } from '../../../native-host/protocol/error-codes';
import type { PageStatus } from '../../../extension/shared/page-methods';

const json = { parse: JSON.parse as (text: string) => unknown, stringify: JSON.stringify };
const SIGNATURE = 'S'.repeat(256);
// Made-up card data, shaped like the demo profile's.
const BASIC_CSV = '000012345678,A123456789,王小明,0650101,M,0';

function target(url: string): HttpApiTarget {
  const found = httpApiTarget(url);
  if (found === undefined) throw new Error(`not a component URL: ${url}`);
  return found;
}

describe('HTTP calls as legacy lines', () => {
  it.each([
    ['GetVersion', '', 'GetVersion'],
    ['GetRandom', 'ignored', 'GetRandom'],
    ['GetBasic', '', 'GetBasic'],
    ['SignHC', '{"random":"00111234567890123456"}', 'H_Sign?Random=00111234567890123456'],
    ['EncryptPwd', '{"pwd":"Secret-1"}', 'EnCrypt?Pwd=Secret-1'],
    ['GetEncryptBasic', '{"pwd":"Secret-1"}', 'SecureGetBasicWithParam?Pwd=Secret-1'],
  ] as const)('%s with body %j sends %s', (call, body, line) => {
    expect(legacyLineFor(call, body, json.parse)).toBe(line);
  });

  it.each(['', 'random=0011', '{"random":11}', '[]', 'null', '{"pwd":"x"}', `{"random":"${'1'.repeat(MAX_BODY_LENGTH)}"}`])('gives SignHC nothing to send for body %j', (body) => {
    expect(legacyLineFor('SignHC', body, json.parse)).toBeUndefined();
  });
});

describe('legacy replies as the JSON the library reads', () => {
  it.each([
    ['GetVersion', 'GetVersion:0011', { result: '0000', version: '0011' }],
    ['GetRandom', 'GetRandom:1234567890123456', { result: '0000', random: '1234567890123456' }],
    ['SignHC', `H_Sign:${SIGNATURE}`, { result: '0000', sign: SIGNATURE }],
    ['EncryptPwd', 'EnCrypt:ABCDEF', { result: '0000', pwd_encrypt: 'ABCDEF' }],
    ['GetEncryptBasic', 'SecureGetBasicWithParam:0123', { result: '0000', basic_encrypt: '0123' }],
    ['GetBasic', `GetBasic:${BASIC_CSV}`, { result: '0000', card_no: '000012345678', as_id: 'A123456789', name: '王小明', birthday: '0650101', sex: 'M', card_termination: '0' }],
  ] as const)('%s: %s', (call, reply, answer) => {
    expect(answerFor(call, reply)).toEqual(answer);
  });

  it('puts the library\'s comma-joined Basic back together exactly, a comma in the name included', () => {
    const csv = '000012345678,A123456789,SMITH, JOHN,0650101,M,0';
    const answer = answerFor('GetBasic', `GetBasic:${csv}`);
    expect([answer.card_no, answer.as_id, answer.name, answer.birthday, answer.sex, answer.card_termination].join(',')).toBe(csv);
  });

  it.each([
    ['GetBasic', '7004', { result: '7004' }],
    ['SignHC', '4061', { result: '4061' }],
    ['EncryptPwd', '8009', { result: '8009' }],
    // The WebSocket protocol reports a failed signature as a short H_Sign payload.
    ['SignHC', 'H_Sign:8006', { result: '8006' }],
    ['SignHC', 'H_Sign:short', { result: '8008' }],
    ['GetBasic', 'GetBasic:too,few', { result: '8011' }],
    // A reply to another command is never passed off as this one's.
    ['GetVersion', 'GetRandom:1234567890123456', { result: '9999' }],
  ] as const)('%s: %s is a failure with a code', (call, reply, answer) => {
    expect(answerFor(call, reply)).toEqual(answer);
  });
});

class ScriptedLink implements HttpApiLink {
  readonly lines: string[] = [];
  opens = 0;
  constructor(
    private readonly replies: Record<string, string | Error>,
    private readonly reachable: boolean | (() => boolean) = true,
    private readonly cardStatus: PageStatus = { host: { connected: true }, readers: [{ name: 'Reader 0', cardPresent: true }], cardPresent: true },
  ) {}
  open(): Promise<void> {
    this.opens += 1;
    const ok = typeof this.reachable === 'function' ? this.reachable() : this.reachable;
    return ok ? Promise.resolve() : Promise.reject(new NhiCardError(ExtensionErrorCode.ExtensionUnavailable, 'no host'));
  }
  send(line: string): Promise<string> {
    this.lines.push(line);
    const reply = this.replies[line];
    if (reply === undefined) return Promise.reject(new Error(`unexpected line ${line}`));
    return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply);
  }
  status(): Promise<PageStatus> {
    return Promise.resolve(this.cardStatus);
  }
}

describe('the responder', () => {
  it('answers a call with a JSON 200 carrying the host reply', async () => {
    const link = new ScriptedLink({ GetVersion: 'GetVersion:0011' });
    const responder = createHttpApiResponder(link, json);

    const response = await responder.respond(target('http://localhost:59001/api/GetVersion'), '');

    expect(response).toEqual({ kind: 'answer', status: 200, contentType: 'application/json; charset=utf-8', body: '{"result":"0000","version":"0011"}' });
  });

  it('fails the request like a component that is not running when the host cannot be reached', async () => {
    const link = new ScriptedLink({}, false);
    const responder = createHttpApiResponder(link, json);

    expect(await responder.respond(target('http://localhost:59001/api/GetVersion'), '')).toEqual({ kind: 'network-error' });
    expect(await responder.statusText('GetStatus.bmp')).toBeUndefined();
    expect(link.lines).toEqual([]);
  });

  it('asks whether the host is reachable once, and again after a failure', async () => {
    let up = false;
    const link = new ScriptedLink({ GetVersion: 'GetVersion:0011' }, () => up);
    const responder = createHttpApiResponder(link, json);
    const call = target('http://localhost:59001/api/GetVersion');

    expect(await responder.respond(call, '')).toEqual({ kind: 'network-error' });
    up = true;
    await responder.respond(call, '');
    await responder.respond(call, '');
    expect(link.opens).toBe(2);
  });

  it('answers 9999 for a body it cannot use and for a line the extension refuses, without failing the request', async () => {
    const link = new ScriptedLink({ 'EnCrypt?Pwd=x': new NhiCardError(ErrorCode.InvalidRequest, 'bad line') });
    const responder = createHttpApiResponder(link, json);

    expect(await responder.respond(target('http://localhost:59001/api/SignHC'), 'not json')).toMatchObject({ status: 200, body: '{"result":"9999"}' });
    expect(await responder.respond(target('http://localhost:59001/api/EncryptPwd'), '{"pwd":"x"}')).toMatchObject({ status: 200, body: '{"result":"9999"}' });
  });

  it('fails the request when the extension goes away mid-call', async () => {
    const link = new ScriptedLink({ GetBasic: new NhiCardError(ExtensionErrorCode.ExtensionUnavailable, 'gone') });
    const responder = createHttpApiResponder(link, json);

    expect(await responder.respond(target('http://localhost:59001/api/GetBasic'), '')).toEqual({ kind: 'network-error' });
  });

  it('answers any other path on the component ports with a 404 and sends nothing', async () => {
    const link = new ScriptedLink({});
    const responder = createHttpApiResponder(link, json);

    expect(await responder.respond(target('http://localhost:59001/auth.html'), '')).toMatchObject({ kind: 'answer', status: 404 });
    expect(link.lines).toEqual([]);
  });

  it.each([
    [{ host: { connected: true }, readers: [{ name: 'R', cardPresent: true }], cardPresent: true }, '{"result":"0000"}'],
    [{ host: { connected: true }, readers: [{ name: 'R', cardPresent: false }], cardPresent: false }, '{"result":"7004"}'],
    [{ host: { connected: true }, readers: [], cardPresent: false }, '{"result":"7004"}'],
    [{ host: { connected: true }, readers: [], cardPresent: true }, '{"result":"0000"}'],
  ] satisfies [PageStatus, string][])('reports the card status %j as %s', async (status, text) => {
    const responder = createHttpApiResponder(new ScriptedLink({}, true, status), json);

    expect(await responder.statusText('GetCardStatus.bmp')).toBe(text);
    expect(await responder.statusText('GetStatus.bmp')).toBe('{"result":"0000"}');
  });
});
