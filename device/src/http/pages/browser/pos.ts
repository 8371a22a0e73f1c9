import { setupAnswer } from "./pos/answer.js";
import { loadBasket, setupBasket } from "./pos/basket.js";
import { setupClerk } from "./pos/clerk.js";
import { loadStanding, searchCustomers, setupCustomer, showLink } from "./pos/customer.js";
import { followEvents } from "./pos/events.js";
import { setupOverride } from "./pos/override.js";
import { setupSale } from "./pos/sale.js";
import { till } from "./pos/state.js";
import { showNode } from "./shared/node-header.js";
import { sayError } from "./shared/status.js";

/**
 * The counter's POS page (`/pos`): the clerk signs in, picks the customer,
 * sees their credit figures and the basket the counter reader priced, then
 * checks credit or sells; a supervisor may override a blocked sale.
 */

setupClerk();
setupCustomer();
setupBasket();
setupAnswer();
setupSale();
setupOverride();

followEvents();
// The site's locale first (from GET /node), so the first figures are already written its way.
showNode()
  .catch(sayError)
  .then(() => Promise.all([searchCustomers(), loadBasket()]))
  .then(() => {
    document.body.dataset.ready = "true";
  }, sayError);
// The snapshot ages while nobody touches the screen: refresh the figures and the offline line.
setInterval(() => (till.customer ? loadStanding().catch(sayError) : showLink()), 30000);
