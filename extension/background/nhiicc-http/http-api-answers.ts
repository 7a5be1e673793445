/**
 * The HTTP API's calls as NHIICC legacy lines, and the legacy replies as the JSON answers the 2024
 * page library reads. Going through the legacy lines means the HTTP path gets exactly the host
 * commands and the consent of the WebSocket shim. Field formats the library does not pin down are
 * taken from the WebSocket protocol's replies (docs/page-api.md, "The HTTP transport").
 */
import { MAX_LEGACY_LINE_LENGTH } from '../../../native-host/protocol/limits';
import { BASIC_DATA_CODE, H_SIGN_SIGNATURE_LENGTH, SAM_SIGNATURE_CODE, UNKNOWN_COMMAND_CODE } from '../../../native-host/protocol/nhiicc';
import type { HttpApiCall } from '../../shared/nhiicc-http-names';

/** `result` on success, as the library checks it. */
export const RESULT_OK = '0000';
/** The component's "unknown command" code, for a request body we cannot use. */
export const RESULT_BAD_REQUEST = String(UNKNOWN_COMMAND_CODE);

/** A JSON answer: `result` plus the call's own fields, all strings. */
export type HttpApiAnswer = Readonly<Record<string, string>> & { readonly result: string };

/**
 * Per call: the legacy command it sends (`name`, or `name?param=` plus the value of the body's
 * `bodyField`), and the answer field the reply's payload goes in (GetBasic's is split into
 * several). The reply starts with the command's name and a colon.
 */
const CALLS: Readonly<Record<HttpApiCall, { readonly name: string; readonly param?: [query: string, bodyField: string]; readonly answerField: string }>> = {
  GetVersion: { name: 'GetVersion', answerField: 'version' },
  GetRandom: { name: 'GetRandom', answerField: 'random' },
  GetBasic: { name: 'GetBasic', answerField: '' },
  SignHC: { name: 'H_Sign', param: ['Random', 'random'], answerField: 'sign' },
  EncryptPwd: { name: 'EnCrypt', param: ['Pwd', 'pwd'], answerField: 'pwd_encrypt' },
  GetEncryptBasic: { name: 'SecureGetBasicWithParam', param: ['Pwd', 'pwd'], answerField: 'basic_encrypt' },
};

/** The string value of `field` in a JSON request body, or undefined when the body has none. */
function bodyValue(body: string, field: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const fieldValue = (value as Record<string, unknown>)[field];
  return typeof fieldValue === 'string' ? fieldValue : undefined;
}

/** The legacy line for one call, or undefined when the body lacks what the call needs or the line would be too long. */
export function legacyLineFor(call: HttpApiCall, body: string): string | undefined {
  const { name, param } = CALLS[call];
  if (param === undefined) return name;
  const value = bodyValue(body, param[1]);
  const line = value === undefined ? undefined : `${name}?${param[0]}=${value}`;
  return line !== undefined && line.length <= MAX_LEGACY_LINE_LENGTH ? line : undefined;
}

/** GetBasic's CSV as the library's fields; a comma inside the name stays in the name. */
function basicFields(csv: string): Record<string, string> | undefined {
  const parts = csv.split(',');
  if (parts.length < 6) return undefined;
  const [cardNo = '', asId = ''] = parts;
  const [birthday = '', sex = '', termination = ''] = parts.slice(-3);
  const name = parts.slice(2, -3).join(',');
  return { card_no: cardNo, as_id: asId, name, birthday, sex, card_termination: termination };
}

/** The JSON answer for a legacy reply: the payload in the call's fields, or `result` = the NHIICC code. */
export function answerFor(call: HttpApiCall, reply: string): HttpApiAnswer {
  if (/^\d+$/.test(reply)) return { result: reply };
  const { name, answerField } = CALLS[call];
  const prefix = `${name}:`;
  if (!reply.startsWith(prefix)) return { result: RESULT_BAD_REQUEST };
  const payload = reply.slice(prefix.length);
  if (call === 'GetBasic') {
    const fields = basicFields(payload);
    return fields === undefined ? { result: String(BASIC_DATA_CODE) } : { result: RESULT_OK, ...fields };
  }
  // The WebSocket protocol sends a failed signature's code after `H_Sign:`; keep it a code here.
  if (call === 'SignHC' && payload.length !== H_SIGN_SIGNATURE_LENGTH) return { result: /^\d+$/.test(payload) ? payload : String(SAM_SIGNATURE_CODE) };
  return { result: RESULT_OK, [answerField]: payload };
}
