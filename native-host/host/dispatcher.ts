/**
 * Runs validated requests against the readers and the legacy protocol. Requests are handled
 * concurrently: each call returns its own answer, matched to the request by `id`, never rejects.
 *
 * APDUs cannot interleave: the only way to a card is ReaderService.withCard, which serializes its
 * callers, and the session handed to a handler is fenced so it refuses to transmit once the
 * handler's turn is over or while another of its own APDUs is in flight.
 */
import type { CardSession } from '../card/card-session';
import { readIdentity } from '../card/nhi-card';
import type { ReaderEvent, ReaderService } from '../pcsc/reader-service';
import { NhiCardError, hostWireError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { PROTOCOL_VERSION, type Command, type HostEvent, type Request, type ResultOf } from '../protocol/messages';

/** The answer to one request: a result or an error, under the request's id. */
export type DispatchAnswer =
  | { readonly id: string; readonly result: ResultOf<Command> }
  | { readonly id: string; readonly error: { readonly code: ErrorCode; readonly message: string } };

export interface DispatcherDeps {
  readonly readers: ReaderService;
  /** Answers one NHIICC text command line (native-host/legacy/); must reach the card only through `readers`. */
  readonly legacy: (line: string) => Promise<string>;
  /** The host's version, reported by `version` and `hello`. */
  readonly version: string;
  /** Pushes a reader event to this connection (after `subscribe`). */
  readonly emit: (event: HostEvent) => void;
}

/** One connection's request handler; owns that connection's event subscription. */
export class Dispatcher {
  readonly #deps: DispatcherDeps;
  #unsubscribe: (() => void) | null = null;

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
  }

  /** True while reader events are pushed to this connection. */
  get subscribed(): boolean {
    return this.#unsubscribe !== null;
  }

  /** Handles one request; never rejects (failures become `{id, error}`). */
  async dispatch(request: Request): Promise<DispatchAnswer> {
    try {
      return { id: request.id, result: await this.#run(request) };
    } catch (error) {
      return { id: request.id, error: hostWireError(error) };
    }
  }

  /** Stops this connection's event subscription; requests still running finish on their own. */
  close(): void {
    this.#stopEvents();
  }

  async #run(request: Request): Promise<ResultOf<Command>> {
    const { readers, legacy, version } = this.#deps;
    switch (request.command) {
      case 'version':
        return { host: version, protocol: PROTOCOL_VERSION };
      case 'readers': {
        const list = await readers.listReaders();
        // Copy field by field: only what the wire contract names leaves the host.
        return {
          readers: list.map(({ name, cardPresent, atr }) => (atr === undefined ? { name, cardPresent } : { name, cardPresent, atr })),
        };
      }
      case 'readCard':
        return readers.withCard(
          (session, reader, memo) =>
            withFencedSession(session, async (fenced) => {
              const record = await readIdentity(fenced, memo);
              const { cardNumber, name, idNumber, birthDate, sex, issueDate } = record;
              return { cardNumber, name, idNumber, birthDate, sex, issueDate, reader };
            }),
          { reader: request.reader },
        );
      case 'subscribe':
        // Let the first enumeration finish, so the readers already present when the host started
        // are not pushed as if they had just been plugged in. pcscd being down is no reason to refuse.
        await readers.listReaders().catch(() => undefined);
        this.#unsubscribe ??= readers.onEvent((event) => {
          this.#deps.emit(toHostEvent(event));
        });
        return {};
      case 'unsubscribe':
        this.#stopEvents();
        return {};
      case 'legacy':
        return { reply: await legacy(request.line) };
    }
  }

  #stopEvents(): void {
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = null;
    unsubscribe?.();
  }
}

/** A reader event in its wire form. */
export function toHostEvent(event: ReaderEvent): HostEvent {
  return { event: event.type, reader: event.reader };
}

/**
 * Runs `use` with a view of `session` that allows one APDU at a time and none after `use` settles,
 * so a handler bug (a forgotten `await`, a stray late call) fails loudly instead of interleaving
 * its APDUs with the next withCard holder's.
 */
export async function withFencedSession<T>(session: CardSession, use: (session: CardSession) => Promise<T>): Promise<T> {
  let open = true;
  let busy = false;
  const fenced: CardSession = {
    async transmit(command) {
      if (!open) throw new NhiCardError(ErrorCode.Internal, 'card session used after its exchange ended');
      if (busy) throw new NhiCardError(ErrorCode.Internal, 'card session used by two exchanges at once');
      busy = true;
      try {
        return await session.transmit(command);
      } finally {
        busy = false;
      }
    },
  };
  try {
    return await use(fenced);
  } finally {
    open = false;
  }
}
