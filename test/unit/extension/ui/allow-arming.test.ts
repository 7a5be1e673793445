import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ARMING_DELAY_MS, armAfterSteadyFocus, type ArmingHost } from '../../../../extension/ui/allow-arming';

/** A window whose focus and visibility the test sets, recording what the button shows. */
function fakeWindow(steady: boolean) {
  let changed: () => void = () => undefined;
  const shown: boolean[] = [];
  const state = { steady };
  const host: ArmingHost = {
    isSteady: () => state.steady,
    onChange: (listener) => {
      changed = listener;
    },
    setArmed: (armed) => shown.push(armed),
  };
  return {
    host,
    shown,
    set(steadyNow: boolean) {
      state.steady = steadyNow;
      changed();
    },
  };
}

describe('Allow arming', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts inert and arms only after the window has been steady for the delay', () => {
    const window = fakeWindow(true);
    const arming = armAfterSteadyFocus(window.host);
    expect(arming.armed()).toBe(false);
    expect(window.shown).toEqual([false]);

    vi.advanceTimersByTime(ARMING_DELAY_MS - 1);
    expect(arming.armed()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(arming.armed()).toBe(true);
    expect(window.shown).toEqual([false, true]);
  });

  it('does not arm while the window is hidden or unfocused', () => {
    const window = fakeWindow(false);
    const arming = armAfterSteadyFocus(window.host);
    vi.advanceTimersByTime(ARMING_DELAY_MS * 5);
    expect(arming.armed()).toBe(false);

    window.set(true);
    vi.advanceTimersByTime(ARMING_DELAY_MS);
    expect(arming.armed()).toBe(true);
  });

  it('re-arms from the start after a blur', () => {
    const window = fakeWindow(true);
    const arming = armAfterSteadyFocus(window.host);
    vi.advanceTimersByTime(ARMING_DELAY_MS);
    expect(arming.armed()).toBe(true);

    window.set(false);
    expect(arming.armed()).toBe(false);
    window.set(true);
    vi.advanceTimersByTime(ARMING_DELAY_MS - 1);
    expect(arming.armed()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(arming.armed()).toBe(true);
    expect(window.shown).toEqual([false, true, false, true]);
  });

  it('a blur during the wait restarts the wait', () => {
    const window = fakeWindow(true);
    const arming = armAfterSteadyFocus(window.host);
    vi.advanceTimersByTime(ARMING_DELAY_MS - 100);
    window.set(false);
    window.set(true);
    vi.advanceTimersByTime(ARMING_DELAY_MS - 1);
    expect(arming.armed()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(arming.armed()).toBe(true);
  });

  it('stays inert when focus left without an event', () => {
    const window = fakeWindow(true);
    const arming = armAfterSteadyFocus(window.host);
    window.host.isSteady = () => false;
    vi.advanceTimersByTime(ARMING_DELAY_MS);
    expect(arming.armed()).toBe(false);
  });
});
