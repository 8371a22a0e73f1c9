import type { Page } from "playwright-core";

/** Signs the dashboard page in with `token` and waits until it is ready and its live feed up. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.waitForSelector("body[data-ready=signin]");
  await page.fill("#token", token);
  await page.click("#sign-in button[type=submit]");
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector("body[data-live=live]");
}

/** Goes to the dashboard's page `id` through its navigation, as a user would. */
export async function go(page: Page, id: string): Promise<void> {
  await page.click(`#nav a[data-page=${id}]`);
  await page.waitForSelector(`body[data-page=${id}]`);
}
