package data_test

import (
	"context"
	"errors"
	"fmt"

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
