/**
 * Opens the SQL Plan Advisor view container. Clicking an activity-bar entry toggles it, so
 * the click is made only when the container is not the one already shown (an earlier scenario
 * may have left it open).
 */
import type { Workbench } from '../workbench';

export async function showAdvisorSidebar(wb: Workbench): Promise<void> {
  const item = wb.page.locator('.activitybar .action-item', { has: wb.page.locator('a[aria-label^="SQL Plan Advisor"]') }).first();
  const open = await item.evaluate((el) => el.classList.contains('checked'));
  if (!open) await item.locator('a').click();
}
