/**
 * The extension's consent prompt as tests answer it, through the page hooks
 * `consent-allow`, `consent-deny`, `consent-remember` (extension/ui/consent.html).
 */
import { testId, type TestPage, WAIT_MS } from './test-page';

export type ConsentChoice = 'allow' | 'deny';

/** What a prompt asked, recorded when it was answered. */
export interface ConsentRecord {
  readonly origin: string;
  readonly fields: readonly string[];
  readonly choice: ConsentChoice | 'unanswered';
}

export class ConsentWindow {
  constructor(readonly page: TestPage) {}

  /** The origin the prompt names (waits until the page has filled it in). */
  async origin(timeoutMs = WAIT_MS): Promise<string> {
    return (await this.page.waitForText(testId('consent-origin'), /\S/, timeoutMs)).trim();
  }

  /** The field labels the prompt lists. */
  async fields(): Promise<string[]> {
    await this.origin();
    return this.page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="consent-fields"] li')].map((item) => item.textContent ?? '')`);
  }

  /** Waits until Allow takes clicks: the prompt arms it after a steady second of focus. */
  async armed(timeoutMs = WAIT_MS): Promise<void> {
    await this.page.waitFor(testId('consent-allow'), 'to be armed', (state) => state.data.armed === 'true', timeoutMs);
  }

  /** Ticks "remember" when asked to, clicks allow or deny, and waits for the window to close. */
  async answer(choice: ConsentChoice, options: { readonly remember?: boolean } = {}): Promise<ConsentRecord> {
    const origin = await this.origin();
    const fields = await this.fields();
    if (options.remember === true) await this.page.click(testId('consent-remember'));
    if (choice === 'allow') await this.armed();
    try {
      await this.page.click(testId(choice === 'allow' ? 'consent-allow' : 'consent-deny'));
    } catch (error) {
      // The click closes the window; a driver may report that as a failed click.
      if (!this.page.closed) throw error;
    }
    if (!(await this.page.waitClosed())) throw new Error(`the consent window for ${origin} did not close after "${choice}"`);
    return { origin, fields, choice };
  }
}
