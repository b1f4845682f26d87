package sqlite

import (
	"embed"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"

	"github.com/jarchy/jarchy/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations is this store's migration set for the database at path. Runs
// are serialised by a lock on the file path + "-migrate.lock".
func migrations(path string) migrate.Config {
	files, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // a constant, valid path
	}
	return migrate.Config{Dialect: database.DialectSQLite3, FS: files, Locker: migrate.FileLock(path + "-migrate.lock"),
		Go: []*goose.Migration{mediaMigration}}
}
