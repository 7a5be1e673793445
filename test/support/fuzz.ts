/**
 * Cases per fuzz property: the reliability bar is at least 10,000 for every input that crosses a
 * trust boundary. FUZZ_RUNS raises it for a longer local hunt.
 */
export const FUZZ_RUNS = Math.max(10_000, Number(process.env.FUZZ_RUNS ?? 0));
