/**
 * The Origin rule of the realtime handshakes (a page of another site must not open a
 * connection with a visitor's credentials): a page of the service itself (Origin's host is
 * the request's Host) always passes, other sites only when `server.allowed_origins` lists
 * them ("*" allows any, refused in production). A request without an Origin header is not
 * from a browser page and cannot be a cross-site hijack, so it passes.
 */
export function originAllowed(
  allowed: readonly string[],
  origin: string | undefined,
  host: string | undefined,
): boolean {
  if (!origin || allowed.includes("*")) return true;
  const normalised = origin.toLowerCase().replace(/\/$/, "");
  if (host && hostOf(normalised) === host.toLowerCase()) return true;
  return allowed.some((entry) => entry.toLowerCase().replace(/\/$/, "") === normalised);
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
