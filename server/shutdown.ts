/**
 * Graceful shutdown that cuts off no request.
 *
 * Node's `server.close()` destroys every connection it considers idle — including one whose
 * request bytes have arrived but are not parsed yet, which the client sees as a reset. So we track
 * connections ourselves: on shutdown the listener stops accepting, connections with a request in
 * flight finish it (answered with `Connection: close`), and a connection with nothing in flight is
 * closed only after it has stayed idle for `idleGraceMs`.
 */
import type http from "node:http";
import type { Socket } from "node:net";

export interface ConnectionTracker {
  /** Stop accepting; resolve when every connection has closed. */
  drain(idleGraceMs: number): Promise<void>;
  /** Last resort after the grace period. */
  destroyAll(): void;
}

export function trackConnections(server: http.Server): ConnectionTracker {
  const inFlight = new Map<Socket, number>();
  let draining = false;
  let idleGraceMs = 0;

  const closeLater = (socket: Socket) => {
    setTimeout(() => {
      if ((inFlight.get(socket) ?? 0) === 0) socket.destroy();
    }, idleGraceMs).unref();
  };

  server.on("connection", (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.on("close", () => inFlight.delete(socket));
    if (draining) closeLater(socket);
  });
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    if (draining) res.shouldKeepAlive = false;
    res.on("close", () => {
      const left = (inFlight.get(socket) ?? 1) - 1;
      inFlight.set(socket, left);
      if (draining && left === 0) closeLater(socket);
    });
  });

  return {
    drain(graceMs) {
      draining = true;
      idleGraceMs = graceMs;
      // Keep Node from destroying connections whose first request is still being parsed.
      server.closeIdleConnections = () => {};
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, n] of inFlight) if (n === 0) closeLater(socket);
      return closed;
    },
    destroyAll() {
      for (const socket of inFlight.keys()) socket.destroy();
    },
  };
}
