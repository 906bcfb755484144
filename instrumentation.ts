/** Runs once when a Next.js server starts (see lib/startup.ts). */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startServerRuntime } = await import('./lib/startup');
    await startServerRuntime();
  }
}
