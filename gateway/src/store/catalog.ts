// The catalog moved to gateway/src/catalog/. This forwarder only keeps files that other
// work in progress still edits compiling; delete it once nothing imports store/catalog.js.
export * from "../catalog/index.js";
