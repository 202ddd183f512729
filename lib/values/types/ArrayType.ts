/**
 * ARRAY<elementType>.
 *
 * Invariant: immutable; equal to another ArrayType exactly when element types and `containsNull` are equal.
 */
import type { JsonValue } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import { DataType } from './DataType';

/**
 * An array of `elementType` values, held as a JS array. `containsNull` says whether elements may be null.
 *
 * @example
 * ```ts
 * new ArrayType(new StringType()).simpleString()   // 'array<string>'
 * ```
 */
export class ArrayType extends DataType {
  override readonly typeName = 'array';

  constructor(
    readonly elementType: DataType,
    readonly containsNull: boolean = true,
  ) {
    super();
    if (!(elementType instanceof DataType)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `ArrayType needs a DataType element type, got ${String(elementType)}.`);
    }
  }

  override simpleString(): string {
    return `array<${this.elementType.simpleString()}>`;
  }
  override catalogString(): string {
    return `array<${this.elementType.catalogString()}>`;
  }
  override sql(): string {
    return `ARRAY<${this.elementType.sql()}>`;
  }
  override jsonValue(): JsonValue {
    return { type: 'array', elementType: this.elementType.jsonValue(), containsNull: this.containsNull };
  }
  override equals(other: DataType): boolean {
    return (
      other instanceof ArrayType && other.containsNull === this.containsNull && this.elementType.equals(other.elementType)
    );
  }
  override equalsIgnoreNullability(other: DataType): boolean {
    return other instanceof ArrayType && this.elementType.equalsIgnoreNullability(other.elementType);
  }
  override sameType(other: DataType): boolean {
    return other instanceof ArrayType && this.elementType.sameType(other.elementType);
  }
  override toString(): string {
    return `ArrayType(${this.elementType.toString()}, ${this.containsNull ? 'True' : 'False'})`;
  }

  /** @internal */
  override buildFormattedString(prefix: string, out: string[], maxDepth: number): void {
    if (maxDepth <= 0) return;
    out.push(`${prefix}-- element: ${this.elementType.treeName()} (containsNull = ${this.containsNull})\n`);
    this.elementType.buildFormattedString(`${prefix}    |`, out, maxDepth - 1);
  }
}
