/** zod validation of a request part, from the HTTP kit the gateway shares with the node. */
export { valid } from "@comptoir/contracts/http";
