/**
 * Confirms on the receipt page that the code was written down (tick + last four digits), as a
 * resident does before leaving: until then the page warns on every way out (LeaveGuard).
 */
import type { Page } from "playwright-core";

export async function confirmReceipt(page: Page, receipt: string): Promise<void> {
  await page.getByLabel("我已经把查询码记下来了").check();
  await page.getByLabel("请输入查询码的最后4位").fill(receipt.slice(-4));
  await page.getByRole("button", { name: "确认" }).click();
  await page.getByText("您已确认记下查询码").waitFor();
}
