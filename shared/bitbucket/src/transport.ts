/**
 * One HTTP exchange, directly or through a forward proxy. node:http rather than fetch because fetch
 * cannot send a request in the absolute form a forward proxy expects (`PUT http://api.bitbucket.org/2.0/...`)
 * without a dispatcher from undici, which would be a dependency of every pipe image.
 */
import type { ClientRequest, IncomingHttpHeaders } from "node:http";

// Taken when the first request is made, not imported: an ES import of node:http builds its module
// namespace, whose lazy exports (WebSocket, ...) load undici, 30 ms of every pipe's start.
const http = () => process.getBuiltinModule("node:http");
const https = () => process.getBuiltinModule("node:https");

export interface HttpExchange {
  method: string;
  url: URL;
  headers: Readonly<Record<string, string>>;
  body: string | undefined;
  /** A plain-http forward proxy; the target URL must then be http too. */
  proxy: URL | undefined;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** No response arrived: the connection was refused, reset or dropped, or the request timed out. */
export class NetworkError extends Error {
  readonly code: string;
  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NetworkError";
    this.code = code;
  }
}

function requestFor(exchange: HttpExchange, signal: AbortSignal): ClientRequest {
  const { url, proxy, method } = exchange;
  const headers = {
    ...exchange.headers,
    ...(exchange.body === undefined ? {} : { "content-length": String(Buffer.byteLength(exchange.body)) }),
  };
  if (proxy) {
    return http().request({
      host: proxy.hostname,
      port: proxy.port || 80,
      method,
      path: url.href,
      headers: { ...headers, host: url.host },
      signal,
    });
  }
  return (url.protocol === "https:" ? https() : http()).request(url, { method, headers, signal });
}

export async function sendHttp(exchange: HttpExchange): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(exchange.timeoutMs);
  try {
    return await new Promise<HttpResponse>((resolve, reject) => {
      const request = requestFor(exchange, signal);
      request.on("error", reject);
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("close", () => {
          if (!response.complete)
            reject(new NetworkError("the connection closed mid-response", "ECONNRESET"));
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? "",
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      });
      request.end(exchange.body);
    });
  } catch (error: unknown) {
    if (error instanceof NetworkError) throw error;
    if (signal.aborted) {
      throw new NetworkError(`timed out after ${exchange.timeoutMs / 1000} s`, "ETIMEDOUT", {
        cause: error,
      });
    }
    const code =
      error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "ENETWORK";
    const message = error instanceof Error ? error.message : String(error);
    throw new NetworkError(message.includes(code) ? message : `${message} (${code})`, code, { cause: error });
  }
}
