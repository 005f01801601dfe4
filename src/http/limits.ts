// What one request may weigh (README, "Operations"); beyond these the client gets a 4xx
// OperationOutcome.
export const LIMITS = {
  /** A JSON, FHIR+JSON or form body. The largest legitimate one, a Parameters kick-off, is a few KiB. */
  bodyBytes: 1024 * 1024,
  /** The request line and all headers together (431 beyond). */
  headerBytes: 16 * 1024,
  /** One path segment, such as a file id (400 beyond). */
  pathSegmentChars: 200,
  /** Time to receive a whole request (408 beyond), so slow senders cannot hold sockets forever. */
  requestTimeoutMs: 30_000,
  /**
   * A request answered before its body was read and whose connection then closes (a 413, or a
   * client that sent `Connection: close`) has the rest of its body read and discarded, up to
   * this many bytes and for up to this long, so the client is not cut off while still sending.
   */
  lingerBytes: 8 * 1024 * 1024,
  lingerMs: 5_000,
  /**
   * Connections the kernel holds for the server until it accepts them (Node's default is 511;
   * Linux caps it at `net.core.somaxconn`). A load test opening 1,000 connections at once would
   * otherwise see the rest of its SYNs dropped and retried one, three, seven seconds later.
   */
  listenBacklog: 2048,
  /**
   * Downloads compressed at once (about 300 kB of compressor state each); more wait their turn,
   * for at most `compressedDownloadWaitMs`, then go ahead anyway (src/http/compression.ts).
   */
  compressedDownloads: 16,
  compressedDownloadWaitMs: 5_000,
} as const;
