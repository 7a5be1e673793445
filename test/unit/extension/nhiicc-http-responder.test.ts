import { describe, expect, it } from 'vitest';
import { createHttpApiResponder, type HttpApiAsk } from '../../../extension/page/nhiicc-http/http-api-responder';
import { httpApiTarget, type HttpApiTarget } from '../../../extension/page/nhiicc-http/http-api-urls';
import { ErrorCode, ExtensionErrorCode } from '../../../native-host/protocol/error-codes';
import { NhiCardError } from '../../../native-host/protocol/nhi-card-error';

function target(url: string): HttpApiTarget {
  const found = httpApiTarget(url);
  if (found === undefined) throw new Error(`not a component URL: ${url}`);
  return found;
}

/** The background, scripted: an answer text or an error per API name; records what was asked. */
function scriptedAsk(answers: Record<string, string | Error>): HttpApiAsk & { asked: string[] } {
  const asked: string[] = [];
  const ask = (name: string, body: string): Promise<string> => {
    asked.push(`${name} ${body}`);
    const answer = answers[name];
    if (answer === undefined) return Promise.reject(new Error(`unexpected ${name}`));
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return Object.assign(ask, { asked });
}

const unreachable = new NhiCardError(ExtensionErrorCode.ExtensionUnavailable, 'no host');

describe('the page responder', () => {
  it('answers a call with a JSON 200 carrying the background\'s answer, the body passed on as it is', async () => {
    const ask = scriptedAsk({ SignHC: '{"result":"0000","sign":"S"}' });

    const response = await createHttpApiResponder(ask).respond(target('https://localhost:59002/api/signhc'), '{"random":"0011"}');

    expect(response).toEqual({ kind: 'answer', status: 200, contentType: 'application/json; charset=utf-8', body: '{"result":"0000","sign":"S"}' });
    expect(ask.asked).toEqual(['SignHC {"random":"0011"}']);
  });

  it('fails the request like a component that is not running when the extension or host cannot be reached', async () => {
    const ask = scriptedAsk({ GetVersion: unreachable, 'GetStatus.bmp': unreachable });
    const responder = createHttpApiResponder(ask);

    expect(await responder.respond(target('http://localhost:59001/api/GetVersion'), '')).toEqual({ kind: 'network-error' });
    expect(await responder.statusImage('GetStatus.bmp')).toBeUndefined();
  });

  it('answers 9999 when the extension refuses the request for its shape or size, without failing it', async () => {
    const responder = createHttpApiResponder(scriptedAsk({ EncryptPwd: new NhiCardError(ErrorCode.FrameTooLarge, 'too large'), SignHC: new NhiCardError(ErrorCode.InvalidRequest, 'bad') }));

    expect(await responder.respond(target('http://localhost:59001/api/EncryptPwd'), 'x'.repeat(9000))).toMatchObject({ status: 200, body: '{"result":"9999"}' });
    expect(await responder.respond(target('http://localhost:59001/api/SignHC'), '')).toMatchObject({ status: 200, body: '{"result":"9999"}' });
  });

  it('answers any other path on the component ports with a 404 and asks nothing', async () => {
    const ask = scriptedAsk({});

    expect(await createHttpApiResponder(ask).respond(target('http://localhost:59001/auth.html'), '')).toMatchObject({ kind: 'answer', status: 404 });
    expect(await createHttpApiResponder(ask).respond(target('http://localhost:59001/api/GetStatus.bmp'), '')).toMatchObject({ kind: 'answer', status: 404 });
    expect(ask.asked).toEqual([]);
  });

  it('hands a status image the data: URL the background built', async () => {
    const ask = scriptedAsk({ 'GetCardStatus.bmp': 'data:image/bmp;base64,Qk0=' });

    expect(await createHttpApiResponder(ask).statusImage('GetCardStatus.bmp')).toBe('data:image/bmp;base64,Qk0=');
    expect(ask.asked).toEqual(['GetCardStatus.bmp ']);
  });
});
