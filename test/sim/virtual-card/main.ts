/**
 * Keeps a virtual NHI card inserted into a vpcd reader until killed, re-inserting it whenever
 * the connection drops (pcscd restarted). Used by scripts/start for manual testing.
 *
 *   npx tsx test/sim/virtual-card/main.ts --port 35963 [--profile demo|path.json] [--t0] [--not-nhi]
 *        [--atr "3B ..."] [--delay-ms N] [--host 127.0.0.1]
 */
import { parseArgs } from 'node:util';
import { FIXTURE_PROFILE_NAMES, fixtureProfilePath } from '../../fixtures/profiles.js';
import { fromHex } from './command-apdu.js';
import { loadCardProfile } from './profile.js';
import { VirtualCard, type VirtualCardOptions } from './virtual-card.js';

const RETRY_MS = 250;

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: main.ts --port N [--profile NAME|FILE] [--t0] [--not-nhi] [--atr HEX] [--delay-ms N] [--host H]\n`);
  process.exit(2);
}

function profilePath(value: string): string {
  const fixture = FIXTURE_PROFILE_NAMES.find((name) => name === value);
  return fixture === undefined ? value : fixtureProfilePath(fixture);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      profile: { type: 'string', default: 'demo' },
      t0: { type: 'boolean', default: false },
      'not-nhi': { type: 'boolean', default: false },
      atr: { type: 'string' },
      'delay-ms': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) usage('--port must be a TCP port');
  const options: VirtualCardOptions = {
    profile: await loadCardProfile(profilePath(values.profile)),
    t0: values.t0,
    notNhi: values['not-nhi'],
    ...(values.atr === undefined ? {} : { atr: fromHex(values.atr) }),
    ...(values['delay-ms'] === undefined ? {} : { delayMs: Number(values['delay-ms']) }),
  };

  let card: VirtualCard | undefined;
  let stopping = false;
  const isStopping = (): boolean => stopping;
  const stop = (): void => {
    stopping = true;
    void (card?.remove() ?? Promise.resolve()).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let waitingLogged = false;
  while (!isStopping()) {
    try {
      card = await VirtualCard.insert({ host: values.host, port }, options);
      // The profile holds personal-looking data: log only where the card went.
      process.stderr.write(`virtual card inserted at ${values.host}:${port}\n`);
      waitingLogged = false;
      await card.closed;
      if (!isStopping()) process.stderr.write('virtual card connection closed; re-inserting\n');
    } catch (error) {
      if (!waitingLogged) {
        process.stderr.write(`waiting for vpcd: ${error instanceof Error ? error.message : String(error)}\n`);
        waitingLogged = true;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

await main();
