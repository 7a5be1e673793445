/**
 * 忘記註冊密碼 through the 2024 page library's HTTP transport (our stand-in, lib-nhiicc-http.ts).
 * On load it creates the library (its probes), reads both status images and asks GetVersion once
 * more with fetch(); what it saw goes into #probe (data-done="true" when finished). 讀取 then runs
 * H_Sign and the same back-end check as the WebSocket replica.
 */
import { HTTP_API, HttpLibraryError, NhiiccHost, readStatusImage } from './lib-nhiicc-http';
import { wireForgotPassword } from './lib-forgot-password';
import { byId } from './lib-page';

/** What the page learned before anyone pressed a button; tests read it from #probe. */
export interface HttpProbeReport {
  readonly http: boolean;
  readonly https: boolean;
  readonly status: unknown;
  readonly cardStatus: unknown;
  readonly fetchVersion: unknown;
  /** The same probe addressed to 127.0.0.1 (how copies of the library sometimes spell it). */
  readonly loopbackIp: unknown;
}

const library = new NhiiccHost();
const button = wireForgotPassword(() => library.hSign(), (error) => (error instanceof HttpLibraryError ? error.code : undefined));

const settle = (promise: Promise<unknown>): Promise<unknown> => promise.then((value) => value, (error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`);

async function fetchVersion(url: string): Promise<unknown> {
  const response = await fetch(url, { method: 'POST' });
  return response.json();
}

async function probe(): Promise<void> {
  const [status, cardStatus, fetched, loopbackIp] = await Promise.all([
    settle(readStatusImage(HTTP_API, 'GetStatus.bmp')),
    settle(readStatusImage(HTTP_API, 'GetCardStatus.bmp')),
    settle(fetchVersion(`${HTTP_API}GetVersion`)),
    settle(fetchVersion('https://127.0.0.1:59002/api/GetVersion')),
    library.probed,
  ]);
  const report: HttpProbeReport = { http: library.http, https: library.https, status, cardStatus, fetchVersion: fetched, loopbackIp };
  const target = byId('probe', HTMLElement);
  target.textContent = JSON.stringify(report);
  target.dataset.done = 'true';
  button.disabled = false;
}

void probe();
