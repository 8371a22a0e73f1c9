import type { PosEventView } from "@comptoir/contracts";
import { $ } from "@comptoir/contracts/browser";
import { sayError } from "../shared/status.js";
import { isEventOf, stream } from "../shared/stream.js";
import { loadBasket, showBasket } from "./basket.js";
import { loadStanding, searchCustomers, showLink } from "./customer.js";
import { till } from "./state.js";

/** The POS's live events: the link, the basket the counter reader sees, credit data that changed. */

function isHello(data: unknown): data is { online: boolean } {
  return (
    typeof data === "object" &&
    data !== null &&
    "online" in data &&
    typeof data.online === "boolean"
  );
}

const POS_EVENTS: readonly string[] = ["basket", "credit", "link"];

function onEvent(type: string, data: unknown): void {
  if (type === "hello" && isHello(data)) {
    till.online = data.online;
    showLink();
    loadBasket().catch(sayError);
    return;
  }
  if (!POS_EVENTS.includes(type) || !isEventOf<PosEventView>(type, data)) return;
  switch (data.type) {
    case "link":
      till.online = data.online;
      loadStanding().then(showLink, sayError);
      return;
    case "basket":
      showBasket(data.basket);
      return;
    case "credit":
      if (data.customer === till.customer) loadStanding().catch(sayError);
      else if (!till.customer) searchCustomers().catch(sayError);
      return;
  }
}

export function followEvents(): void {
  stream(
    "/pos/events",
    (type, data) => {
      try {
        onEvent(type, data);
      } catch (error) {
        sayError(error);
      }
    },
    (state) => {
      if (state === "error") {
        till.online = false;
        showLink();
        $("#link").textContent = "reconnecting\u2026";
      }
    },
  );
}
