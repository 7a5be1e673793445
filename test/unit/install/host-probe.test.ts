import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * An executable fake host: a Node script run through a sh launcher, as the real one is. The real
 * launchers `exec` Node; `exec: false` keeps sh as the parent, as a careless launcher (or cmd.exe) does.
 */
function fakeHost(name: string, body: string, options: { exec?: boolean } = {}): string {
  const script = join(dir, `${name}.cjs`);
  writeFileSync(script, body);
  const launcher = join(dir, name);
  writeFileSync(launcher, `#!/bin/sh\n${options.exec === false ? '' : 'exec '}'${process.execPath}' '${script}' "$@"\n`);
  chmodSync(launcher, 0o755);
  return launcher;
}

/** Node code that records the host's pid in `<dir>/<name>.pid` (written synchronously, before anything else). */
const recordPid = (name: string): string => `require('node:fs').writeFileSync(${JSON.stringify(join(dir, `${name}.pid`))}, String(process.pid));`;

/** True while the process recorded under `name` exists and is not a zombie. */
function stillRunning(name: string): boolean {
  const pid = readFileSync(join(dir, `${name}.pid`), 'utf8');
  const statPath = `/proc/${pid}/stat`;
  if (!existsSync(statPath)) return false;
  // The state follows the parenthesised command name; Z is a zombie (dead, waiting to be reaped).
  const state = /\) (\S)/u.exec(readFileSync(statPath, 'utf8'))?.[1];
  return state !== undefined && state !== 'Z';
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
    // sh stays the parent, as with cmd.exe: killing only the launcher would leave Node running.
    const host = fakeHost('silent', `${recordPid('silent')} setInterval(() => {}, 1000);`, { exec: false });
    expect(await probe(host, 300)).toMatchObject({ ok: false, reason: 'no answer within 300 ms' });
    expect(stillRunning('silent')).toBe(false);
  });

  it.each([
    ['a launcher that execs Node', true],
    ['a launcher that keeps sh as the parent', false],
  ])('leaves no host running when the host ignores its closed stdin, through %s', async (_what, exec) => {
    const name = exec ? 'stubborn-exec' : 'stubborn-child';
    const host = fakeHost(
      name,
      `${recordPid(name)} process.on('SIGTERM', () => {}); ${writeFrame('{"event":"hello","host":"9.9.9","protocol":1}')} setInterval(() => {}, 1000);`,
      { exec },
    );
    expect(await probe(host)).toMatchObject({ ok: true });
    expect(stillRunning(name)).toBe(false);
  });

  it('reports a launcher that cannot be started', async () => {
    const result = await probe(join(dir, 'missing'));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/could not be started: .*ENOENT/);
  });
});
