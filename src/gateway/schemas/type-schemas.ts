/** Bodies of the message-type routes. */
import { Type } from 'typebox';

export const TypeSummary = Type.Object({
  name: Type.String(),
  description: Type.Optional(Type.String()),
  source: Type.String({ description: 'the file or request it came from' }),
  profile: Type.Object({ mfc: Type.Number(), unicode: Type.Boolean(), win64: Type.Boolean() }),
  codePage: Type.Integer(),
});

export const TypeList = Type.Object({ types: Type.Array(TypeSummary) });

export const TypeDetail = Type.Object({
  name: Type.String(),
  source: Type.String(),
  schema: Type.Unknown({ description: 'JSON Schema of the value (declared types referenced under #/$defs/)' }),
  example: Type.Optional(Type.Unknown({ description: 'an example value; none for a type whose values are too large to show (over 4,096 values)' })),
});

export const TypeNameParams = Type.Object({ name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 128 }) });

export const TypesAdded = Type.Object({ added: Type.Array(Type.String()) });

export const TypeRemoved = Type.Object({ removed: Type.String() });
