/** `scheme://` followed by userinfo (`user:password@`), which may hold a raw `@`: up to the last `@` before the host's end. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/**
 * The text with the user and password taken out of every URL in it:
 * `mqtts://gw:secret@host:8883` becomes `mqtts://host:8883`. For anything
 * shown, logged or answered (health, start banner, errors): a broker URL from
 * the config may carry its credentials, and those stay in the config file.
 */
export function stripUserinfo(text: string): string {
  return text.replace(USERINFO, "$1");
}
