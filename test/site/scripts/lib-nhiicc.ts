/**
 * Our own stand-in for the page library government sites load to talk to the official NHIICC
 * component, written from the public description of its behaviour, quirks included: it opens
 * wss://iccert.nhi.gov.tw:7777/echo, fires GetBasic, GetVersion and GetRandom back to back
 * without waiting, sends H_Sign once version and random are in, treats any bare number as an
 * error code, has an `onopen` that throws, and re-opens the socket once from `onerror`.
 */

/** The address pages hard-code; public DNS points the name at 127.0.0.1. */
export const COMPONENT_URL = 'wss://iccert.nhi.gov.tw:7777/echo';

/** The replies a page posts to its back end, prefixes removed. */
export interface LegacyCardProof {
  readonly basic: string;
  readonly version: string;
  readonly random: string;
  readonly sign: string;
  /** EnCrypt's payload, when a password was given. */
  readonly encrypted?: string;
}

/** `code` is the component's numeric reply, or NO_COMPONENT when the socket never worked. */
export class LegacyReadError extends Error {
  constructor(readonly code: string) {
    super(`NHIICC error ${code}`);
  }
}

/** What pages tell people for each code, as the official pages do. */
const MESSAGES: Readonly<Record<string, string>> = {
  '4061': '無法連線至健保署認證伺服器，請稍後再試',
  '7001': '讀卡機服務未啟動',
  '7002': '找不到讀卡機，請確認讀卡機已連接',
  '7003': '無法使用讀卡機，請關閉其他使用讀卡機的程式',
  '7004': '請插入健保卡',
  '8009': '密碼長度不符',
  '8013': '無法存取健保卡，請檢查讀卡機與健保卡',
  NO_COMPONENT: '無法連線至健保卡讀卡機元件，請確認元件已安裝並啟動',
};

/** The message a page shows for an error code. */
export function messageFor(code: string): string {
  return MESSAGES[code] ?? '讀卡失敗';
}

interface SloppyPageGlobals {
  /** Real pages close a "please wait" popup they never opened. */
  readonly readerPopup: { close(): void };
}

/** Reads the card the legacy way; `password` adds EnCrypt (login pages). */
export function readCardLegacy(password?: string): Promise<LegacyCardProof> {
  return new Promise((resolve, reject) => {
    let reopened = false;
    let settled = false;
    const finish = (outcome: { proof: LegacyCardProof } | { code: string }, socket: WebSocket): void => {
      if (settled) return;
      settled = true;
      socket.close();
      if ('proof' in outcome) resolve(outcome.proof);
      else reject(new LegacyReadError(outcome.code));
    };

    const connect = (): void => {
      const socket = new WebSocket(COMPONENT_URL);
      const replies = new Map<string, string>();
      let signRequested = false;

      socket.onopen = () => {
        (window as unknown as SloppyPageGlobals).readerPopup.close();
      };
      socket.addEventListener('open', () => {
        socket.send('GetBasic');
        socket.send('GetVersion');
        socket.send('GetRandom');
        if (password !== undefined) socket.send(`EnCrypt?Pwd=${password}`);
      });
      socket.onmessage = (event: MessageEvent) => {
        const data = String(event.data);
        if (/^\d+$/.test(data)) {
          finish({ code: data }, socket);
          return;
        }
        const separator = data.indexOf(':');
        replies.set(data.slice(0, separator), data.slice(separator + 1));
        const version = replies.get('GetVersion');
        const random = replies.get('GetRandom');
        if (!signRequested && version !== undefined && random !== undefined) {
          signRequested = true;
          socket.send(`H_Sign?Random=${version}${random}`);
        }
        const sign = replies.get('H_Sign');
        if (sign === undefined) return;
        // Pages take any other length for an error code.
        if (sign.length !== 256) {
          finish({ code: sign }, socket);
          return;
        }
        const basic = replies.get('GetBasic') ?? '';
        const encrypted = replies.get('EnCrypt');
        const proof = { basic, version: version ?? '', random: random ?? '', sign };
        finish({ proof: encrypted === undefined ? proof : { ...proof, encrypted } }, socket);
      };
      socket.onerror = () => {
        if (settled) return;
        if (!reopened) {
          reopened = true;
          setTimeout(connect, 300);
          return;
        }
        finish({ code: 'NO_COMPONENT' }, socket);
      };
    };
    connect();
  });
}
