/**
 * A throwaway self-signed certificate for the replica sites, made with openssl into a temp dir at
 * start-up (nothing is checked in; the browsers are told to accept it).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM key and certificate. */
export interface SiteCertificate {
  readonly key: string;
  readonly cert: string;
}

/** Creates a key and a certificate valid for `hosts` (subjectAltName DNS entries). */
export async function createSiteCertificate(hosts: readonly string[]): Promise<SiteCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'nhi-site-cert-'));
  try {
    const config = [
      '[req]',
      'distinguished_name = dn',
      'x509_extensions = ext',
      'prompt = no',
      '[dn]',
      'CN = NHI Card Bridge test site',
      '[ext]',
      `subjectAltName = ${hosts.map((host) => `DNS:${host}`).join(',')}`,
      'basicConstraints = critical,CA:FALSE',
      'extendedKeyUsage = serverAuth',
      '',
    ].join('\n');
    await writeFile(join(dir, 'openssl.cnf'), config);
    await run(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-config', join(dir, 'openssl.cnf')],
      { timeout: 15_000 },
    );
    const [key, cert] = await Promise.all([readFile(join(dir, 'key.pem'), 'utf8'), readFile(join(dir, 'cert.pem'), 'utf8')]);
    return { key, cert };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
