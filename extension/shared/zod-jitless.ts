/**
 * Must be the first import of every entry point. Zod compiles fast parsers with `new Function`
 * and probes for it when a schema is created; in pages with a strict CSP (and in the extension's
 * own MV3 CSP) that probe files a CSP violation report even though zod catches it. Jitless
 * parsing avoids eval entirely.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
