package demo

// newUsersStore returns the users data store: a table of
// conf.NumRecords generated rows in group "app".
func newUsersStore(conf Config) *table {
	return &table{name: "users", group: "app", rows: conf.NumRecords}
}
