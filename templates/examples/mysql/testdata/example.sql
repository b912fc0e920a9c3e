-- A small database for the conformance test and for trying the connector:
--   mysql -h 127.0.0.1 -u root < testdata/example.sql
-- It drops and recreates its tables, so running it again restores the rows
-- a conformance run deleted.
CREATE DATABASE IF NOT EXISTS monoid_example CHARACTER SET utf8mb4;
USE monoid_example;

DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS users;

CREATE TABLE users (
  id BIGINT NOT NULL PRIMARY KEY,
  email VARCHAR(255) NOT NULL,
  name VARCHAR(255),
  signed_up DATETIME(3) NOT NULL,
  newsletter BOOL NOT NULL DEFAULT 0,
  KEY (email)
);

CREATE TABLE orders (
  id BIGINT NOT NULL PRIMARY KEY,
  user_id BIGINT NOT NULL,
  total DECIMAL(12,2) NOT NULL,
  items JSON,
  placed TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY (user_id)
);

INSERT INTO users VALUES
  (1, 'jane@example.com', 'Jane Doe', '2024-01-15 09:30:00.250', 1),
  (2, 'john@example.com', 'John Roe', '2024-03-02 17:05:00', 0),
  (3, 'ana@example.com', NULL, '2024-06-30 23:59:59.999', 1);

INSERT INTO orders (id, user_id, total, items, placed) VALUES
  (10, 1, 1234.50, '[{"sku": "A-1", "qty": 2}]', '2024-02-01 10:00:00'),
  (11, 1, 0.99, NULL, '2024-02-03 12:00:00'),
  (12, 2, 99999999.99, '[]', '2024-04-01 08:00:00');
