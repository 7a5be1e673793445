/** The replica pages' flows as a person runs them, and what each page ends up showing. */
import type { ProbeResult } from '../site/scripts/probe';
import { settledRead, startRead } from './page-scripts';
import { testId, type TestPage } from './test-page';

/** Where a page's flow ended: its success panel, or its own error line with the code it shows. */
export type FlowOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly code: string; readonly text: string };

/** Bound for a whole legacy flow (consent prompts, card, SAM round trip, the page's own retry). */
const FLOW_MS = 30_000;

async function outcome(page: TestPage, successId: string): Promise<FlowOutcome> {
  const shown = await page.waitForAny([testId(successId), testId('error')], FLOW_MS);
  if (shown === testId(successId)) return { ok: true, text: (await page.element(shown))?.text.trim() ?? '' };
  const error = await page.element(testId('error'));
  return { ok: false, code: error?.data.code ?? '', text: error?.text.trim() ?? '' };
}

/** A flow whose button has been pressed; `done` settles with what the page ends up showing. */
export interface StartedFlow {
  readonly done: Promise<FlowOutcome>;
}

/** 忘記註冊密碼: press 讀取; the outcome follows (lets a test start several tabs before waiting). */
export async function startForgotPassword(page: TestPage): Promise<StartedFlow> {
  await page.click(testId('read'));
  return { done: outcome(page, 'result') };
}

/** 忘記註冊密碼: press 讀取 and wait for the result or the page's error. */
export async function runForgotPassword(page: TestPage): Promise<FlowOutcome> {
  return (await startForgotPassword(page)).done;
}

/** eCPA: type the registration password and press 登入; the outcome follows. */
export async function startEcpaLogin(page: TestPage, password: string): Promise<StartedFlow> {
  await page.fill(testId('password'), password);
  await page.click(testId('card-login'));
  return { done: outcome(page, 'welcome') };
}

/** eCPA: type the registration password, press 登入, wait for the welcome or the error. */
export async function runEcpaLogin(page: TestPage, password: string): Promise<FlowOutcome> {
  return (await startEcpaLogin(page, password)).done;
}

/** The modern page: press 讀取 and wait for the result or the error (with the API's code). */
export async function runModernRead(page: TestPage): Promise<FlowOutcome> {
  await page.click(testId('read'));
  return outcome(page, 'result');
}

/** What a probe page (or the probe in a sandboxed frame, via its parent) reported. */
export async function probeResult(page: TestPage, id: 'probe-result' | 'frame-result'): Promise<ProbeResult> {
  const state = await page.waitFor(testId(id), 'to report', (element) => element.data.done === 'true', 20_000);
  return JSON.parse(state.text) as ProbeResult;
}

/** One read as a page script makes it (window.nhiCard or the legacy socket): `ok: <ID or reply>` or `error: <code>`. */
export async function readOnce(page: TestPage, kind: 'api' | 'legacy'): Promise<string> {
  await page.evaluate(startRead(`read-${kind}`, kind));
  return page.evaluate<string>(settledRead(`read-${kind}`));
}

/** Waits until `observer`, the window.nhiCard page, shows the host seeing a card (or none), as a person would look at the reader. */
export async function hostSeesCard(observer: TestPage, present: boolean): Promise<void> {
  await observer.waitFor(testId('card-state'), present ? 'to show the card' : 'to say no card', (state) => state.data.present === String(present));
}
