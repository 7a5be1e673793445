/**
 * The 2024 page library's HTTP API by name, with no schema library: the page world maps a URL to
 * one of these names, the content script and the background check it, the background answers it.
 */

/** The API calls the library makes, by their path under `/api/`. */
export const HTTP_API_CALLS = ['GetVersion', 'GetRandom', 'GetBasic', 'SignHC', 'EncryptPwd', 'GetEncryptBasic'] as const;
export type HttpApiCall = (typeof HTTP_API_CALLS)[number];

/** The status images the library draws on a canvas to read a JSON text from their pixels. */
export const STATUS_IMAGES = ['GetStatus.bmp', 'GetCardStatus.bmp'] as const;
export type StatusImage = (typeof STATUS_IMAGES)[number];

/** Everything a page may ask the background to answer for the library. */
export const HTTP_API_NAMES = [...HTTP_API_CALLS, ...STATUS_IMAGES] as const;
export type HttpApiName = (typeof HTTP_API_NAMES)[number];

/** Request bodies are one small JSON object; a larger one is not the library's. */
export const MAX_HTTP_BODY_LENGTH = 4096;

/** An answer is a short JSON text, or a status image as a data: URL (~4.2k characters at most). */
export const MAX_HTTP_ANSWER_LENGTH = 8 * 1024;
