import { isIP } from "node:net";

/**
 * Where plaintext MQTT or HTTP stays allowed without saying so: this
 * machine's loopback. Anything else crosses the site LAN, where node
 * secrets, acks, prices and credit snapshots must not travel in clear.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare === "localhost" || bare === "::1") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare.toLowerCase().startsWith("::ffff:127.");
}

/** A broker URL that is not TLS: mqtt://, tcp://, ws://. */
export function isPlaintextMqttUrl(url: string): boolean {
  return /^(mqtt|tcp|ws):\/\//i.test(url);
}

/** The host a broker URL names (brackets removed), or undefined when it has none. */
export function urlHost(url: string): string | undefined {
  try {
    const host = new URL(url).hostname;
    return host.startsWith("[") ? host.slice(1, -1) : host;
  } catch {
    return undefined;
  }
}
