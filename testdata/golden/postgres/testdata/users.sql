-- The table testdata/query.json asks about. Load it into the database of
-- testdata/config.json before running the conformance test, and again
-- after it (the test deletes user1):
--
--   psql -h 127.0.0.1 -U postgres -d postgres -f testdata/users.sql
CREATE TABLE IF NOT EXISTS public.users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    name text
);
INSERT INTO public.users (id, email, name) VALUES
    (1, 'user1@example.com', 'User 1'),
    (2, 'user2@example.com', 'User 2'),
    (3, 'user3@example.com', 'User 3')
ON CONFLICT (id) DO NOTHING;
