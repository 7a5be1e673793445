/**
 * Which PC/SC backend the host uses: the `pcsclite` addon, or the platform's PC/SC library through
 * koffi (`ffi`). NHI_CARD_PCSC_BACKEND chooses; the default is `ffi` on Windows (no prebuilt
 * pcsclite there) and `pcsclite` elsewhere. Neither native package loads before it is used.
 */
import { NhiCardError } from '../protocol/nhi-card-error';
import { ErrorCode } from '../protocol/error-codes';
import { createFfiBinding } from './ffi/ffi-binding';
import { nativeBinding, type PcscBinding } from './pcsclite-binding';

export const PCSC_BACKEND_ENV = 'NHI_CARD_PCSC_BACKEND';
export const PCSC_BACKENDS = ['pcsclite', 'ffi'] as const;
export type PcscBackend = (typeof PCSC_BACKENDS)[number];

/** The backend named by the environment, or the platform's default; throws for an unknown name. */
export function chooseBackend(env: Readonly<Record<string, string | undefined>>, platform: string): PcscBackend {
  const named = env[PCSC_BACKEND_ENV]?.trim().toLowerCase();
  if (named === undefined || named === '') return platform === 'win32' ? 'ffi' : 'pcsclite';
  if ((PCSC_BACKENDS as readonly string[]).includes(named)) return named as PcscBackend;
  throw new Error(`${PCSC_BACKEND_ENV} must be one of ${PCSC_BACKENDS.join(', ')}`);
}

/** The binding for `backend`. */
export function bindingFor(backend: PcscBackend): PcscBinding {
  return backend === 'ffi' ? createFfiBinding() : nativeBinding;
}

/**
 * The binding this process should use (environment, then platform default). A bad
 * NHI_CARD_PCSC_BACKEND fails every PC/SC use with a message naming the choices, not a crash.
 */
export function defaultBinding(): PcscBinding {
  try {
    return bindingFor(chooseBackend(process.env, process.platform));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      open() {
        throw new NhiCardError(ErrorCode.PcscUnavailable, message);
      },
    };
  }
}
