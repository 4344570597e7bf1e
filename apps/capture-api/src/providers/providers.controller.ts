import { Controller, Get, Inject } from '@nestjs/common';
import type { z } from 'zod';
import type { ApiClient } from '../auth/api-clients';
import { CurrentClient, RequireScope } from '../auth/api-key.guard';
import { ProviderListSchema } from '../docs';
import type { PluginRegistry } from '../plugins/plugin.registry';
import { PLUGIN_REGISTRY } from '../plugins/plugins.module';

type ProviderList = z.output<typeof ProviderListSchema>;

/**
 * The plugins of the accounts this caller may use and, for each, those accounts: a plugin the
 * client has no account on is none of its business. Never settings or secrets.
 */
@Controller('v1/providers')
export class ProvidersController {
  constructor(@Inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry) {}

  @Get()
  @RequireScope('captures:read')
  list(@CurrentClient() client: ApiClient): ProviderList {
    const accounts = this.registry.allAccounts().filter((account) => client.canUse(account.id));
    const plugins = [...this.registry.plugins.values()].filter((plugin) => accounts.some((account) => account.plugin.id === plugin.id));
    const data = plugins.map((plugin) => {
      const { partialCapture, multipleCaptures, captureWithoutAmount, webhooks, currencies } = plugin.capabilities;
      return {
        id: plugin.id,
        displayName: plugin.displayName,
        version: plugin.version,
        // Picked field by field: a plugin's extra capability fields must not leak into the answer.
        capabilities: {
          partialCapture,
          multipleCaptures,
          captureWithoutAmount,
          webhooks,
          statusCheck: plugin.capabilities.statusCheck === true,
          currencies: currencies === 'any' ? 'any' : [...currencies],
        },
        accounts: accounts.filter((account) => account.plugin.id === plugin.id).map((account) => account.id),
      };
    });
    // The documented schema is strict: an answer that drifts from the document fails here, not at the client.
    return ProviderListSchema.parse({ data });
  }
}
