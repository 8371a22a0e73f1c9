import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { WebhooksConfig } from "@comptoir/firmware-config";
import type { DeliveryTarget } from "./post.js";

/** A subscription the gateway cannot sign for: it refuses to start rather than send unsigned events. */
export class WebhookConfigError extends Error {
  override name = "WebhookConfigError";
}

/**
 * Each subscription with its secret: from the config, or read from
 * `secretFile` (relative to the gateway's data directory; a trailing
 * newline, as editors leave it, is not part of the secret).
 */
export function webhookTargets(config: WebhooksConfig, dataDir: string): DeliveryTarget[] {
  return config.subscriptions.map((subscription, index) => {
    let secret = subscription.secret;
    if (secret === undefined && subscription.secretFile !== undefined) {
      const file = isAbsolute(subscription.secretFile)
        ? subscription.secretFile
        : join(dataDir, subscription.secretFile);
      try {
        secret = readFileSync(file, "utf8").replace(/\r?\n$/, "");
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new WebhookConfigError(
          `webhooks.subscriptions[${index}].secretFile: cannot read ${file} (${reason}) — create it with the subscription's secret, readable by the gateway's user`,
        );
      }
    }
    if (secret === undefined || secret.length < 16)
      throw new WebhookConfigError(
        `webhooks.subscriptions[${index}] (${subscription.id}): the secret must be at least 16 characters — write a longer one (e.g. \`openssl rand -hex 32\`)`,
      );
    return { id: subscription.id, url: subscription.url, secret };
  });
}
