package users_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/authentication/users"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/data"
	_ "github.com/backplane-dev/backplane/components/data/memory"
	"github.com/backplane-dev/backplane/kernel"
)

// Example signs a user up and logs them in, on the memory store.
func Example() {
	app := backplane.New("shop", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		config.Component(config.WithEnviron([]string{}), config.WithDefaults(map[string]any{"users": map[string]any{"bcryptCost": 4}})),
		data.Source("db", data.WithConnector("memory")),
		users.Component(users.WithDataSource("db")))
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer app.Stop(ctx)
	svc, _ := kernel.Resolve(ctx, app.Context(), users.ServiceKey)

	u, err := svc.Signup(ctx, users.User{Email: "ada@example.com"}, "correct horse")
	if err != nil {
		fmt.Println(err)
		return
	}
	back, _ := svc.Verify(ctx, "ada@example.com", "correct horse")
	fmt.Println(back.ID == u.ID, users.Principal(back).Email)
	_, err = svc.Verify(ctx, "ada@example.com", "wrong horse")
	fmt.Println(errors.Is(err, users.ErrInvalidCredentials), err)
	// Output:
	// true ada@example.com
	// true Invalid email or password.
}
