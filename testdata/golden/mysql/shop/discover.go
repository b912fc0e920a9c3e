package shop

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
)

// systemSchemas are the server's own databases, never scanned.
const systemSchemas = "'mysql', 'information_schema', 'performance_schema', 'sys'"

// discover lists the pool's tables with their columns: the base tables of
// the configured database, or of every database but the system ones when
// none is configured. Views are left out on purpose: they hold no rows of
// their own (a view's rows are found in its base tables) and most cannot
// be deleted from. MariaDB's system-versioned tables are base tables and
// are listed.
func (p *pool) discover(ctx context.Context) ([]*table, error) {
	if err := p.probe(ctx); err != nil {
		return nil, err
	}
	jsonCols, err := p.mariadbJSONColumns(ctx)
	if err != nil {
		return nil, err
	}
	where, args := p.schemaFilter("c.TABLE_SCHEMA")
	rows, err := p.db.QueryContext(ctx, `SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE,
		c.IS_NULLABLE, c.CHARACTER_MAXIMUM_LENGTH
	FROM information_schema.COLUMNS c
	JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
	WHERE t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') AND `+where+`
	ORDER BY c.ORDINAL_POSITION`, args...)
	if err != nil {
		return nil, fmt.Errorf("list the tables' columns: %w", err)
	}
	defer rows.Close()
	byKey := map[[2]string]*table{}
	for rows.Next() {
		var (
			schema, name, nullable string
			ci                     columnInfo
			maxChars               sql.NullInt64
		)
		if err := rows.Scan(&schema, &name, &ci.name, &ci.dataType, &ci.columnType, &nullable, &maxChars); err != nil {
			return nil, fmt.Errorf("list the tables' columns: %w", err)
		}
		ci.nullable = nullable == "YES"
		ci.maxChars = maxChars.Int64
		ci.json = jsonCols[[3]string{schema, name, ci.name}]
		key := [2]string{schema, name}
		t := byKey[key]
		if t == nil {
			t = &table{pool: p, db: schema, name: name}
			byKey[key] = t
		}
		t.cols = append(t.cols, newColumn(ci))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list the tables' columns: %w", err)
	}
	tables := make([]*table, 0, len(byKey))
	for _, t := range byKey {
		t.init()
		tables = append(tables, t)
	}
	slices.SortFunc(tables, func(a, b *table) int {
		return cmp.Or(cmp.Compare(a.db, b.db), cmp.Compare(a.name, b.name))
	})
	return tables, nil
}

// mariadbJSONColumns finds MariaDB's JSON columns, keyed by (database,
// table, column). MariaDB's JSON is an alias: the column is a LONGTEXT
// with the check constraint json_valid(`column`), and only the constraint
// tells. MySQL's JSON is a type of its own and needs no lookup.
func (p *pool) mariadbJSONColumns(ctx context.Context) (map[[3]string]bool, error) {
	if !p.mariadb {
		return nil, nil
	}
	where, args := p.schemaFilter("c.CONSTRAINT_SCHEMA")
	rows, err := p.db.QueryContext(ctx, `SELECT c.CONSTRAINT_SCHEMA, c.TABLE_NAME, c.CHECK_CLAUSE
	FROM information_schema.CHECK_CONSTRAINTS c
	WHERE c.CHECK_CLAUSE LIKE 'json_valid(%' AND `+where, args...)
	if err != nil {
		// Servers before 10.4.3 have no TABLE_NAME here; their JSON
		// columns are read as text.
		slog.Debug("MariaDB JSON columns not looked up: " + err.Error())
		return nil, nil
	}
	defer rows.Close()
	cols := map[[3]string]bool{}
	for rows.Next() {
		var schema, table, clause string
		if err := rows.Scan(&schema, &table, &clause); err != nil {
			return nil, fmt.Errorf("list JSON columns: %w", err)
		}
		if col, ok := jsonValidColumn(clause); ok {
			cols[[3]string{schema, table, col}] = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list JSON columns: %w", err)
	}
	return cols, nil
}

// jsonValidColumn reads the column of a check clause that is exactly
// json_valid(`column`), as MariaDB writes a JSON column's constraint.
func jsonValidColumn(clause string) (string, bool) {
	q, ok := strings.CutPrefix(clause, "json_valid(")
	if !ok {
		return "", false
	}
	q, ok = strings.CutSuffix(q, ")")
	if !ok || len(q) < 2 || q[0] != '`' || q[len(q)-1] != '`' {
		return "", false
	}
	name := q[1 : len(q)-1]
	if quoteIdent(strings.ReplaceAll(name, "``", "`")) != q {
		return "", false // a lone backtick inside: not one quoted name
	}
	return strings.ReplaceAll(name, "``", "`"), true
}

// schemaFilter is the WHERE condition on col (a schema-name column of
// information_schema) that selects the databases to scan, and its
// arguments: the configured database, or every one but the system ones.
func (p *pool) schemaFilter(col string) (string, []any) {
	if p.conf.Database != "" {
		return col + " = ?", []any{p.conf.Database}
	}
	return col + " NOT IN (" + systemSchemas + ")", nil
}
