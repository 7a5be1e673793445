/**
 * The protocol map between the extension's own pages (popup, options, consent) and the
 * background. One map types both sides; the background validates params with these schemas.
 */
import * as z from 'zod/mini';
import type { CardField } from './card-fields';
import type { WireError } from '../../native-host/protocol/nhi-card-error';
import type { PageStatus } from './page-methods';
import type { ServiceName } from './trusted-origins';

const empty = z.strictObject({});
const promptId = z.string().check(z.minLength(1), z.maxLength(64));
const originText = z.string().check(z.minLength(1), z.maxLength(2048));

export const uiParamSchemas = {
  status: empty,
  holder: empty,
  recentReads: empty,
  diagnostics: empty,
  consentDetails: z.strictObject({ promptId }),
  consentAnswer: z.strictObject({ promptId, allow: z.boolean(), remember: z.boolean() }),
  consentList: empty,
  consentRevoke: z.strictObject({ origin: originText }),
  origins: empty,
  addOrigin: z.strictObject({ origin: originText }),
  removeOrigin: z.strictObject({ origin: originText }),
} as const;

export type UiMethod = keyof typeof uiParamSchemas;
export type UiParams<M extends UiMethod> = z.infer<(typeof uiParamSchemas)[M]>;

export type CheckId = 'host-registered' | 'host-reachable' | 'pcsc' | 'readers' | 'card' | 'test-read';
export interface DiagnosticCheck {
  readonly id: CheckId;
  readonly status: 'pass' | 'fail' | 'skip';
  /** Non-personal detail: a version, reader names, a masked name, an error code. */
  readonly detail?: string;
  /** The _locales message key of the fix, for failed checks. */
  readonly fix?: string;
}

export interface UiResults {
  status: PageStatus & { extensionVersion: string };
  holder: { maskedName: string };
  recentReads: { reads: { origin: string; at: number; what: string }[] };
  diagnostics: { checks: DiagnosticCheck[] };
  /** `service`: the built-in service's name; absent for sites added by the user or by policy. */
  consentDetails: { origin: string; fields: CardField[]; service?: ServiceName; samEndpoint?: string };
  consentAnswer: Record<string, never>;
  /** Remembered decisions, and the "allow"s kept for this browser session only. */
  consentList: { decisions: { origin: string; allow: boolean; fields: CardField[]; decidedAt: number }[]; sessionGrants: { origin: string; fields: CardField[] }[] };
  consentRevoke: Record<string, never>;
  origins: {
    builtIn: { origin: string; reason: string; name: ServiceName }[];
    managed: { origin: string; granted: boolean }[];
    user: { origin: string; granted: boolean }[];
  };
  addOrigin: { origin: string };
  removeOrigin: Record<string, never>;
}

export interface UiRequest<M extends UiMethod = UiMethod> {
  readonly channel: 'nhi-card-ui';
  readonly method: M;
  readonly params: UiParams<M>;
}

export type UiResponse<M extends UiMethod> = { ok: true; value: UiResults[M] } | { ok: false; error: WireError };

export const uiRequestEnvelope = z.strictObject({ channel: z.literal('nhi-card-ui'), method: z.string(), params: z.unknown() });
