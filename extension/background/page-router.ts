/**
 * Serves one content script's port: judges the frame by the origin the browser reported when the
 * port opened (re-checked against the allowlist on every request, so removals apply at once),
 * validates each request, asks for consent before card data leaves, and answers each request once.
 */
import { checkRequest, checkResult, type RequestEnvelope, type ResponseEnvelope } from '../shared/envelope';
import { ExtensionErrorCode } from '../../native-host/protocol/error-codes';
import { NhiCardError, asNhiCardError } from '../../native-host/protocol/nhi-card-error';
import { legacyCommandName, legacyLineFields, READ_CARD_FIELDS } from '../shared/card-fields';
import type { CardEvent, PageMethod, PageStatus, ResultOf } from '../shared/page-methods';
import { isLegacyErrorReply, LEGACY_UNKNOWN_COMMAND, legacyReplyFor } from './legacy-replies';
import type { AnswerMemo } from './answer-memo';
import { httpApiAnswer } from './nhiicc-http/http-api';
import type { HostHello } from './native-host-client';
import type { Command, ResultOf as HostResultOf, Request } from '../../native-host/protocol/messages';
import type { CardField } from '../shared/card-fields';
import { nonDefaultSamEndpoint } from '../shared/sam-endpoint-named';

/** What the router needs from the rest of the background. */
export interface PageServices {
  readonly host: {
    ready(): Promise<HostHello>;
    request<C extends Command>(command: C, args: Omit<Extract<Request, { command: C }>, 'id' | 'command'>): Promise<HostResultOf<C>>;
  };
  readonly consent: {
    /** `samEndpoint`: a SAM service other than the NHI's own that the request sends the card's authentication to. */
    require(origin: string, fields: readonly CardField[], samEndpoint?: string): Promise<void>;
    /** Whether the origin holds any current allowance; decides how much status and events reveal. */
    hasAllowance(origin: string): Promise<boolean>;
  };
  /** Judges a reported frame origin; built-in origins without waiting for storage (trusted-origin-store.ts). */
  readonly origins: { isTrusted(origin: string): Promise<boolean> };
  readonly events: { add(subscriber: (event: CardEvent) => void): () => void };
  readonly recent: { add(origin: string, what: string): Promise<void> };
  /** Identity answers for the inserted card, kept while the host reports card changes. */
  readonly memo: Pick<AnswerMemo, 'answer'>;
}

/** The part of a runtime port the router uses. */
export interface PagePort {
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/** The page-facing status; never rejects for host trouble, which it reports instead. */
export async function pageStatus(host: PageServices['host']): Promise<PageStatus> {
  let hello: HostHello;
  try {
    hello = await host.ready();
  } catch (error) {
    return { host: { connected: false, errorCode: asNhiCardError(error).code }, readers: [], cardPresent: false };
  }
  const connected = { connected: true, version: hello.host, protocol: hello.protocol };
  try {
    const { readers } = await host.request('readers', {});
    const list = readers.slice(0, 32).map((reader) => ({ name: reader.name, cardPresent: reader.cardPresent }));
    return { host: connected, readers: list, cardPresent: list.some((reader) => reader.cardPresent) };
  } catch (error) {
    return { host: { ...connected, errorCode: asNhiCardError(error).code }, readers: [], cardPresent: false };
  }
}

/**
 * What an origin without consent may learn: whether a card is present, and when one is inserted
 * or removed (so a page can say "insert your card" and go on). Reader names, the reader count and
 * reader hot-plugging wait for consent: they identify the machine, not the user's request.
 */
export function statusBeforeConsent(status: PageStatus): PageStatus {
  return { ...status, readers: [] };
}

/** The event as an origin without consent sees it, or undefined when it may not see it at all. */
export function eventBeforeConsent(event: CardEvent): CardEvent | undefined {
  if (event.type !== 'card-inserted' && event.type !== 'card-removed') return undefined;
  return { type: event.type, reader: '' };
}

/**
 * Serves `port`, whose frame the browser reported as `origin` (undefined: not a frame we serve),
 * inside pages of the origins `ancestors`, nearest first (null: unknown, so not served).
 */
export function servePagePort(port: PagePort, origin: string | undefined, services: PageServices, ancestors: readonly string[] | null = []): void {
  let unsubscribe: (() => void) | undefined;

  port.onDisconnect.addListener(() => {
    unsubscribe?.();
    unsubscribe = undefined;
  });

  const handlers: { [M in PageMethod]: (request: Extract<RequestEnvelope, { method: M }>, origin: string) => Promise<ResultOf<M>> } = {
    warm: () => {
      services.host.ready().catch(() => undefined); // Only starts the host; errors surface on real requests.
      return Promise.resolve({});
    },
    status: async (_request, from) => {
      const status = await pageStatus(services.host);
      return (await services.consent.hasAllowance(from)) ? status : statusBeforeConsent(status);
    },
    readCard: async (_request, from) => {
      // Host first: nobody should be asked to consent to a read that cannot happen.
      await services.host.ready();
      await services.consent.require(from, READ_CARD_FIELDS);
      const identity = await services.memo.answer('readCard', () => services.host.request('readCard', {}));
      record(from, 'readCard');
      return identity;
    },
    legacyOpen: async () => {
      await services.host.ready();
      return {};
    },
    legacy: async (request, from) => ({ reply: await legacyReply(request.params.line, from) }),
    http: async (request, from) => {
      // A host that cannot be reached fails the request, as a component that is not running would.
      await services.host.ready();
      const { name, body } = request.params;
      return {
        body: await httpApiAnswer(name, body, {
          legacyReply: (line) => legacyReply(line, from),
          cardPresent: async () => (await pageStatus(services.host)).cardPresent,
        }),
      };
    },
    subscribe: (_request, from) => {
      unsubscribe ??= services.events.add((event) => {
        deliver(event, from);
      });
      return Promise.resolve({});
    },
    unsubscribe: () => {
      unsubscribe?.();
      unsubscribe = undefined;
      return Promise.resolve({});
    },
  };

  /** Events pass one after another (the consent check is async), each as much as the origin may see. */
  let delivered: Promise<void> = Promise.resolve();
  function deliver(event: CardEvent, from: string): void {
    delivered = delivered
      .then(async () => {
        const shown = (await services.consent.hasAllowance(from)) ? event : eventBeforeConsent(event);
        if (shown !== undefined && unsubscribe !== undefined) port.postMessage({ kind: 'event', event: shown });
      })
      .catch(() => undefined); // The frame went away; nobody to tell.
  }

  /** Notes a read for the popup; the page's reply does not wait for the storage write. */
  function record(from: string, what: string): void {
    services.recent.add(from, what).catch((error: unknown) => {
      console.warn('NHI Card Bridge: could not record a recent read', error instanceof Error ? error.message : error);
    });
  }

  /** Legacy pages expect a reply to every frame, so every failure becomes a numeric code. */
  async function legacyReply(line: string, from: string): Promise<string> {
    const fields = legacyLineFields(line);
    if (fields === undefined) return LEGACY_UNKNOWN_COMMAND;
    try {
      if (fields.length > 0) await services.host.ready();
      await services.consent.require(from, fields, nonDefaultSamEndpoint(line));
      const reply = await askHost(line);
      if (fields.length > 0 && !isLegacyErrorReply(reply)) record(from, legacyCommandName(line));
      return reply;
    } catch (error) {
      return legacyReplyFor(asNhiCardError(error).code);
    }
  }

  /** A legacy line's reply from the host; GetBasic's may come from the memo, never a failure's. */
  function askHost(line: string): Promise<string> {
    const ask = () => services.host.request('legacy', { line }).then(({ reply }) => reply);
    return line === 'GetBasic' ? services.memo.answer('GetBasic', ask, (reply) => !isLegacyErrorReply(reply)) : ask();
  }

  async function answer(request: RequestEnvelope): Promise<ResponseEnvelope> {
    try {
      if (origin === undefined || !(await services.origins.isTrusted(origin))) {
        throw new NhiCardError(ExtensionErrorCode.OriginNotAllowed, 'this site is not on the NHI Card Bridge allowlist');
      }
      // A trusted page framed by an untrusted one would let that page drive its flows (and click-jack consent).
      const framedByTrustedPages = ancestors !== null && (await Promise.all(ancestors.map((ancestor) => services.origins.isTrusted(ancestor)))).every(Boolean);
      if (!framedByTrustedPages) {
        throw new NhiCardError(ExtensionErrorCode.OriginNotAllowed, 'this frame is inside a page that is not on the NHI Card Bridge allowlist');
      }
      const handler = handlers[request.method] as (request: RequestEnvelope, origin: string) => Promise<unknown>;
      // The one check of an answer on its way out: the content script and the page pass it as it is.
      return { kind: 'response', id: request.id, ok: true, value: checkResult(request.method, await handler(request, origin)) };
    } catch (error) {
      return { kind: 'response', id: request.id, ok: false, error: asNhiCardError(error).toWire() };
    }
  }

  port.onMessage.addListener((message) => {
    const checked = checkRequest(message);
    if (!checked.ok) {
      if (checked.id !== undefined) port.postMessage({ kind: 'response', id: checked.id, ok: false, error: checked.error });
      return;
    }
    void answer(checked.value).then((response) => {
      try {
        port.postMessage(response);
      } catch {
        // The frame went away while we worked; nothing to answer.
      }
    });
  });
}
