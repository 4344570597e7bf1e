/**
 * At most this many rows per delete statement when pruning past the retention: a large backlog is
 * pruned in many short statements, never one that holds its locks (or, on the embedded store, the
 * event loop) for long.
 */
export const PRUNE_BATCH_ROWS = 1_000;
