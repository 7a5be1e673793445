/**
 * What the extension's document_start scripts cost each frame (bench/injected-scripts.ts): this
 * page loads `?frames=N` frames of its own origin one after another (so no frame's scripts run
 * while another is timed), and each frame reports, on its own clock, when its first script ran
 * and when its response started to arrive. On a trusted origin the extension's scripts run
 * between the two; on an untrusted one nothing does, which gives the baseline. The figures land
 * in #inject-cost's data-gaps (JSON, ms) for the driver. Builds instrumented with
 * performance.mark() (bench/injected-variants-run.ts) also get each frame's marks, in ms after its
 * response start, in data-marks.
 */

interface FrameTiming {
  readonly kind: 'inject-cost';
  readonly firstScriptMs: number;
  readonly responseStartMs: number;
  readonly marks?: [string, number][];
}

const FRAME_WAIT_MS = 10_000;

function isFrameTiming(data: unknown): data is FrameTiming {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'inject-cost';
}

function loadFrame(index: number): Promise<FrameTiming> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    const timer = setTimeout(() => {
      reject(new Error(`frame ${String(index)} did not report`));
    }, FRAME_WAIT_MS);
    const listener = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow || !isFrameTiming(event.data)) return;
      clearTimeout(timer);
      window.removeEventListener('message', listener);
      resolve(event.data);
    };
    window.addEventListener('message', listener);
    frame.src = `/inject-cost-frame?frame=${String(index)}`;
    document.body.append(frame);
  });
}

async function measure(): Promise<void> {
  const element = document.getElementById('inject-cost');
  if (element === null) return;
  const frames = Number(new URLSearchParams(location.search).get('frames') ?? '10');
  const gaps: number[] = [];
  const marks: Record<string, number>[] = [];
  try {
    for (let index = 0; index < frames; index++) {
      const timing = await loadFrame(index);
      gaps.push(timing.firstScriptMs - timing.responseStartMs);
      const relative: Record<string, number> = { firstScript: timing.firstScriptMs - timing.responseStartMs };
      for (const [name, at] of timing.marks ?? []) relative[name] = at - timing.responseStartMs;
      marks.push(relative);
    }
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const top = (window as unknown as { firstScriptMs: number }).firstScriptMs - navigation.responseStart;
    element.dataset.top = String(top);
    element.dataset.gaps = JSON.stringify(gaps);
    element.dataset.marks = JSON.stringify(marks);
    element.dataset.outcome = 'done';
  } catch (error) {
    element.dataset.outcome = error instanceof Error ? error.message : 'failed';
  }
}

window.addEventListener('load', () => {
  void measure();
});
