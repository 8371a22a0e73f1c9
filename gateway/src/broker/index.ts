export * from "./acl.js";
export * from "./credentials.js";
export * from "./embedded.js";
export * from "./sessions.js";
