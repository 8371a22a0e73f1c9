/** An HTTP API answered with an error: the status and what the server said. */
export class ApiCallError extends Error {
  override name = "ApiCallError";
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    super(`${what}: HTTP ${status}${error ? ` ${error.code}: ${error.message}` : ""}`);
  }
}

/** A small JSON client for the gateway's and the nodes' APIs, with an optional bearer token. */
export class JsonApi {
  private readonly extra = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly token?: string,
  ) {}

  /** A header sent with every later call (a clerk's session at a till); undefined removes it. */
  setHeader(name: string, value: string | undefined): void {
    if (value === undefined) this.extra.delete(name);
    else this.extra.set(name, value);
  }

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...Object.fromEntries(this.extra),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok) throw new ApiCallError(response.status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  post<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.call<T>("POST", path, body);
  }

  put<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.call<T>("PUT", path, body);
  }
}
