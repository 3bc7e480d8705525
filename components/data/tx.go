package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Transaction is a transaction on one datasource, carried by a
// context.Context: every repository call on that datasource made with the
// context [DataSource.Begin] returned joins it.
//
// Commit or Rollback ends it; after that, calls with its context fail.
// Rollback after Commit does nothing, so `defer tx.Rollback()` is the
// usual guard. A Transaction is meant for one goroutine at a time.
type Transaction struct {
	ds *DataSource
	tx Tx

	mu   sync.Mutex
	done bool
}

type txKey struct{ ds *DataSource }

// ErrTxDone is returned by calls made with the context of a transaction
// that has ended.
var ErrTxDone = errors.New("data: the transaction has already been committed or rolled back")

// Begin starts a transaction and returns a context that carries it. The
// memory connector has no transactions: it returns a
// [*NotSupportedError].
func (d *DataSource) Begin(ctx context.Context, opts TxOptions) (context.Context, *Transaction, error) {
	if txFrom(ctx, d) != nil {
		return nil, nil, fmt.Errorf("data: datasource %q: a transaction is already open in this context (nested transactions are not supported)", d.name)
	}
	s, err := d.Store()
	if err != nil {
		return nil, nil, err
	}
	t, ok := s.(Transactor)
	if !ok {
		return nil, nil, &NotSupportedError{Connector: d.Config().Connector, Operation: "transactions"}
	}
	tx, err := t.Begin(ctx, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("data: datasource %q: begin: %w", d.name, err)
	}
	x := &Transaction{ds: d, tx: tx}
	return context.WithValue(ctx, txKey{d}, x), x, nil
}

// Transaction runs fn in a transaction: committed when fn returns nil,
// rolled back when it returns an error or panics (the panic goes on).
func (d *DataSource) Transaction(ctx context.Context, opts TxOptions, fn func(ctx context.Context) error) (err error) {
	tctx, tx, err := d.Begin(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tctx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return tx.Commit()
}

// Commit commits the transaction.
func (t *Transaction) Commit() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return ErrTxDone
	}
	t.done = true
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("data: datasource %q: commit: %w", t.ds.name, err)
	}
	return nil
}

// Rollback rolls the transaction back; after Commit it does nothing.
func (t *Transaction) Rollback() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return nil
	}
	t.done = true
	if err := t.tx.Rollback(); err != nil {
		return fmt.Errorf("data: datasource %q: rollback: %w", t.ds.name, err)
	}
	return nil
}

func (t *Transaction) usable() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return ErrTxDone
	}
	return nil
}

func txFrom(ctx context.Context, d *DataSource) *Transaction {
	t, _ := ctx.Value(txKey{d}).(*Transaction)
	return t
}

// hiddenKey marks contexts that read and write hidden properties.
type hiddenKey struct{}

// WithHidden returns a context in which repositories read and write
// hidden properties and filters may name them: for code that checks a
// password hash, say. Without it hidden properties are never read (they
// stay zero in results), never written by updates, and unknown to
// filters.
func WithHidden(ctx context.Context) context.Context {
	return context.WithValue(ctx, hiddenKey{}, true)
}

func hiddenFrom(ctx context.Context) bool { b, _ := ctx.Value(hiddenKey{}).(bool); return b }

// maxAttempts bounds how often Atomically runs its step when the
// database answers a serialization failure.
const maxAttempts = 10

// Atomically runs step, typically a check followed by a write (a hasOne
// creating a parent's only child: count, then insert), so that no other
// step guarded the same way runs in between:
//
//   - on a store with transactions, in a SERIALIZABLE transaction on
//     ds. SQLite runs one writing transaction at a time anyway (its
//     connector opens them IMMEDIATE on a single writer connection).
//     PostgreSQL lets two such transactions read the same "no child
//     yet" but fails one of them with a serialization failure (SQLSTATE
//     40001) rather than letting both insert; the step is then run again
//     in a new transaction, where it sees the child the other committed.
//     This needs no SQL of the connector's dialect: no row lock, no
//     advisory lock;
//   - when ctx already carries a transaction on ds (transactions do not
//     nest), inside it: the isolation is the caller's;
//   - on a store without transactions (the memory connector), under mu
//     (one per kind of step, e.g. per relation): safe within this
//     process, which is the only one that reaches a memory store.
func Atomically(ctx context.Context, ds *DataSource, mu *sync.Mutex, step func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		tctx, tx, err := ds.Begin(ctx, TxOptions{Isolation: sql.LevelSerializable})
		var unsupported *NotSupportedError
		switch {
		case errors.As(err, &unsupported):
			mu.Lock()
			defer mu.Unlock()
			return step(ctx)
		case err != nil:
			// A transaction already open in ctx — or a store that fails,
			// which the step reports as it would without a transaction.
			return step(ctx)
		}
		if err = step(tctx); err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
		if err == nil || !serializationFailure(err) || attempt == maxAttempts {
			return err
		}
		// Let the transaction that won commit before trying again.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(rand.IntN(attempt*2)+1) * time.Millisecond):
		}
	}
}

// serializationFailure reports whether err is the database's refusal of
// a transaction that could not be serialized with concurrent ones
// (SQLSTATE 40001, or a deadlock, 40P01): a transaction to run again.
func serializationFailure(err error) bool {
	var coded interface{ SQLState() string }
	if !errors.As(err, &coded) {
		return false
	}
	s := coded.SQLState()
	return s == "40001" || s == "40P01"
}
