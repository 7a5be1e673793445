/*
 * LD_PRELOAD shim for the test pcscd: Debian's vpcd writes the length and the APDU in two
 * send() calls, so Nagle's algorithm plus delayed ACK add ~44 ms to every APDU. Setting
 * TCP_NODELAY on every TCP socket the daemon creates or accepts removes that delay.
 *
 * With NHI_RIG_PDEATHSIG=1 the daemon also gets SIGKILL when the process that started it dies,
 * so a crashed test run cannot leave a pcscd behind.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void set_nodelay(int fd) {
  int one = 1;
  /* Fails harmlessly (ENOPROTOOPT/EOPNOTSUPP) on non-TCP sockets. */
  (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int socket(int domain, int type, int protocol) {
  static int (*real_socket)(int, int, int);
  if (!real_socket) real_socket = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
  int fd = real_socket(domain, type, protocol);
  if (fd >= 0 && (domain == AF_INET || domain == AF_INET6) && (type & 0xf) == SOCK_STREAM) set_nodelay(fd);
  return fd;
}

int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen) {
  static int (*real_accept)(int, struct sockaddr *, socklen_t *);
  if (!real_accept) real_accept = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
  int fd = real_accept(sockfd, addr, addrlen);
  if (fd >= 0) set_nodelay(fd);
  return fd;
}

int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
  static int (*real_accept4)(int, struct sockaddr *, socklen_t *, int);
  if (!real_accept4) real_accept4 = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
  int fd = real_accept4(sockfd, addr, addrlen, flags);
  if (fd >= 0) set_nodelay(fd);
  return fd;
}

__attribute__((constructor)) static void die_with_parent(void) {
  const char *wanted = getenv("NHI_RIG_PDEATHSIG");
  if (!wanted || strcmp(wanted, "1") != 0) return;
  (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
  /* The parent may already have died between fork and here. */
  if (getppid() == 1) _exit(1);
}
