import {
  isLoopbackHost,
  isPlaintextMqttUrl,
  type Logger,
  stripUserinfo,
  urlHost,
} from "@comptoir/contracts";
import type { GatewayConfig } from "@comptoir/firmware-config";
import {
  checkPlaintextListener,
  type GatewayTls,
  gatewayTls,
  PlaintextRefusedError,
  serverNames,
} from "./material.js";

/** Which listeners speak TLS, with what, and the PEM nodes pin (undefined: no TLS broker). */
export interface TlsPlan {
  mqtt: GatewayTls | undefined;
  http: GatewayTls | undefined;
}

/**
 * Decides TLS for the embedded broker and the API from the config: on by
 * default off loopback, plaintext off loopback only with
 * `tls.allowPlaintext` (and a warning). An external broker reached by a
 * plaintext URL off loopback is held to the same rule. The certificate is
 * loaded (or the site CA created) only when a listener needs it.
 */
export async function planTls(
  config: GatewayConfig,
  httpHost: string,
  dataDir: string,
  logger: Logger,
): Promise<TlsPlan> {
  const allow = config.tls.allowPlaintext;
  const embedded = config.mqtt.url === undefined;
  const mqttHost = config.mqtt.embedded.host;
  const mqttTls = embedded && (config.mqtt.embedded.tls ?? !isLoopbackHost(mqttHost));
  const httpTls = config.http.tls ?? !isLoopbackHost(httpHost);
  if (embedded && !mqttTls)
    checkPlaintextListener(
      "the embedded MQTT broker",
      "mqtt.embedded.tls",
      mqttHost,
      allow,
      logger,
    );
  if (!httpTls) checkPlaintextListener("the HTTP API", "http.tls", httpHost, allow, logger);
  if (config.mqtt.url !== undefined && isPlaintextMqttUrl(config.mqtt.url)) {
    const host = urlHost(config.mqtt.url) ?? "";
    if (!isLoopbackHost(host)) {
      const shown = stripUserinfo(config.mqtt.url);
      if (!allow)
        throw new PlaintextRefusedError(
          `refusing to reach the broker at ${shown} in plaintext: node data and the gateway's acks would cross the network in clear — use an mqtts:// URL (with mqtt.ca), or set tls.allowPlaintext: true to accept the risk`,
        );
      logger
        .child({ module: "tls" })
        .warn({ url: shown }, "plaintext MQTT to a non-loopback broker (tls.allowPlaintext)");
    }
  }
  if (!mqttTls && !httpTls) return { mqtt: undefined, http: undefined };
  const names = serverNames([mqttHost, httpHost], config.tls.names);
  const material = await gatewayTls(config.tls, dataDir, names, logger);
  return { mqtt: mqttTls ? material : undefined, http: httpTls ? material : undefined };
}
