/**
 * The replica government sites for end-to-end tests and the demo: one node:https server (with a
 * plain-HTTP fallback on the same ports, told apart by the first byte) answering by Host name for
 * cloudicweb.nhi.gov.tw, ecpa.dgpa.gov.tw, myhealthbank.nhi.gov.tw, evil.example.com and
 * spoofer.example.test. Every page and back end here is our own, written from the public
 * description of the flows.
 *
 * Test-only endpoints, on every host: GET /__test/records (mails sent, logins granted, refusals),
 * POST /__test/reset.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { z } from 'zod';
import { encryptReplyMatches } from './encrypt-check';
import { cardProofSchema, checkCardProof, type SignatureVerifier } from './card-proof';
import { maskEmail } from './site-accounts';
import { loadPageAssets, type PageAssets } from './page-assets';
import { createSiteCertificate } from './site-cert';
import { ECPA_HOST, EVIL_HOST, MODERN_HOST, NHI_HOST, SITE_HOSTS, SPOOFER_HOST } from './site-hosts';
import { SiteRecords, type SiteRecordsSnapshot } from './site-records';

/** Where to listen: each address serves HTTPS and plain HTTP alike. Port 0 picks a free one. */
export interface SiteListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface SiteOptions {
  /** Checks H_Sign signatures (the SAM simulator's verifySignature). */
  readonly verifySignature: SignatureVerifier;
  /** Default: one free port on 127.0.0.1. */
  readonly listen?: readonly SiteListenAddress[];
}

export interface Site {
  /** The ports actually bound, in the order of `listen`. */
  readonly ports: readonly number[];
  /** The certificate (PEM) the site presents, for clients that want to pin it. */
  readonly certificate: string;
  /** Reads the records through the test-only endpoint, as any outside client would. */
  records(): Promise<SiteRecordsSnapshot>;
  /** Clears the records through the test-only endpoint. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const TLS_HANDSHAKE_RECORD = 0x16;

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

interface RouteContext {
  readonly assets: PageAssets;
  readonly records: SiteRecords;
  readonly verifySignature: SignatureVerifier;
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json', JSON.stringify(value));
}

function page(context: RouteContext, file: string): Handler {
  return (_request, response) => {
    const html = context.assets.pages.get(file);
    if (html === undefined) send(response, 500, 'text/plain', `missing page ${file}`);
    else send(response, 200, 'text/html', html);
  };
}

function redirect(location: string): Handler {
  return (_request, response) => {
    response.writeHead(302, { location });
    response.end();
  };
}

function parseJson<T>(schema: z.ZodType<T>, body: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** 忘記註冊密碼: the card proves who is asking, the reset mail goes to the registered address. */
function forgotPasswordVerify(context: RouteContext): Handler {
  return (_request, response, body) => {
    const route = 'forgot-password';
    const proof = parseJson(cardProofSchema, body);
    if (proof === undefined) {
      context.records.refuse(route, 'malformed request');
      sendJson(response, 400, { error: 'malformed request' });
      return;
    }
    const verdict = checkCardProof(proof, context.verifySignature, context.records);
    if (!verdict.ok) {
      context.records.refuse(route, verdict.reason);
      sendJson(response, verdict.status, { error: verdict.reason });
      return;
    }
    context.records.sendMail({ to: verdict.account.email, kind: 'password-reset', at: Date.now() });
    sendJson(response, 200, { name: verdict.name, maskedEmail: maskEmail(verdict.account.email) });
  };
}

const ecpaLoginSchema = cardProofSchema.extend({ encrypted: z.string().max(256) });

/** eCPA 健保卡登入: the registration password (through EnCrypt) and the card's signature. */
function ecpaLogin(context: RouteContext): Handler {
  return (_request, response, body) => {
    const route = 'ecpa-login';
    const login = parseJson(ecpaLoginSchema, body);
    if (login === undefined) {
      context.records.refuse(route, 'malformed request');
      sendJson(response, 400, { error: 'malformed request' });
      return;
    }
    const verdict = checkCardProof(login, context.verifySignature, context.records);
    if (!verdict.ok) {
      context.records.refuse(route, verdict.reason);
      sendJson(response, verdict.status, { error: verdict.reason });
      return;
    }
    if (!encryptReplyMatches(login.encrypted, verdict.account.cardId, verdict.account.registrationPassword, new Date())) {
      context.records.refuse(route, 'wrong password');
      sendJson(response, 401, { error: 'wrong password' });
      return;
    }
    context.records.grantLogin({ site: 'ecpa', idNumber: verdict.account.idNumber, at: Date.now() });
    sendJson(response, 200, { name: verdict.name });
  };
}

/** The HTTPS routes, by host, then by "METHOD path". */
function httpsRoutes(context: RouteContext): ReadonlyMap<string, ReadonlyMap<string, Handler>> {
  return new Map([
    [
      NHI_HOST,
      new Map([
        ['GET /', redirect('/services/forgot-password')],
        ['GET /services/forgot-password', page(context, 'forgot-password.html')],
        ['POST /services/forgot-password/verify', forgotPasswordVerify(context)],
        ['GET /probe', page(context, 'probe.html')],
        ['GET /sandboxed-frame', page(context, 'sandboxed-frame.html')],
        ['GET /blank', page(context, 'blank.html')],
        ['GET /services/forgot-password-http', page(context, 'http-library.html')],
        ['GET /first-use', page(context, 'first-use.html')],
        ['GET /inject-cost', page(context, 'inject-cost.html')],
        ['GET /inject-cost-frame', page(context, 'inject-cost-frame.html')],
      ]),
    ],
    [
      ECPA_HOST,
      new Map([
        ['GET /', redirect('/login')],
        ['GET /login', page(context, 'ecpa-login.html')],
        ['POST /login/card', ecpaLogin(context)],
      ]),
    ],
    [MODERN_HOST, new Map([['GET /', page(context, 'modern.html')]])],
    [
      EVIL_HOST,
      new Map([
        ['GET /', page(context, 'probe.html')],
        ['GET /http-library', page(context, 'http-library.html')],
        ['GET /frames-trusted-page', page(context, 'evil-framing-trusted.html')],
        // The same frames where the extension injects nothing: the baseline of bench/injected-scripts.ts.
        ['GET /inject-cost', page(context, 'inject-cost.html')],
        ['GET /inject-cost-frame', page(context, 'inject-cost-frame.html')],
      ]),
    ],
    [SPOOFER_HOST, new Map([['GET /spoofing-frame', page(context, 'spoofing-frame.html')]])],
  ]);
}

/** Plain HTTP serves only the probe: an insecure copy of a trusted page trying to read the card. */
function httpRoutes(context: RouteContext): ReadonlyMap<string, ReadonlyMap<string, Handler>> {
  return new Map([[NHI_HOST, new Map([['GET /probe', page(context, 'probe.html')]])]]);
}

function hostName(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  return host.replace(/:\d+$/, '').toLowerCase();
}

function dispatcher(context: RouteContext, routes: ReadonlyMap<string, ReadonlyMap<string, Handler>>) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'https://site.invalid');
    const method = request.method ?? 'GET';
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        send(response, 413, 'text/plain', 'too large');
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (url.pathname.startsWith('/assets/') && method === 'GET') {
        const name = url.pathname.slice('/assets/'.length);
        const script = context.assets.scripts.get(name);
        const style = context.assets.styles.get(name);
        if (script !== undefined) send(response, 200, 'text/javascript', script);
        else if (style !== undefined) send(response, 200, 'text/css', style);
        else send(response, 404, 'text/plain', 'not found');
        return;
      }
      if (url.pathname === '/__test/records' && method === 'GET') {
        sendJson(response, 200, context.records.snapshot());
        return;
      }
      if (url.pathname === '/__test/reset' && method === 'POST') {
        context.records.reset();
        sendJson(response, 200, {});
        return;
      }
      const handler = routes.get(hostName(request))?.get(`${method} ${url.pathname}`);
      if (handler === undefined) send(response, 404, 'text/plain', 'not found');
      else handler(request, response, body);
    });
  };
}

async function listen(server: NetServer, address: SiteListenAddress): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const bound = server.address();
      if (bound === null || typeof bound === 'string') reject(new Error('no TCP address'));
      else resolve(bound.port);
    });
  });
}

/** Starts the site; rejects (with the address) when a port cannot be bound. */
export async function startSite(options: SiteOptions): Promise<Site> {
  const [assets, certificate] = await Promise.all([loadPageAssets(), createSiteCertificate(SITE_HOSTS)]);
  const records = new SiteRecords();
  const context: RouteContext = { assets, records, verifySignature: options.verifySignature };
  const https = createHttpsServer({ key: certificate.key, cert: certificate.cert }, dispatcher(context, httpsRoutes(context)));
  const http = createHttpServer(dispatcher(context, httpRoutes(context)));
  const sockets = new Set<Socket>();

  // One port for both schemes: a TLS connection starts with a handshake record, HTTP with a method.
  const front = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.destroy();
        return;
      }
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE_RECORD ? https : http).emit('connection', socket);
    });
  };

  const servers: NetServer[] = [];
  const ports: number[] = [];
  try {
    for (const address of options.listen ?? [{ host: '127.0.0.1', port: 0 }]) {
      const server = createNetServer({ pauseOnConnect: false }, front);
      servers.push(server);
      try {
        ports.push(await listen(server, address));
      } catch (error) {
        throw new Error(`the test site cannot listen on ${address.host}:${address.port}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
  } catch (error) {
    await Promise.all(servers.map((server) => closeServer(server)));
    throw error;
  }

  const firstPort = ports[0] ?? 0;
  const call = (method: string, path: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const request = httpsRequest(
        { host: '127.0.0.1', port: firstPort, method, path, servername: NHI_HOST, headers: { host: NHI_HOST }, ca: certificate.cert, timeout: 5000 },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.on('error', reject);
      request.end();
    });

  return {
    ports,
    certificate: certificate.cert,
    records: async () => JSON.parse(await call('GET', '/__test/records')) as SiteRecordsSnapshot,
    reset: async () => {
      await call('POST', '/__test/reset');
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => closeServer(server)));
    },
  };
}

function closeServer(server: NetServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => {
      resolve();
    });
  });
}
