/**
 * Debian's Chromium (package `chromium`, installed like the other runtime packages), never a
 * downloaded browser: the PDF reports and the browser tests launch it with these flags, which keep
 * it off the network (no updates, sync, field trials or QUIC probes) and working as an unprivileged
 * user in a container (no sandbox, no GPU).
 */
export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];
