import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ValidationError } from './errors';

/** Validates a body, query or param with a zod schema; failures become a 400 naming each field path. */
@Injectable()
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.infer<T> {
    const r = this.schema.safeParse(value);
    if (r.success) return r.data;
    const where = metadata.type === 'custom' ? 'input' : metadata.type;
    throw new ValidationError(
      r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message })),
      where,
    );
  }
}

/** The JSON Schema of a zod schema, for the OpenAPI document. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}
