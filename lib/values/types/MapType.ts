/**
 * MAP<keyType, valueType>.
 *
 * Invariant: immutable; equal to another MapType exactly when key, value types and `valueContainsNull` are.
 */
import type { JsonValue } from '../../contracts';
import { ErrorCodes, WeirError } from '../../errors';
import { DataType } from './DataType';

/**
 * A map from `keyType` to `valueType`, held as a JS `Map` (keys keep their type and insertion order). Keys
 * are never null; `valueContainsNull` says whether values may be.
 *
 * @example
 * ```ts
 * new MapType(new StringType(), new IntegerType()).simpleString()   // 'map<string,int>'
 * ```
 */
export class MapType extends DataType {
  override readonly typeName = 'map';

  constructor(
    readonly keyType: DataType,
    readonly valueType: DataType,
    readonly valueContainsNull: boolean = true,
  ) {
    super();
    if (!(keyType instanceof DataType) || !(valueType instanceof DataType)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, 'MapType needs DataType key and value types.');
    }
  }

  override simpleString(): string {
    return `map<${this.keyType.simpleString()},${this.valueType.simpleString()}>`;
  }
  override catalogString(): string {
    return `map<${this.keyType.catalogString()},${this.valueType.catalogString()}>`;
  }
  override sql(): string {
    return `MAP<${this.keyType.sql()}, ${this.valueType.sql()}>`;
  }
  override jsonValue(): JsonValue {
    return {
      type: 'map',
      keyType: this.keyType.jsonValue(),
      valueType: this.valueType.jsonValue(),
      valueContainsNull: this.valueContainsNull,
    };
  }
  override equals(other: DataType): boolean {
    return (
      other instanceof MapType &&
      other.valueContainsNull === this.valueContainsNull &&
      this.keyType.equals(other.keyType) &&
      this.valueType.equals(other.valueType)
    );
  }
  override equalsIgnoreNullability(other: DataType): boolean {
    return (
      other instanceof MapType &&
      this.keyType.equalsIgnoreNullability(other.keyType) &&
      this.valueType.equalsIgnoreNullability(other.valueType)
    );
  }
  override sameType(other: DataType): boolean {
    return other instanceof MapType && this.keyType.sameType(other.keyType) && this.valueType.sameType(other.valueType);
  }
  override toString(): string {
    return `MapType(${this.keyType.toString()}, ${this.valueType.toString()}, ${this.valueContainsNull ? 'True' : 'False'})`;
  }

  /** @internal */
  override buildFormattedString(prefix: string, out: string[], maxDepth: number): void {
    if (maxDepth <= 0) return;
    out.push(`${prefix}-- key: ${this.keyType.treeName()}\n`);
    this.keyType.buildFormattedString(`${prefix}    |`, out, maxDepth - 1);
    out.push(`${prefix}-- value: ${this.valueType.treeName()} (valueContainsNull = ${this.valueContainsNull})\n`);
    this.valueType.buildFormattedString(`${prefix}    |`, out, maxDepth - 1);
  }
}
