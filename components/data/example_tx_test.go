package data_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/backplane-dev/backplane/components/data"
)

// A transaction carried by the context: the repository calls inside the
// function join it, and an error rolls every one of them back.
func ExampleDataSource_Transaction() {
	type Account struct {
		ID      string `json:"id" data:"id"`
		Balance int64  `json:"balance"`
	}
	ctx := context.Background()
	ds, _ := data.Open(ctx, "db", data.Config{Connector: "sqlite"})
	defer ds.Stop(ctx)
	accounts, _ := data.NewRepository[Account, string](ds)
	ds.Migrate(ctx, data.MigrateUpdate)
	accounts.CreateAll(ctx, []Account{{ID: "a", Balance: 10}, {ID: "b"}})

	transfer := func(amount int64) error {
		return ds.Transaction(ctx, data.TxOptions{}, func(ctx context.Context) error {
			from, err := accounts.FindByID(ctx, "a", nil)
			if err != nil {
				return err
			}
			if err := accounts.UpdateByID(ctx, "b", map[string]any{"balance": amount}); err != nil {
				return err
			}
			if from.Balance < amount {
				return errors.New("insufficient funds")
			}
			return accounts.UpdateByID(ctx, "a", map[string]any{"balance": from.Balance - amount})
		})
	}
	fmt.Println(transfer(25))
	b, _ := accounts.FindByID(ctx, "b", nil)
	fmt.Println(b.Balance)
	fmt.Println(transfer(4))
	b, _ = accounts.FindByID(ctx, "b", nil)
	fmt.Println(b.Balance)
	// Output:
	// insufficient funds
	// 0
	// <nil>
	// 4
}

// A check followed by a write, as one step: of ten concurrent requests to
// give user 1 a profile, one stores it and nine get a DuplicateError.
func ExampleAtomically() {
	type Profile struct {
		ID     int64 `json:"id" data:"id,generated"`
		UserID int64 `json:"userId"`
	}
	ctx := context.Background()
	ds, _ := data.Open(ctx, "db", data.Config{Connector: "sqlite"})
	defer ds.Stop(ctx)
	profiles, _ := data.NewRepository[Profile, int64](ds)
	ds.Migrate(ctx, data.MigrateUpdate)

	var mu sync.Mutex // used when the connector has no transactions
	createOnce := func(user int64) error {
		return data.Atomically(ctx, ds, &mu, func(ctx context.Context) error {
			n, err := profiles.Count(ctx, data.Prop("userId").Eq(user))
			if err != nil {
				return err
			}
			if n > 0 {
				return &data.DuplicateError{Model: "Profile"}
			}
			_, err = profiles.Create(ctx, Profile{UserID: user})
			return err
		})
	}
	errs := make(chan error, 10)
	for range 10 {
		go func() { errs <- createOnce(1) }()
	}
	stored, refused := 0, 0
	for range 10 {
		var dup *data.DuplicateError
		switch err := <-errs; {
		case err == nil:
			stored++
		case errors.As(err, &dup):
			refused++
		default:
			fmt.Println(err)
		}
	}
	n, _ := profiles.Count(ctx, nil)
	fmt.Println(stored, "stored,", refused, "refused,", n, "in the table")
	// Output:
	// 1 stored, 9 refused, 1 in the table
}
