import * as path from 'path';
import { chromium } from 'playwright-core';
import { codeServerBin, createSandbox, installExtension, startCodeServer } from './test/e2e/codeServer';
import { Workbench, installEvaluateShim } from './test/e2e/workbench';
const REPO = process.cwd();
(async () => {
  const sb = createSandbox('/tmp/F-e2e-sandbox', path.join(REPO, 'test/e2e/workspace'));
  installExtension(codeServerBin(REPO), sb, '/tmp/F-spa.vsix');
  const server = await startCodeServer(codeServerBin(REPO), sb, '/tmp/F-e2e-cs.log');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await installEvaluateShim(page);
    await page.goto(`${server.url}?folder=${encodeURIComponent(sb.workspace)}`);
    const wb = new Workbench(page, '/tmp/F-e2e-shots');
    await wb.ready();
    await page.locator('.activitybar .action-item a[aria-label^="SQL Plan Advisor"]').click();
    let frame = await wb.waitForWebview('view', '#winner', 45000);
    await frame.selectOption('#q-latency', 'sub-ms');
    await page.waitForTimeout(500);
    await page.reload(); await wb.ready();
    await page.waitForTimeout(8000);
    await wb.screenshot('after-reload');
    console.log('frames:', page.frames().map((f) => f.url().slice(0, 80)));
  } finally {
    await browser.close(); await server.stop();
  }
})().catch((e) => { console.error(e); process.exit(1); });
