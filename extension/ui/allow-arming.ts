/**
 * Keeps a consent prompt's Allow button inert until the window has been visible and focused for a
 * moment, and inert again whenever it loses either. A double-click that opened the prompt, or a
 * click aimed at a page beneath a window that just popped up, then lands on nothing.
 */

/** How long the window must stay visible and focused before Allow works. */
export const ARMING_DELAY_MS = 1000;

/** What the arming watches and drives; the browser's window and button, or a fake in tests. */
export interface ArmingHost {
  /** True while the window is visible and has the focus. */
  isSteady(): boolean;
  /** Calls `changed` on every focus, blur and visibility change. */
  onChange(changed: () => void): void;
  /** Shows the button live (true) or inert (false). */
  setArmed(armed: boolean): void;
}

/** Starts arming; `armed()` says whether a click may count right now. */
export function armAfterSteadyFocus(host: ArmingHost, delayMs = ARMING_DELAY_MS): { armed: () => boolean } {
  let armed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const disarm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (armed) {
      armed = false;
      host.setArmed(false);
    }
  };

  const update = () => {
    if (!host.isSteady()) {
      disarm();
      return;
    }
    if (armed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      // Focus may have left without an event (some browsers skip blur on window switches).
      if (!host.isSteady()) return;
      armed = true;
      host.setArmed(true);
    }, delayMs);
  };

  host.setArmed(false);
  host.onChange(update);
  update();
  return { armed: () => armed };
}

/** The arming host of this document's window, one button, and the hint shown while it waits. */
export function documentArmingHost(button: HTMLButtonElement, hint: HTMLElement): ArmingHost {
  return {
    isSteady: () => document.visibilityState === 'visible' && document.hasFocus(),
    onChange: (changed) => {
      window.addEventListener('focus', changed);
      window.addEventListener('blur', changed);
      document.addEventListener('visibilitychange', changed);
    },
    setArmed: (armed) => {
      button.disabled = !armed;
      button.dataset.armed = String(armed);
      hint.classList.toggle('invisible', armed);
    },
  };
}
