import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserArgs, probeHost } from '../../../native-host/install/host-probe';
import { CHROME_EXTENSION_ID, GECKO_EXTENSION_ID } from '../../../native-host/protocol/extension-ids';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nhi-probe-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** An executable fake host: a Node script run through a sh launcher, as the real one is. */
function fakeHost(name: string, body: string): string {
  const script = join(dir, `${name}.cjs`);
  writeFileSync(script, body);
  const launcher = join(dir, name);
  writeFileSync(launcher, `#!/bin/sh\nexec '${process.execPath}' '${script}' "$@"\n`);
  chmodSync(launcher, 0o755);
  return launcher;
}

const writeFrame = (value: string): string =>
  `const body = Buffer.from(${JSON.stringify(value)}); const head = Buffer.alloc(4); head.writeUInt32LE(body.length); process.stdout.write(Buffer.concat([head, body]));`;

const probe = (launcherPath: string, timeoutMs = 5000) =>
  probeHost({ launcherPath, family: 'chromium', manifestPath: '/m.json', env: process.env, timeoutMs });

describe('probeHost', () => {
  it('passes the arguments each browser family uses', () => {
    expect(browserArgs('chromium', '/m.json')).toEqual([`chrome-extension://${CHROME_EXTENSION_ID}/`]);
    expect(browserArgs('firefox', '/m.json')).toEqual(['/m.json', GECKO_EXTENSION_ID]);
  });

  it('accepts a host whose first frame is hello, started with the browser arguments', async () => {
    const host = fakeHost(
      'hello',
      `if (process.argv[2] !== 'chrome-extension://${CHROME_EXTENSION_ID}/') process.exit(9);
       ${writeFrame('{"event":"hello","host":"9.9.9","protocol":1}')}
       process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`,
    );
    expect(await probe(host)).toMatchObject({ ok: true, host: '9.9.9', protocol: 1 });
  });

  it('reports a host that dies, with its last stderr line', async () => {
    const host = fakeHost('dies', `process.stderr.write('nhi-card: cannot load pcsclite.node\\n'); process.exit(1);`);
    const result = await probe(host);
    expect(result).toMatchObject({ ok: false, reason: 'it exited (code 1) before answering: nhi-card: cannot load pcsclite.node' });
  });

  it('reports a host that says something else first', async () => {
    const host = fakeHost('refuses', `${writeFrame('{"id":null,"error":{"code":"FORBIDDEN_CALLER","message":"no"}}')} setTimeout(() => {}, 200);`);
    expect(await probe(host)).toMatchObject({ ok: false, reason: 'its first message was not hello (FORBIDDEN_CALLER)' });
  });

  it('gives up on a silent host after the timeout and kills it', async () => {
    const host = fakeHost('silent', 'setInterval(() => {}, 1000);');
    expect(await probe(host, 300)).toMatchObject({ ok: false, reason: 'no answer within 300 ms' });
  });

  it('reports a launcher that cannot be started', async () => {
    const result = await probe(join(dir, 'missing'));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/could not be started: .*ENOENT/);
  });
});
