import { Module } from '@nestjs/common';
import { OpsPageController } from './ops-page.controller';
import { OpsController } from './ops.controller';
import { OpsSessionController } from './ops-session.controller';
import { OpsService } from './ops.service';

/**
 * The operations page at `/ops` (a public shell and its files, served from the installed packages)
 * and its read-only data under `/v1/ops` (scope `ops:read`). The page lists, reads, searches and
 * resolves captures through the captures API, with an operator session opened with the key
 * (`/v1/ops/session`, a signed cookie; see auth/ops-session.ts).
 */
@Module({ controllers: [OpsController, OpsSessionController, OpsPageController], providers: [OpsService] })
export class OpsModule {}
