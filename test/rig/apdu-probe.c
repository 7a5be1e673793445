/*
 * apdu-probe READER ROUNDS HEX...: connects to READER through pcscd (shared mode), sends the
 * APDUs once and prints {"responses":[...]}; then repeats the whole sequence ROUNDS times and
 * adds the per-round latencies in microseconds. Lets rig tests drive a card through the real
 * PC/SC stack without the Node binding (only native-host/pcsc/ may load that).
 * APDU_PROBE_GAP_US: idle time between rounds (untimed), to pace rounds as a page loop does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <winscard.h>

static int parse_hex(const char *hex, BYTE *out, DWORD max) {
  DWORD n = 0;
  for (const char *p = hex; *p;) {
    if (*p == ' ') { p++; continue; }
    unsigned int byte;
    if (n >= max || sscanf(p, "%2x", &byte) != 1 || !p[1]) return -1;
    out[n++] = (BYTE)byte;
    p += 2;
  }
  return (int)n;
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int fail(const char *what, LONG rv) {
  printf("{\"error\":\"%s\",\"code\":\"0x%08lX\",\"message\":\"%s\"}\n", what, (unsigned long)rv, pcsc_stringify_error(rv));
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: apdu-probe READER ROUNDS HEX...\n");
    return 2;
  }
  int rounds = atoi(argv[2]);
  const char *gap_env = getenv("APDU_PROBE_GAP_US");
  long gap_us = gap_env == NULL ? 0 : atol(gap_env);
  struct timespec gap = { gap_us / 1000000, (gap_us % 1000000) * 1000 };
  SCARDCONTEXT ctx;
  SCARDHANDLE card;
  DWORD protocol;
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
  if (rv != SCARD_S_SUCCESS) return fail("SCardEstablishContext", rv);
  rv = SCardConnect(ctx, argv[1], SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
  if (rv != SCARD_S_SUCCESS) return fail("SCardConnect", rv);
  const SCARD_IO_REQUEST *pci = protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  BYTE command[261], response[258];
  printf("{\"protocol\":%lu,\"responses\":[", (unsigned long)protocol);
  for (int round = 0; round <= rounds; round++) {
    double start = now_us();
    for (int i = 3; i < argc; i++) {
      int length = parse_hex(argv[i], command, sizeof command);
      if (length < 0) return fail("bad hex", 0);
      DWORD received = sizeof response;
      rv = SCardTransmit(card, pci, command, (DWORD)length, NULL, response, &received);
      if (rv != SCARD_S_SUCCESS) { printf("]}\n"); return fail("SCardTransmit", rv); }
      if (round == 0) {
        printf("%s\"", i > 3 ? "," : "");
        for (DWORD j = 0; j < received; j++) printf("%02X", response[j]);
        printf("\"");
      }
    }
    double elapsed = now_us() - start;
    if (round == 0) printf("],\"roundsUs\":[");
    else printf("%s%.1f", round > 1 ? "," : "", elapsed);
    if (gap_us > 0) nanosleep(&gap, NULL);
  }
  printf("]}\n");
  SCardDisconnect(card, SCARD_LEAVE_CARD);
  SCardReleaseContext(ctx);
  return 0;
}
