/**
 * The Origin allow-list of `server.allowed_origins` ("*" allows any). A request without an
 * Origin header is not from a browser page and cannot be a cross-site hijack, so it passes.
 */
export function originAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (!origin || allowed.includes("*")) return true;
  const normalised = origin.toLowerCase().replace(/\/$/, "");
  return allowed.some((entry) => entry.toLowerCase().replace(/\/$/, "") === normalised);
}
