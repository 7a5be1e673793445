/**
 * The one gate between decoded frames and the dispatcher: the envelope (`id`, `command`) first, so
 * a broken request still gets an answer its sender can match, then the command's arguments against
 * the wire contract. Error messages name the field but never repeat what the sender sent beyond a
 * short, plain identifier.
 */
import type { core } from 'zod/mini';
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { COMMANDS, LIMITS, requestSchema, type Command, type Request } from '../protocol/messages';

export type RequestValidation =
  | { readonly ok: true; readonly request: Request }
  /** `id` is the request's id when it is a usable one, else null (the answer then carries `id: null`). */
  | { readonly ok: false; readonly id: string | null; readonly error: NhiCardError };

/** Longest sender-supplied name (command, field) quoted back in an error message. */
const MAX_ECHO = 32;
const plainName = /^[A-Za-z0-9_.-]+$/;

/** Checks one decoded frame; never throws. */
export function validateRequest(value: unknown): RequestValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(null, 'request must be a JSON object');
  }
  const { id, command } = value as Record<string, unknown>;
  if (typeof id !== 'string') return invalid(null, 'request field "id" must be a string');
  const answerId = id.length >= 1 && id.length <= LIMITS.maxIdLength ? id : null;
  if (typeof command !== 'string') return invalid(answerId, 'request field "command" must be a string');
  if (!isCommand(command)) {
    return { ok: false, id: answerId, error: new NhiCardError(ErrorCode.UnknownCommand, `unknown command ${quote(command)}`) };
  }
  const parsed = requestSchema.safeParse(value);
  if (parsed.success) return { ok: true, request: parsed.data };
  const [first] = parsed.error.issues;
  return invalid(answerId, first === undefined ? `invalid ${command} request` : `invalid ${command} request: ${describeIssue(first)}`);
}

function isCommand(command: string): command is Command {
  return (COMMANDS as readonly string[]).includes(command);
}

function invalid(id: string | null, message: string): RequestValidation {
  return { ok: false, id, error: new NhiCardError(ErrorCode.InvalidRequest, message) };
}

/** A sender-supplied name in quotes when short and plain; otherwise only its length. */
function quote(name: string): string {
  return name.length <= MAX_ECHO && plainName.test(name) ? `"${name}"` : `(${name.length} characters, not shown)`;
}

/** One schema issue in words, built from the issue's structure, never from the input. */
function describeIssue(issue: core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'request' : `field ${quote(issue.path.map(String).join('.'))}`;
  switch (issue.code) {
    case 'invalid_type':
      return `${field} must be ${issue.expected === 'undefined' ? 'absent' : `a ${issue.expected}`}`;
    case 'too_big':
      return issue.origin === 'string' ? `${field} is longer than ${issue.maximum} characters` : `${field} is too large`;
    case 'too_small':
      return issue.origin === 'string' ? `${field} must not be empty` : `${field} is too small`;
    case 'unrecognized_keys': {
      const [key] = issue.keys;
      return key === undefined ? 'unexpected field' : `unexpected field ${quote(key)}`;
    }
    default:
      return `${field} is invalid`;
  }
}
