import { Module } from '@nestjs/common';
import { CapturesModule } from '../captures/captures.module';
import { ReconcilerService } from './reconciler.service';

@Module({ imports: [CapturesModule], providers: [ReconcilerService], exports: [ReconcilerService] })
export class ReconcilerModule {}
