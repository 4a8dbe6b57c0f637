import type pg from 'pg';

/** The part of Prisma's runtime data model (`client._runtimeDataModel`) that describes tables and columns. */
export interface RuntimeDataModel {
  models: Record<string, { dbName: string | null; fields: ReadonlyArray<RuntimeField> }>;
}

interface RuntimeField {
  name: string;
  kind: string;
  type: string;
  dbName?: string | null;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
}

/** PostgreSQL `information_schema` data types that a Prisma scalar type may be stored as. */
const COMPATIBLE_DATA_TYPES: Record<string, readonly string[]> = {
  String: ['text', 'character varying', 'character', 'uuid', 'bit varying'],
  Int: ['integer', 'smallint'],
  BigInt: ['bigint'],
  Float: ['double precision', 'real'],
  Decimal: ['numeric'],
  Boolean: ['boolean'],
  DateTime: ['timestamp with time zone', 'timestamp without time zone', 'date'],
  Json: ['jsonb', 'json'],
  Bytes: ['bytea'],
};

/**
 * Lists every disagreement between the generated Prisma client and the migrated database: missing tables,
 * missing or extra columns, and columns of an incompatible type. An empty list means they agree.
 * (The runtime data model carries no nullability and no list-ness, so those are not compared.)
 */
export async function findSchemaDrift(dataModel: RuntimeDataModel, pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<ColumnRow>(
    `SELECT table_name, column_name, data_type, udt_name
       FROM information_schema.columns
      WHERE table_schema = current_schema()`,
  );
  const columnsByTable = new Map<string, Map<string, ColumnRow>>();
  for (const row of rows) {
    const columns = columnsByTable.get(row.table_name) ?? new Map<string, ColumnRow>();
    columns.set(row.column_name, row);
    columnsByTable.set(row.table_name, columns);
  }

  const problems: string[] = [];
  for (const [modelName, model] of Object.entries(dataModel.models)) {
    const tableName = model.dbName ?? modelName;
    const columns = columnsByTable.get(tableName);
    if (!columns) {
      problems.push(`table "${tableName}" (model ${modelName}) does not exist in the database`);
      continue;
    }
    const expectedColumns = new Set<string>();
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const columnName = field.dbName ?? field.name;
      expectedColumns.add(columnName);
      const column = columns.get(columnName);
      const where = `${tableName}.${columnName} (${modelName}.${field.name})`;
      if (!column) problems.push(`column ${where} is in schema.prisma but not in the database`);
      else if (!isCompatible(field, column)) {
        problems.push(`column ${where} is ${field.type} in schema.prisma but ${describe(column)} in the database`);
      }
    }
    for (const columnName of columns.keys()) {
      if (!expectedColumns.has(columnName)) {
        problems.push(`column ${tableName}.${columnName} is in the database but not in schema.prisma`);
      }
    }
  }
  return problems.sort();
}

/** Element types of array columns (`udt_name` of `text[]` is `_text`), as `information_schema` names scalars. */
const ARRAY_ELEMENT_TYPES: Record<string, string> = {
  _text: 'text',
  _varchar: 'character varying',
  _int4: 'integer',
  _int8: 'bigint',
  _bool: 'boolean',
};

function isCompatible(field: RuntimeField, column: ColumnRow): boolean {
  if (field.kind === 'enum') return column.data_type === 'USER-DEFINED' && column.udt_name === field.type;
  // The runtime data model does not say whether a field is a list: an array column is compared by its elements.
  const dataType = column.data_type === 'ARRAY' ? ARRAY_ELEMENT_TYPES[column.udt_name] : column.data_type;
  return dataType !== undefined && (COMPATIBLE_DATA_TYPES[field.type]?.includes(dataType) ?? false);
}

function describe(column: ColumnRow): string {
  return column.data_type === 'USER-DEFINED' ? column.udt_name : column.data_type;
}
