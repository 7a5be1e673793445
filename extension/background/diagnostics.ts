/**
 * The diagnostics the options page shows: each step of the chain from browser to card, checked in
 * order, each failure with the fix in plain words (a _locales key). Later steps are skipped once
 * one fails, since they cannot pass.
 */
import { ErrorCode } from '../../native-host/protocol/error-codes';
import { ExtensionErrorCode } from '../../native-host/protocol/error-codes';
import { asNhiCardError } from '../../native-host/protocol/nhi-card-error';
import { maskName } from '../shared/mask-name';
import type { CheckId, DiagnosticCheck } from '../shared/ui-protocol';
import type { PageServices } from './page-router';

const ORDER: readonly CheckId[] = ['host-registered', 'host-reachable', 'pcsc', 'readers', 'card', 'test-read'];

function fixForHostError(code: string): { id: CheckId; fix: string } {
  if (code === ExtensionErrorCode.HostNotFound) return { id: 'host-registered', fix: 'fixInstallHost' };
  if (code === ExtensionErrorCode.HostIncompatible) return { id: 'host-reachable', fix: 'fixUpdateHost' };
  return { id: 'host-reachable', fix: 'fixHostCrashed' };
}

function fixForCardError(code: string): string {
  if (code === ErrorCode.NotNhiCard) return 'fixNotNhiCard';
  if (code === ErrorCode.ReaderBusy) return 'fixReaderBusy';
  if (code === ErrorCode.PcscUnavailable) return 'fixStartPcscd';
  return 'fixReinsertCard';
}

/** Runs every check against the host; never throws. */
export async function runDiagnostics(host: PageServices['host']): Promise<DiagnosticCheck[]> {
  const done: DiagnosticCheck[] = [];
  const finish = (failed?: DiagnosticCheck): DiagnosticCheck[] => {
    if (failed !== undefined) done.push(failed);
    for (const id of ORDER.slice(done.length)) done.push({ id, status: 'skip' });
    return done;
  };

  try {
    const hello = await host.ready();
    done.push({ id: 'host-registered', status: 'pass' });
    done.push({ id: 'host-reachable', status: 'pass', detail: `${hello.host} (protocol ${hello.protocol})` });
  } catch (error) {
    const code = asNhiCardError(error).code;
    const { id, fix } = fixForHostError(code);
    if (id === 'host-reachable') done.push({ id: 'host-registered', status: 'pass' });
    return finish({ id, status: 'fail', detail: code, fix });
  }

  let readers: { name: string; cardPresent: boolean }[];
  try {
    readers = (await host.request('readers', {})).readers;
    done.push({ id: 'pcsc', status: 'pass' });
  } catch (error) {
    const code = asNhiCardError(error).code;
    if (code === ErrorCode.NoReader) {
      done.push({ id: 'pcsc', status: 'pass' });
      return finish({ id: 'readers', status: 'fail', detail: code, fix: 'fixConnectReader' });
    }
    return finish({ id: 'pcsc', status: 'fail', detail: code, fix: 'fixStartPcscd' });
  }
  if (readers.length === 0) return finish({ id: 'readers', status: 'fail', fix: 'fixConnectReader' });
  done.push({ id: 'readers', status: 'pass', detail: readers.map((reader) => reader.name).join(', ') });

  if (!readers.some((reader) => reader.cardPresent)) return finish({ id: 'card', status: 'fail', fix: 'fixInsertCard' });
  done.push({ id: 'card', status: 'pass' });

  try {
    const identity = await host.request('readCard', {});
    done.push({ id: 'test-read', status: 'pass', detail: maskName(identity.name) });
  } catch (error) {
    const code = asNhiCardError(error).code;
    return finish({ id: 'test-read', status: 'fail', detail: code, fix: fixForCardError(code) });
  }
  return done;
}
