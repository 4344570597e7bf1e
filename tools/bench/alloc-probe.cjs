// Bench-only, preloaded into the service by `npm run bench:alloc` (`--require`, with `--expose-gc`):
// over IPC, `alloc-start` forces a full GC and starts counting, `alloc-stop` forces another and
// answers with the JS heap bytes allocated in between. V8 does not count allocations itself, so the
// count is what every GC in the window freed (v8.GCProfiler: used heap before and after each) plus
// what the heap kept: exact for the JS heap, blind to Buffers' external memory.
const v8 = require('node:v8');

let profiler;
let usedAtStart = 0;

const used = () => v8.getHeapStatistics().used_heap_size;

process.on('message', (message) => {
  if (!message || typeof message !== 'object') return;
  if (message.type === 'alloc-start') {
    globalThis.gc();
    usedAtStart = used();
    profiler = new v8.GCProfiler();
    profiler.start();
    process.send({ type: 'alloc-started' });
  } else if (message.type === 'alloc-stop' && profiler) {
    globalThis.gc();
    const { statistics } = profiler.stop();
    profiler = undefined;
    let freed = 0;
    for (const gc of statistics) freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
    process.send({
      type: 'alloc-stopped',
      allocated: freed + used() - usedAtStart,
      gcs: statistics.length,
      retained: used() - usedAtStart,
    });
  }
});
