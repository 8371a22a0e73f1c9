import type { ClerkSignedIn, PosClerks, PosPerson, SignInRequest } from "@comptoir/contracts";
import { $, clear, messageOf } from "@comptoir/contracts/browser";
import { ApiError, api, setClerkSession } from "../shared/api.js";
import { say, sayError } from "../shared/status.js";
import { choiceButton } from "./choices.js";

/**
 * Clerk sign-in: the clerk picks their name and types their PIN; the sale
 * records who signed in (the node takes it from the session, not from here).
 */
let signedIn: PosPerson | null = null;

function showClerk(): void {
  $("#clerk-name").textContent = signedIn ? signedIn.name : "no clerk signed in";
  $("#sign-in").hidden = Boolean(signedIn);
  $("#sign-out").hidden = !signedIn;
}

async function openSignIn(): Promise<void> {
  const dialog = $<HTMLDialogElement>("#signin-dialog");
  const pin = $<HTMLInputElement>("#signin-pin");
  const status = $("#signin-status");
  let chosen: PosPerson | null = null;
  pin.value = "";
  status.textContent = "";
  const { clerks } = await api<PosClerks>("GET", "/pos/clerks");
  const box = $("#clerks");
  clear(
    box,
    ...clerks.map((c) =>
      choiceButton(box, c.name, { clerk: c.id }, () => {
        chosen = c;
      }),
    ),
  );
  $("#signin-ok").onclick = async () => {
    if (!chosen) {
      status.textContent = "choose your name";
      return;
    }
    try {
      const body: SignInRequest = { clerk: chosen.id, pin: pin.value };
      const result = await api<ClerkSignedIn>("POST", "/pos/clerk/sign-in", body);
      setClerkSession(result.session);
      signedIn = result.clerk;
      dialog.close();
      showClerk();
      say(`${result.clerk.name} signed in`, "ok");
    } catch (error) {
      pin.value = "";
      status.textContent = messageOf(error);
    }
  };
  dialog.showModal();
}

/** Wires the sign-in and sign-out buttons; nobody is signed in at load (a reload signs out). */
export function setupClerk(): void {
  $("#sign-in").addEventListener("click", () => openSignIn().catch(sayError));
  $("#signin-cancel").addEventListener("click", () =>
    $<HTMLDialogElement>("#signin-dialog").close(),
  );
  $("#sign-out").addEventListener("click", async () => {
    await api("POST", "/pos/clerk/sign-out").catch(() => undefined);
    setClerkSession(null);
    signedIn = null;
    showClerk();
  });
  showClerk();
}

/** A sale, check or override needs a signed-in clerk: asks for the sign-in first; true when none. */
export function needClerk(): boolean {
  if (signedIn) return false;
  say("a clerk signs in first", "error");
  openSignIn().catch(sayError);
  return true;
}

/** The node said the clerk's session is gone: the screen says nobody is signed in. */
export function clerkExpired(error: unknown): void {
  if (error instanceof ApiError && error.body?.error.code === "clerk_not_signed_in") {
    signedIn = null;
    setClerkSession(null);
    showClerk();
  }
}
