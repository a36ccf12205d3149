import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/api-types.js";
import { errorFromBody, MessagingError, networkError } from "../errors.js";
import type { ErrorBody } from "../types.js";

/** A bearer token, or a function asked before every request (for tokens that refresh). */
export type TokenSource = string | null | (() => string | null | Promise<string | null>);

/** Where the service is: a base URL, or a function asked again for every request. */
export type UrlSource = string | (() => string);

export interface RestClientOptions {
  /**
   * The service's base URL (`https://chat.example.com`). A function is asked before each
   * request, so an app can move to another node. `""` means the page's own origin.
   */
  url: UrlSource;
  /** @default null: only the public operations (register, login, documents) work. */
  token?: TokenSource;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Called on every 401 of a request that carried a token (the session ended). */
  onUnauthorized?: () => void;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

export const resolveUrl = (url: UrlSource): string =>
  (typeof url === "function" ? url() : url).replace(/\/+$/, "");

/**
 * The transport of every REST call: openapi-fetch over the generated `paths` type, the
 * bearer token added per request, and failures turned into typed MessagingErrors.
 * `raw` is the typed openapi-fetch client itself, for any operation by path.
 */
export class RestTransport {
  readonly raw: Client<paths>;

  constructor(private readonly options: RestClientOptions) {
    const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    this.raw = createClient<paths>({ fetch: fetchImpl as typeof fetch });
    this.raw.use({
      onRequest: async ({ request }) => {
        const token = await this.token();
        if (token) request.headers.set("authorization", `Bearer ${token}`);
        return request;
      },
    });
  }

  get baseUrl(): string {
    return resolveUrl(this.options.url);
  }

  async token(): Promise<string | null> {
    const { token } = this.options;
    return typeof token === "function" ? await token() : (token ?? null);
  }

  setToken(token: TokenSource): void {
    this.options.token = token;
  }

  /** Awaits one openapi-fetch call: its data, or a typed error. */
  async call<T>(request: (baseUrl: string) => Promise<Result<T>>): Promise<T> {
    let result: Result<T>;
    try {
      result = await request(this.baseUrl);
    } catch (error) {
      throw error instanceof MessagingError ? error : networkError((error as Error).message);
    }
    const { response } = result;
    if (response.ok) return result.data as T;
    if (response.status === 401 && (await this.token())) this.options.onUnauthorized?.();
    const body = (result.error as { error?: ErrorBody } | undefined)?.error;
    const retryAfter = Number(response.headers.get("retry-after")) || undefined;
    throw errorFromBody(body, response.status, retryAfter);
  }

  /** A GET whose body is not JSON (a file's bytes, the metrics text). */
  async fetchRaw(path: string, parse: "blob" | "text"): Promise<Blob | string> {
    return this.call(async (baseUrl) => {
      const result = await this.raw.GET(path as "/healthz", { baseUrl, parseAs: parse });
      return result as Result<Blob | string>;
    });
  }
}
