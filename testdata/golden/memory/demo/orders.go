package demo

// newOrdersStore returns the orders data store: a table of
// conf.NumRecords generated rows in group "app".
func newOrdersStore(conf Config) *table {
	return &table{name: "orders", group: "app", rows: conf.NumRecords}
}
