/** zod validation of a request part, from the HTTP kit the node shares with the gateway. */
export { valid } from "@comptoir/contracts/http";
