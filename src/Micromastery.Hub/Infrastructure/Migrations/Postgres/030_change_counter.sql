-- What the public outputs show changed: every hub on this database caches /public, the feed and the badges until
-- this counter moves (Infrastructure/ChangeCounter.cs). Several rows, summed by readers, so concurrent writers
-- mostly update different rows; a row is created by its first change.
CREATE TABLE change_counter (
    shard    integer PRIMARY KEY,
    version  bigint  NOT NULL
);
