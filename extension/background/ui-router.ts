/**
 * Answers the extension's own pages (popup, options, consent). Only senders whose URL is inside
 * this extension are served: a content script cannot answer a consent prompt or add an origin.
 */
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { BUILT_IN_ORIGINS, canonicalOrigin, serviceNameOf } from '../shared/trusted-origins';
import { NhiCardError, asNhiCardError } from '../../native-host/protocol/nhi-card-error';
import { maskName } from '../shared/mask-name';
import { uiParamSchemas, uiRequestEnvelope, type UiMethod, type UiParams, type UiResponse, type UiResults } from '../shared/ui-protocol';
import type { ConsentPrompts } from './consent-prompts';
import type { ConsentStore } from './consent-store';
import { runDiagnostics } from './diagnostics';
import { pageStatus, type PageServices } from './page-router';
import type { RecentReads } from './recent-reads';
import type { TrustedOriginStore } from './trusted-origin-store';

export interface UiServices {
  readonly extensionVersion: string;
  readonly host: PageServices['host'];
  readonly prompts: ConsentPrompts;
  readonly consentStore: ConsentStore;
  readonly origins: TrustedOriginStore;
  readonly recent: RecentReads;
  /** Whether the browser holds the host permission for an origin. */
  readonly hasPermission: (origin: string) => Promise<boolean>;
  /** Re-registers the content scripts and the loopback block rule for extra origins after a change. */
  readonly resyncScripts: () => Promise<void>;
}

type Handlers = { [M in UiMethod]: (params: UiParams<M>) => Promise<UiResults[M]> };

function isUiMethod(method: string): method is UiMethod {
  return Object.prototype.hasOwnProperty.call(uiParamSchemas, method);
}

/** Builds the handler for one UI message; the caller has already checked the sender. */
export function createUiRouter(services: UiServices): (message: unknown) => Promise<UiResponse<UiMethod>> {
  const withGrant = async (origins: readonly string[]) =>
    Promise.all(origins.map(async (origin) => ({ origin, granted: await services.hasPermission(origin) })));

  const handlers: Handlers = {
    status: async () => ({ extensionVersion: services.extensionVersion, ...(await pageStatus(services.host)) }),
    holder: async () => ({ maskedName: maskName((await services.host.request('readCard', {})).name) }),
    recentReads: async () => ({ reads: await services.recent.list() }),
    diagnostics: async () => ({ checks: await runDiagnostics(services.host) }),
    consentDetails: ({ promptId }) => {
      const details = services.prompts.details(promptId);
      if (details === undefined) return Promise.reject(new NhiCardError(ErrorCode.InvalidRequest, 'this consent request has already ended'));
      const service = serviceNameOf(details.origin);
      return Promise.resolve({
        origin: details.origin,
        fields: [...details.fields],
        ...(service === undefined ? {} : { service: { ...service } }),
        ...(details.samEndpoint === undefined ? {} : { samEndpoint: details.samEndpoint }),
      });
    },
    consentAnswer: async ({ promptId, allow, remember }) => {
      await services.prompts.answer(promptId, allow, remember);
      return {};
    },
    consentList: async () => ({
      decisions: (await services.consentStore.list()).map((decision) => ({ ...decision, fields: [...decision.fields] })),
      sessionGrants: (await services.consentStore.listSession()).map((grant) => ({ origin: grant.origin, fields: [...grant.fields] })),
    }),
    consentRevoke: async ({ origin }) => {
      await services.consentStore.revoke(origin);
      return {};
    },
    origins: async () => {
      const lists = await services.origins.lists();
      return {
        builtIn: BUILT_IN_ORIGINS.map((entry) => ({ ...entry, name: { ...entry.name } })),
        managed: await withGrant(lists.managed),
        user: await withGrant(lists.user),
      };
    },
    addOrigin: async ({ origin }) => {
      const canonical = canonicalOrigin(origin);
      // The options page requests the permission from the click; without it nothing can be injected.
      if (canonical !== undefined && !(await services.hasPermission(canonical))) {
        throw new NhiCardError(ErrorCode.InvalidRequest, 'the browser did not grant access to this site');
      }
      const added = await services.origins.addUser(origin);
      await services.resyncScripts();
      return { origin: added };
    },
    removeOrigin: async ({ origin }) => {
      await services.origins.removeUser(origin);
      await services.resyncScripts();
      return {};
    },
  };

  return async (message) => {
    try {
      const envelope = uiRequestEnvelope.safeParse(message);
      if (!envelope.success || !isUiMethod(envelope.data.method)) throw new NhiCardError(ErrorCode.InvalidRequest, 'unknown UI request');
      const method = envelope.data.method;
      const params = uiParamSchemas[method].safeParse(envelope.data.params);
      if (!params.success) throw new NhiCardError(ErrorCode.InvalidRequest, `invalid ${method} parameters`);
      const handler = handlers[method] as (params: unknown) => Promise<UiResults[UiMethod]>;
      return { ok: true, value: await handler(params.data) };
    } catch (error) {
      return { ok: false, error: asNhiCardError(error).toWire() };
    }
  };
}
