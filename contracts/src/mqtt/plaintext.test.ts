import { describe, expect, it } from "vitest";
import { isLoopbackHost, isPlaintextMqttUrl, urlHost } from "./plaintext.js";

describe("plaintext policy helpers", () => {
  it("counts only this machine's loopback as loopback", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "gateway.lan", "10.0.0.1", "128.0.0.1"])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it("tells plaintext broker URLs from TLS ones and reads their host", () => {
    expect(isPlaintextMqttUrl("mqtt://10.0.0.2:1883")).toBe(true);
    expect(isPlaintextMqttUrl("mqtts://10.0.0.2:8883")).toBe(false);
    expect(urlHost("mqtt://[::1]:1883")).toBe("::1");
    expect(urlHost("mqtts://user:pw@gateway.lan:8883")).toBe("gateway.lan");
  });
});
