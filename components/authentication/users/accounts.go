package users

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/data"
)

// Account is a user declared in the configuration:
//
//	users:
//	  accounts:
//	    - email: admin@example.com
//	      passwordHash: $2a$10$...   # from `<app> hash-password`; or password:, e.g. with --set
//	      roles: [admin]
//
// When the application starts, an account whose e-mail no user has is
// created; one that exists gets the configured password if its stored
// one differs. Roles are not stored: every login of the e-mail gets
// the configured ones, so changing them takes effect at the next login.
type Account struct {
	Email string `json:"email"`
	// Password is the password in clear. Prefer PasswordHash in files;
	// Password suits --set and the environment.
	Password string `json:"password"`
	// PasswordHash is a bcrypt or argon2id hash of the password, as the
	// hash-password command prints it.
	PasswordHash string   `json:"passwordHash"`
	Roles        []string `json:"roles"`
}

// accountRoles checks the accounts and returns their roles by e-mail.
func accountRoles(accounts []Account, h hasher) (map[string][]string, error) {
	roles := map[string][]string{}
	var errs []error
	for i, a := range accounts {
		at := fmt.Sprintf("users.accounts[%d]", i)
		email := strings.TrimSpace(a.Email)
		switch {
		case email == "":
			errs = append(errs, fmt.Errorf("%s.email is empty: an account is found by its e-mail", at))
			continue
		case (a.Password == "") == (a.PasswordHash == ""):
			errs = append(errs, fmt.Errorf("%s (%s): set one of password and passwordHash (a hash from the hash-password command)", at, email))
		case a.PasswordHash != "" && !h.wellFormed(a.PasswordHash):
			errs = append(errs, fmt.Errorf("%s (%s).passwordHash is not a bcrypt or argon2id hash: make one with the hash-password command", at, email))
		}
		if _, dup := roles[email]; dup {
			errs = append(errs, fmt.Errorf("%s: %s is declared twice", at, email))
		}
		roles[email] = a.Roles
	}
	return roles, errors.Join(errs...)
}

// accountsObserver writes the configured accounts when the application
// starts, after the datasources.
type accountsObserver struct{ s *Service }

func (o accountsObserver) Start(ctx context.Context) error {
	for i, a := range o.s.cfg.Accounts {
		if err := o.s.ensureAccount(ctx, a); err != nil {
			return fmt.Errorf("users.accounts[%d] (%s): %w", i, strings.TrimSpace(a.Email), err)
		}
	}
	return nil
}

// ensureAccount creates the account's user, or brings its stored
// password in line with the configured one.
func (s *Service) ensureAccount(ctx context.Context, a Account) error {
	email := strings.TrimSpace(a.Email)
	hash := a.PasswordHash
	u, err := s.users.FindOne(ctx, &data.Filter{Where: data.Prop("email").Eq(email)})
	if err != nil {
		return err
	}
	if u == nil {
		if hash == "" {
			if hash, err = s.hasher.hash(a.Password); err != nil {
				return err
			}
		}
		saved, err := s.users.Create(ctx, User{Email: email})
		if err != nil {
			return err
		}
		_, err = s.creds.Create(ctx, credentials{Password: hash, UserID: saved.ID})
		if err != nil {
			if derr := s.users.DeleteByID(context.WithoutCancel(ctx), saved.ID); derr != nil {
				err = errors.Join(err, derr)
			}
		}
		return err
	}
	c, err := s.creds.FindOne(ctx, &data.Filter{Where: data.Prop("userId").Eq(u.ID)})
	if err != nil {
		return err
	}
	switch {
	case c != nil && hash != "" && c.Password == hash:
		return nil
	case c != nil && hash == "" && s.hasher.verify(c.Password, a.Password):
		return nil
	}
	if hash == "" {
		if hash, err = s.hasher.hash(a.Password); err != nil {
			return err
		}
	}
	if c == nil {
		_, err = s.creds.Create(ctx, credentials{Password: hash, UserID: u.ID})
		return err
	}
	c.Password = hash
	return s.creds.Update(ctx, *c)
}

// wellFormed reports whether stored looks like a hash verify reads.
func (hasher) wellFormed(stored string) bool {
	if strings.HasPrefix(stored, "$argon2id$") {
		return len(strings.Split(stored, "$")) == 6
	}
	_, err := bcrypt.Cost([]byte(stored))
	return err == nil
}

// hashPasswordCommand prints the hash of a password read from standard
// input, for users.accounts[].passwordHash, with the configured scheme.
func hashPasswordCommand(s *Service) backplane.Command {
	return backplane.Command{
		Name:    "hash-password",
		Summary: "print the hash of the password read from standard input, for users.accounts[].passwordHash",
		Flags:   func(*flag.FlagSet) {},
		Run: func(ctx context.Context, app *backplane.App, args []string) error {
			if len(args) > 0 {
				return &backplane.UsageError{Msg: fmt.Sprintf("hash-password: unexpected argument %q: the password is read from standard input", args[0])}
			}
			// the configuration is loaded, the hasher made from it
			if err := app.Init(ctx); err != nil {
				return err
			}
			password, err := readPassword(os.Stdin)
			if err != nil {
				return err
			}
			hash, err := s.hasher.hash(password)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(app.Stdout(), hash)
			return err
		},
	}
}

// readPassword reads the first line of r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("hash-password: read the password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("hash-password: no password on standard input: echo -n 'secret' | <app> hash-password")
	}
	return line, nil
}
