/**
 * Entry of `factorlens`. It starts the engine process first (see prewarm.ts), then loads the
 * commands, so that the two start-ups overlap.
 */
import { takePrestartedEngine } from './prewarm';

const { runCli } = await import('./program');
await runCli(import.meta.url, takePrestartedEngine);
