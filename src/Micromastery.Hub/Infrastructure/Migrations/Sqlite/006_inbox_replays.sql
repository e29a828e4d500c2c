-- Replays of webhook inbox events from the owner's /inbox page: who put which event back in the queue, when, and from what state.
CREATE TABLE inbox_replays (
    id              integer PRIMARY KEY,
    inbox_event_id  bigint  NOT NULL,
    replayed_at     bigint  NOT NULL,
    replayed_by     text    NOT NULL,
    previous_state  integer NOT NULL,
    previous_note   text    NULL
);
CREATE INDEX inbox_replays_event ON inbox_replays (inbox_event_id, id);

-- The inbox page filters by state or provider and pages newest first on id (keyset): each filter walks its own index.
CREATE INDEX inbox_events_state_id ON inbox_events (state, id);
CREATE INDEX inbox_events_provider_id ON inbox_events (provider, id);
