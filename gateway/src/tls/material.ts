import { createPrivateKey, X509Certificate } from "node:crypto";
import { hostname, networkInterfaces } from "node:os";
import { isLoopbackHost, type Logger } from "@comptoir/contracts";
import { readPemFile } from "@comptoir/contracts/http";
import type { GatewayTlsConfig } from "@comptoir/firmware-config";
import { ensureSiteCa } from "./site-ca.js";

/** What the gateway's TLS listeners serve, and the CA (or certificate) nodes pin. */
export interface GatewayTls {
  key: string;
  cert: string;
  /** PEM nodes pin at enrollment: the CA, or the server certificate itself when no CA is given. */
  ca: string;
  /** Where that PEM lives, for the logs and the operator. */
  caPath: string;
  source: "files" | "site-ca";
}

/** The TLS settings cannot be used as they are: the message names the setting to fix. */
export class TlsConfigError extends Error {
  override name = "TlsConfigError";
}

/** Plaintext on an address other machines reach, without `tls.allowPlaintext`. */
export class PlaintextRefusedError extends TlsConfigError {
  override name = "PlaintextRefusedError";
}

/**
 * The operator's own files when `tls.cert` and `tls.key` are set, else the
 * site CA the gateway keeps in `<dataDir>/tls` (created at first start).
 */
export async function gatewayTls(
  config: GatewayTlsConfig,
  dataDir: string,
  names: readonly string[],
  logger: Logger,
): Promise<GatewayTls> {
  const log = logger.child({ module: "tls" });
  if (config.cert !== undefined || config.key !== undefined) {
    if (config.cert === undefined || config.key === undefined)
      throw new TlsConfigError(
        "tls.cert and tls.key go together: set both to use your own certificate, or neither for the site CA",
      );
    const cert = await pem(config.cert, "tls.cert", "certificate");
    const key = await pem(config.key, "tls.key", "private key");
    const caPath = config.ca ?? config.cert;
    const ca = config.ca === undefined ? cert : await pem(config.ca, "tls.ca", "certificate");
    log.info({ cert: config.cert, ca: caPath }, "TLS with the configured certificate");
    return { key, cert, ca, caPath, source: "files" };
  }
  const site = await ensureSiteCa(dataDir, names);
  if (site.created === "ca")
    log.info({ ca: site.caPath, names }, "site CA created: nodes pin this certificate");
  else if (site.created === "server")
    log.info({ names }, "server certificate issued by the site CA");
  return { key: site.key, cert: site.cert, ca: site.ca, caPath: site.caPath, source: "site-ca" };
}

/**
 * The names the site CA's server certificate covers: loopback, this host's
 * name and addresses, the listen addresses, and `tls.names` (a DNS name or
 * address the nodes use that the machine cannot see, such as a NAT's).
 */
export function serverNames(listenHosts: readonly string[], extra: readonly string[]): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((address) => address !== undefined && !address.internal)
    .map((address) => address?.address.split("%")[0] ?? "");
  const listening = listenHosts.filter((host) => host !== "0.0.0.0" && host !== "::");
  const names = ["localhost", "127.0.0.1", "::1", hostname(), ...addresses, ...listening, ...extra];
  return [...new Set(names.filter((name) => name.length > 0))];
}

/**
 * A plaintext listener: fine on loopback, refused elsewhere unless
 * `tls.allowPlaintext` says so, and then logged as a warning.
 */
export function checkPlaintextListener(
  what: string,
  setting: string,
  host: string,
  allowPlaintext: boolean,
  logger: Logger,
): void {
  if (isLoopbackHost(host)) return;
  if (!allowPlaintext)
    throw new PlaintextRefusedError(
      `refusing to serve ${what} in plaintext on ${host}: node secrets, acks and prices would cross the network in clear — remove ${setting}: false (TLS is the default off loopback), or set tls.allowPlaintext: true to accept the risk`,
    );
  logger
    .child({ module: "tls" })
    .warn(
      { host, setting },
      `${what} serves plaintext on a non-loopback address (tls.allowPlaintext)`,
    );
}

/** The PEM file a setting names, read and parsed: what is not one is refused here, naming it. */
async function pem(
  path: string,
  setting: string,
  kind: "certificate" | "private key",
): Promise<string> {
  let text: string;
  try {
    text = (await readPemFile(path, setting, "gateway")).toString("utf8");
  } catch (error) {
    throw new TlsConfigError((error as Error).message);
  }
  try {
    if (kind === "certificate") new X509Certificate(text);
    else createPrivateKey(text);
  } catch (error) {
    throw new TlsConfigError(
      `${setting} ${path} is not a PEM ${kind}: ${(error as Error).message} — point ${setting} at the PEM file`,
    );
  }
  return text;
}
