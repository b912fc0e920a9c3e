module monoid-shop

go 1.26

require (
	github.com/go-sql-driver/mysql v1.10.1
	github.com/google/jsonschema-go v0.4.3
)

require filippo.io/edwards25519 v1.2.0 // indirect
