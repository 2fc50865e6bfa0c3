import { Module } from '@nestjs/common';

/** Adjustment rounds, their totals, scenarios and impact. */
@Module({})
export class RoundsModule {}
