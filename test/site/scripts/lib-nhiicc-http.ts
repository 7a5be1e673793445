/**
 * Our own held-back stand-in for the HTTP side of the 2024 NHIICC page library (`nhiicc_host`),
 * written from the public description of what it does: on creation it POSTs GetVersion to
 * http://localhost:59001/api/ and https://localhost:59002/api/ with jQuery-style XMLHttpRequests
 * (a success sets that transport's flag) and opens wss://localhost:7777/echo; H_Sign runs
 * GetVersion -> GetRandom -> GetBasic -> SignHC on the first transport whose flag is set; the
 * status images are read back from a 1024x1 canvas, blue, green, red per pixel.
 */

export const HTTP_API = 'http://localhost:59001/api/';
export const HTTPS_API = 'https://localhost:59002/api/';
const SOCKET_URL = 'wss://localhost:7777/echo';

/** What the library hands the page after H_Sign, as it joins the HTTP answers. */
export interface HttpCardProof {
  readonly basic: string;
  readonly version: string;
  readonly random: string;
  readonly sign: string;
}

/** A JSON answer of the component: `result` plus the call's fields. */
export type ComponentAnswer = Record<string, string | undefined> & { result?: string };

/** A failed H_Sign: the NHIICC code, or NO_COMPONENT when no transport answered. */
export class HttpLibraryError extends Error {
  constructor(readonly code: string) {
    super(`NHIICC error ${code}`);
  }
}

/** POSTs like jQuery's `$.post`: form-encoded text body, JSON answer parsed by its content type. */
export function post(url: string, body?: string): Promise<ComponentAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url, true);
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    xhr.setRequestHeader('Accept', '*/*');
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(new Error(`HTTP ${xhr.status}`));
        return;
      }
      const type = xhr.getResponseHeader('Content-Type') ?? '';
      try {
        resolve(type.includes('json') ? (JSON.parse(xhr.responseText) as ComponentAnswer) : { result: xhr.responseText });
      } catch {
        reject(new Error('parsererror'));
      }
    };
    xhr.onerror = () => {
      reject(new Error('error'));
    };
    xhr.onabort = () => {
      reject(new Error('abort'));
    };
    xhr.send(body);
  });
}

/** Loads a status image and reads the JSON text from its pixels, as the library does. */
export function readStatusImage(api: string, name: 'GetStatus.bmp' | 'GetCardStatus.bmp'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1024;
    canvas.height = 1;
    canvas.style.display = 'none';
    document.body.append(canvas);
    const context = canvas.getContext('2d');
    const image = new Image();
    image.onload = () => {
      try {
        if (context === null) throw new Error('no 2d context');
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, 1024, 1).data;
        let text = '';
        for (let x = 0; x < image.width; x += 1) {
          for (const channel of [2, 1, 0]) {
            const code = pixels[x * 4 + channel] ?? 0;
            if (code !== 0) text += String.fromCharCode(code);
          }
        }
        resolve(JSON.parse(text));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        canvas.remove();
      }
    };
    image.onerror = () => {
      canvas.remove();
      reject(new Error('image failed to load'));
    };
    image.crossOrigin = 'Anonymous';
    image.src = `${api}${name}?tick=${Date.now()}`;
  });
}

/** The library object: probes on creation, then H_Sign over the first transport that answered. */
export class NhiiccHost {
  http = false;
  https = false;
  wss = false;
  /** Settles when both HTTP probes have answered or failed. */
  readonly probed: Promise<void>;

  constructor() {
    const probe = (url: string, set: (ok: boolean) => void): Promise<void> =>
      post(`${url}GetVersion`).then(
        () => {
          set(true);
        },
        () => {
          set(false);
        },
      );
    this.probed = Promise.all([
      probe(HTTP_API, (ok) => {
        this.http = ok;
      }),
      probe(HTTPS_API, (ok) => {
        this.https = ok;
      }),
    ]).then(() => undefined);
    try {
      const socket = new WebSocket(SOCKET_URL);
      socket.onopen = () => {
        this.wss = true;
      };
      socket.onerror = () => {
        this.wss = false;
      };
    } catch {
      this.wss = false;
    }
  }

  /** GetVersion -> GetRandom -> GetBasic -> SignHC, each stopping at a result other than 0000. */
  async hSign(): Promise<HttpCardProof> {
    const api = this.http ? HTTP_API : this.https ? HTTPS_API : undefined;
    if (api === undefined) throw new HttpLibraryError('NO_COMPONENT');
    const step = async (call: string, body?: string): Promise<ComponentAnswer> => {
      let answer: ComponentAnswer;
      try {
        answer = await post(`${api}${call}`, body);
      } catch {
        throw new HttpLibraryError('NO_COMPONENT');
      }
      if (answer.result !== '0000') throw new HttpLibraryError(answer.result ?? 'NO_RESULT');
      return answer;
    };
    const version = await step('GetVersion');
    const random = await step('GetRandom');
    const basic = await step('GetBasic');
    const signed = await step('SignHC', JSON.stringify({ random: `${version.version ?? ''}${random.random ?? ''}` }));
    const fields = [basic.card_no, basic.as_id, basic.name, basic.birthday, basic.sex, basic.card_termination];
    return { basic: fields.join(','), version: version.version ?? '', random: random.random ?? '', sign: signed.sign ?? '' };
  }
}
