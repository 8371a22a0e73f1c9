import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { closeServer, createFetchServer, listen, urlOf } from "./serve.js";

const servers: ReturnType<typeof createFetchServer>[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server);
});

function server() {
  const s = createFetchServer(new Hono().get("/", (c) => c.text("up")).fetch, "127.0.0.1", 0);
  servers.push(s);
  return s;
}

describe("listen", () => {
  it("resolves with the port the system chose, and the server answers there", async () => {
    const address = await listen(server(), "127.0.0.1", 0, "cannot listen on 127.0.0.1:0");
    expect(address.host).toBe("127.0.0.1");
    expect(address.port).toBeGreaterThan(0);
    expect(await (await fetch(urlOf(address))).text()).toBe("up");
  });

  it("says the port is in use, and what to do, after the caller's words", async () => {
    const { port } = await listen(server(), "127.0.0.1", 0, "first");
    await expect(listen(server(), "127.0.0.1", port, `cannot serve on :${port}`)).rejects.toThrow(
      `cannot serve on :${port}: the port is in use — stop the other process or choose another port in http.listen`,
    );
  });
});

describe("urlOf", () => {
  it("puts IPv6 hosts in brackets and says https with TLS", () => {
    expect(urlOf({ host: "::1", port: 8443 }, true)).toBe("https://[::1]:8443");
    expect(urlOf({ host: "10.0.0.2", port: 80 })).toBe("http://10.0.0.2:80");
  });
});
