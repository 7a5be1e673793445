import { describe, expect, it } from 'vitest';
import { AnswerMemo } from '../../../extension/background/answer-memo';

/** A feed whose liveness the test sets and whose card changes it fires. */
function feed(live = true) {
  const watchers = new Set<() => void>();
  const state = { live };
  return {
    state,
    isLive: () => state.live,
    watchers,
    watch(changed: () => void) {
      watchers.add(changed);
      return () => watchers.delete(changed);
    },
    change() {
      for (const watcher of [...watchers]) watcher();
    },
  };
}

/** An `ask` that counts its calls and answers `answer-N`. */
function counter() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    ask: () => Promise.resolve(`answer-${++calls}`),
  };
}

describe('AnswerMemo', () => {
  it('answers again from memory while the feed is live', async () => {
    const memo = new AnswerMemo(feed());
    const host = counter();
    expect(await memo.answer('readCard', host.ask)).toBe('answer-1');
    expect(await memo.answer('readCard', host.ask)).toBe('answer-1');
    expect(await memo.answer('GetBasic', host.ask)).toBe('answer-2');
    expect(host.calls).toBe(2);
  });

  it('keeps nothing while the feed is not live, but starts watching so it becomes live', async () => {
    const source = feed(false);
    const memo = new AnswerMemo(source);
    const host = counter();
    await memo.answer('readCard', host.ask);
    await memo.answer('readCard', host.ask);
    expect(host.calls).toBe(2);
    expect(source.watchers.size).toBe(1);
  });

  it('forgets everything on a card change and stops watching until asked again', async () => {
    const source = feed();
    const memo = new AnswerMemo(source);
    const host = counter();
    await memo.answer('readCard', host.ask);
    source.change();
    expect(source.watchers.size).toBe(0);
    expect(await memo.answer('readCard', host.ask)).toBe('answer-2');
    expect(source.watchers.size).toBe(1);
  });

  it('does not keep an answer when a card change came while it was asked', async () => {
    const source = feed();
    const memo = new AnswerMemo(source);
    let calls = 0;
    const askDuringChange = () => {
      calls += 1;
      source.change();
      return Promise.resolve('stale');
    };
    await memo.answer('GetBasic', askDuringChange);
    await memo.answer('GetBasic', askDuringChange);
    expect(calls).toBe(2);
  });

  it('does not keep an answer asked before the feed became live', async () => {
    const source = feed(false);
    const memo = new AnswerMemo(source);
    const host = counter();
    await memo.answer('readCard', () => {
      source.state.live = true;
      return host.ask();
    });
    await memo.answer('readCard', host.ask);
    await memo.answer('readCard', host.ask);
    expect(host.calls).toBe(2);
  });

  it('stops watching at once when starting to watch already forgot (the host failed to start)', async () => {
    const source = feed(false);
    const memo = new AnswerMemo({
      ...source,
      watch: (changed) => {
        const stop = source.watch(changed);
        memo.forget();
        return stop;
      },
    });
    await memo.answer('readCard', counter().ask);
    expect(source.watchers.size).toBe(0);
  });

  it('does not keep what `keep` refuses, nor a failure', async () => {
    const memo = new AnswerMemo(feed());
    const host = counter();
    await memo.answer('GetBasic', host.ask, () => false);
    await expect(memo.answer('GetBasic', () => Promise.reject(new Error('no card')))).rejects.toThrow('no card');
    await memo.answer('GetBasic', host.ask);
    expect(host.calls).toBe(2);
  });
});
