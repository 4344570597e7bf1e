import { definePlugin } from '@capture-gateway/plugin-sdk';
import memory from './memory.plugin';

// The memory plugin with a status check that always finds the provider never received the capture:
// for tests of the reconciler's path without a network.
export default definePlugin({
  ...memory,
  id: 'memory-checking',
  capabilities: { ...memory.capabilities, statusCheck: true },
  create(config, context) {
    const provider = memory.create(config, context);
    return {
      ...provider,
      checkCapture: async () => ({ status: 'not_received', message: 'the memory provider never received it' }),
    };
  },
});
