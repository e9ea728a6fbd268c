package store

import (
	"context"
	"database/sql"
	"fmt"
)

func FindUser(ctx context.Context, db *sql.DB, id string, name string) error {
	// ruleid: go-sql-string-building
	db.Query(fmt.Sprintf("SELECT * FROM users WHERE id = '%s'", id))
	// ruleid: go-sql-string-building
	db.QueryRowContext(ctx, "SELECT * FROM users WHERE name = '"+name+"'")
	query := fmt.Sprintf("DELETE FROM sessions WHERE user = '%s'", id)
	// ruleid: go-sql-string-building
	db.ExecContext(ctx, query)
	// ok: go-sql-string-building
	db.Query("SELECT * FROM users WHERE id = $1", id)
	// ok: go-sql-string-building
	_, err := db.Exec("SELECT count(*) " + "FROM users")
	return err
}
