/*
 * wait-empty READER TIMEOUT_MS: waits until pcscd reports READER without a card, using the
 * blocking SCardGetStatusChange (no polling of our own). Exit 0 when empty, 1 on timeout or a
 * PC/SC error (printed on stderr). The rig uses it so a card that removed itself is known gone to
 * pcscd before the next card goes into the same slot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <winscard.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: wait-empty READER TIMEOUT_MS\n");
    return 2;
  }
  SCARDCONTEXT context;
  LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &context);
  if (rv != SCARD_S_SUCCESS) {
    fprintf(stderr, "SCardEstablishContext: %s\n", pcsc_stringify_error(rv));
    return 1;
  }
  SCARD_READERSTATE state = { .szReader = argv[1], .dwCurrentState = SCARD_STATE_UNAWARE };
  DWORD timeout = (DWORD)strtoul(argv[2], NULL, 10);
  int result = 1;
  for (;;) {
    rv = SCardGetStatusChange(context, timeout, &state, 1);
    if (rv != SCARD_S_SUCCESS) {
      fprintf(stderr, "SCardGetStatusChange: %s\n", pcsc_stringify_error(rv));
      break;
    }
    if (state.dwEventState & SCARD_STATE_EMPTY) {
      result = 0;
      break;
    }
    state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
  }
  SCardReleaseContext(context);
  return result;
}
