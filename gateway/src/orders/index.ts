/** Sales orders at the gateway (issue 15): decided at entry, held, released, followed to the dock. */
export type { HoldBreach } from "./dock-watch.js";
export { OrderStatePublisher } from "./publisher.js";
export { OrderRefused } from "./resolve.js";
export { OrderService, type OrderServiceOptions, type ReleaseCause } from "./service.js";
