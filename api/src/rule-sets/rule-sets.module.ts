import { Module } from '@nestjs/common';

/** Trigger rule sets: stored, versioned, presets, evaluation. */
@Module({})
export class RuleSetsModule {}
