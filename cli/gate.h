/* gate - the front door of hearsay serve: the listening socket, and a
 * thread that reads the first line of each new connection before
 * libmicrohttpd sees it. A line that is no HTTP/1.x request line (garbage,
 * binary, another protocol, an unsupported version) is answered
 * "400 Bad Request" with a JSON error and closed; libmicrohttpd would
 * close it without a word. So is one the daemon has no room for, with
 * "503 Service Unavailable". A connection that sends no line within the
 * timeout is closed. Good connections go to the daemon (MHD_add_connection),
 * which then owns them. */
#ifndef HS_CLI_GATE_H
#define HS_CLI_GATE_H

#include <microhttpd.h>
#include <sys/socket.h>

typedef struct gate gate;

/* Listens on addr (backlog connections queued); *port gets the port bound
 * (useful with port 0). NULL with errno set when it cannot. */
gate *gate_open(const struct sockaddr *addr, socklen_t alen, int backlog, unsigned *port);
/* Starts handing connections to d, whose connection limit is max_conns
 * over threads threads (a connection that would pass it is answered 503):
 * at most max_conns wait for their first line at once (the oldest silent
 * one goes first), each at most timeout seconds. 0, or -1 with errno. */
int gate_start(gate *g, struct MHD_Daemon *d, long timeout, unsigned max_conns,
               unsigned threads);
/* Stops the thread and closes the listening socket and the connections
 * still waiting; NULL is fine. Call before MHD_stop_daemon. */
void gate_close(gate *g);

#endif
