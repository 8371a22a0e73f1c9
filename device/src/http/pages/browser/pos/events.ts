import type { PosEventView } from "@comptoir/contracts";
import { $, isObj, isStr } from "@comptoir/contracts/browser";
import { sayError } from "../shared/status.js";
import { type EventChecks, eventOf, stream } from "../shared/stream.js";
import { loadBasket, showBasket } from "./basket.js";
import { loadStanding, searchCustomers, showLink } from "./customer.js";
import { till } from "./state.js";

/** The POS's live events: the link, the basket the counter reader sees, credit data that changed. */

function isHello(data: unknown): data is { online: boolean } {
  return isObj(data) && typeof data.online === "boolean";
}

/** A basket is shown line by line; credit names a customer; the link is up or down. */
const POS_EVENTS: EventChecks<PosEventView> = {
  basket: (data) => isObj(data.basket) && Array.isArray(data.basket.lines),
  credit: (data) => isStr(data.customer),
  link: (data) => typeof data.online === "boolean",
};

function onEvent(type: string, data: unknown): void {
  if (type === "hello" && isHello(data)) {
    till.online = data.online;
    showLink();
    loadBasket().catch(sayError);
    return;
  }
  const event = eventOf(POS_EVENTS, type, data);
  switch (event?.type) {
    case "link":
      till.online = event.online;
      loadStanding().then(showLink, sayError);
      return;
    case "basket":
      showBasket(event.basket);
      return;
    case "credit":
      if (event.customer === till.customer) loadStanding().catch(sayError);
      else if (!till.customer) searchCustomers().catch(sayError);
      return;
  }
}

export function followEvents(): void {
  stream("/pos/events", onEvent, (state) => {
    if (state === "error") {
      till.online = false;
      showLink();
      $("#link").textContent = "reconnecting\u2026";
    }
  });
}
