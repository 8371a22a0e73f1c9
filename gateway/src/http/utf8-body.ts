/** The strict UTF-8 body checks (JSON bodies, imported files), from the shared HTTP kit. */
export { refuseInvalidUtf8Json, strictBodyText } from "@comptoir/contracts/http";
