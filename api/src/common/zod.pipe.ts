import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ValidationError } from './errors';
import { inputProblems } from './input';

/**
 * Validates a body, query or param with a zod schema; failures become a 400 naming each field path (`body.name`,
 * `query.version`, `params.id`). Before the schema, the value is walked once for NUL characters and nesting deeper
 * than MAX_INPUT_DEPTH (input.ts), which no schema of this API accepts and which would otherwise end in a 500.
 */
@Injectable()
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.infer<T> {
    const where = metadata.type === 'custom' ? 'input' : metadata.type === 'param' ? 'params' : metadata.type;
    // a single parameter (@Param('id')) is named by its own name: params.id
    const at = metadata.data ? `${where}.${metadata.data}` : where;
    const problems = inputProblems(value, at);
    if (problems.length > 0) throw new ValidationError(problems, where);
    const r = this.schema.safeParse(value);
    if (r.success) return r.data;
    throw new ValidationError(
      r.error.issues.map((i) => ({ path: [at, ...i.path.map(String)].join('.'), message: i.message })),
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
