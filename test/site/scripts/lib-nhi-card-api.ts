/**
 * The part of `window.nhiCard` (docs/page-api.md) the replica pages use, typed from the page's
 * side: a page cannot import the extension, it only finds the object on window.
 */

export interface NhiCardIdentity {
  readonly cardNumber: string;
  readonly name: string;
  readonly idNumber: string;
  readonly birthDate: string;
  readonly sex: string;
  readonly issueDate: string;
  readonly reader: string;
}

export interface NhiCardStatus {
  readonly host: { readonly connected: boolean; readonly version?: string; readonly errorCode?: string };
  readonly readers: readonly { readonly name: string; readonly cardPresent: boolean }[];
  readonly cardPresent: boolean;
}

export type NhiCardEventType = 'card-inserted' | 'card-removed' | 'reader-added' | 'reader-removed';

export interface NhiCardApi {
  readonly version: number;
  readCard(): Promise<NhiCardIdentity>;
  status(): Promise<NhiCardStatus>;
  on(type: NhiCardEventType, callback: (detail: { readonly reader: string }) => void): () => void;
}

/** `window.nhiCard` when the extension serves this page. */
export function findNhiCard(): NhiCardApi | undefined {
  return (window as unknown as { nhiCard?: NhiCardApi }).nhiCard;
}

/** The stable `code` of a rejection (docs/page-api.md), or PAGE for anything else. */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return 'PAGE';
}

/** The message of a rejection. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
