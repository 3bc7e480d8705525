// Package datatest is the data layer's conformance suite, in the manner
// of testing/slogtest: a connector's tests call [Run] with a function
// that hands out fresh datasources, and the suite checks CRUD, every
// filter operator in both query forms, ordering with ties and nulls,
// limits, fields, counts, not-found errors, hidden properties, injection
// attempts, pathological patterns, concurrent writers and transactions.
//
//	func TestConformance(t *testing.T) {
//		datatest.Run(t, func(t *testing.T) *data.DataSource {
//			ds, err := data.Open(context.Background(), "db", data.Config{Connector: "mine"})
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { ds.Stop(context.Background()) })
//			return ds
//		})
//	}
//
// Subtests are named after the cases (TestConformance/CreateAndFindByID,
// ...), so one case runs with -run.
package datatest
