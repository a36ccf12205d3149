import { AppError } from "./errors";

/** A stand-in for a service not wired yet: every call fails with `internal`. */
export function notImplemented<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => () =>
      Promise.reject(new AppError("internal", `${name}.${String(property)} is not available`)),
  });
}
