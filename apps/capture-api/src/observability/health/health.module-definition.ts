import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { HealthModuleOptions } from './readiness-check';

export const { ConfigurableModuleClass: HealthModuleBase, MODULE_OPTIONS_TOKEN: HEALTH_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<HealthModuleOptions>().setClassMethodName('forRoot').build();
