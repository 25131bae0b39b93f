// Runs UI test steps in order, each printed as passed or failed; after the first failure the rest
// are counted as failed without running, since each step builds on the screen the last one left.
export async function runSteps(steps, screenshotFailure) {
  let passed = 0;
  let failed = 0;
  let stopped = false;
  for (const [name, run] of steps) {
    if (stopped) {
      console.log(`  - ${name} (not run: an earlier step failed)`);
      failed++;
      continue;
    }
    try {
      await run();
      console.log(`  ✔ ${name}`);
      passed++;
    } catch (error) {
      console.log(`  ✘ ${name}\n    ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ')}`);
      await screenshotFailure().catch(() => {});
      failed++;
      stopped = true;
    }
  }
  return { passed, failed };
}
