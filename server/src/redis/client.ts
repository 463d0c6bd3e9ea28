/** The Redis command client's type: one node, or a cluster behind the same commands (cluster.ts). */
import type { createClient } from 'redis';

export type Redis = ReturnType<typeof createClient>;
