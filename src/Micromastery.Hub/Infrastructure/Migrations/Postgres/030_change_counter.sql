-- What the public outputs show changed: every hub on this database caches /public, the feed and the badges until
-- this counter moves (Infrastructure/ChangeCounter.cs). Several rows, summed by readers, so concurrent writers
-- mostly update different rows.
CREATE TABLE change_counter (
    shard    integer PRIMARY KEY,
    version  bigint  NOT NULL
);
INSERT INTO change_counter (shard, version) VALUES (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0);
