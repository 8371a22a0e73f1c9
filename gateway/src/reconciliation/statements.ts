/** The shared statement cache (store/prepared.ts), under the name reconciliation's files import. */
export { prepared } from "../store/prepared.js";
