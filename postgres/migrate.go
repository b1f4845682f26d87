package postgres

import (
	"context"
	"embed"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"

	"github.com/jarchy/jarchy/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations is this store's migration set.
func migrations() migrate.Config {
	files, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // a constant, valid path
	}
	return migrate.Config{Dialect: database.DialectPostgres, FS: files, Locker: migrate.PostgresLock(),
		Go: []*goose.Migration{mediaMigration}}
}

// migrateTo applies the migrations up to version (math.MaxInt64 for all)
// through a database/sql handle of its own, as goose needs one, closed
// afterwards: the advisory lock lives in one of its sessions, so it can
// never stay behind in a connection of the store's pool.
func migrateTo(ctx context.Context, cfg *pgx.ConnConfig, version int64) error {
	db := stdlib.OpenDB(*cfg.Copy())
	defer db.Close()
	return migrate.UpTo(ctx, db, migrations(), version)
}
