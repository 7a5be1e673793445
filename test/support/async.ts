import type { ReaderEvent, ReaderService } from '../../native-host/pcsc/reader-service';

/** The error a promise rejects with; fails the test if it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** The next reader event matching `accept`, or a rejection after `timeoutMs`. */
export function nextEvent(readers: ReaderService, accept: (event: ReaderEvent) => boolean, timeoutMs = 8000): Promise<ReaderEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching reader event within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = readers.onEvent((event) => {
      if (!accept(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}
