import type { paths } from "../generated/api-types.js";
import { RestClientOptions, RestTransport } from "./rest-transport.js";

export type Op<P extends keyof paths, M extends keyof paths[P]> = NonNullable<paths[P][M]>;
export type Query<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
export type Body<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export type Method = "get" | "put" | "post" | "delete";
/** "METHOD /path" of every operation of the OpenAPI document, derived from its types. */
export type OperationKey = {
  [P in keyof paths]: {
    [M in Method]: paths[P][M] extends undefined ? never : `${Uppercase<M>} ${P}`;
  }[Method];
}[keyof paths];

/** The JSON body of an operation's success answer (200 or 201), or void (204). */
export type Ok<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { responses: { 200: { content: { "application/json": infer T } } } }
    ? T
    : Op<P, M> extends { responses: { 201: { content: { "application/json": infer T } } } }
      ? T
      : void;

/** The transport and typed raw client every group of REST methods calls through. */
export class RestBase {
  /** The transport (token, base URL) and `transport.raw`, the typed client by path. */
  readonly transport: RestTransport;

  constructor(options: RestClientOptions | RestTransport) {
    this.transport = options instanceof RestTransport ? options : new RestTransport(options);
  }

  protected get raw() {
    return this.transport.raw;
  }
  protected call<T>(request: Parameters<RestTransport["call"]>[0]): Promise<T> {
    return this.transport.call(request) as Promise<T>;
  }
}
