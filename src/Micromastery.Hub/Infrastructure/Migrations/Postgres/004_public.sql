-- Build in public: what the owner chose to show strangers. Times are Unix milliseconds, as in 001.

-- The one case-study draft version of a micromastery the owner published (at most one per micromastery).
CREATE TABLE published_case_studies (
    slug          text    PRIMARY KEY,
    version       integer NOT NULL,
    published_at  bigint  NOT NULL,
    FOREIGN KEY (slug, version) REFERENCES case_study_drafts (slug, version)
);

-- Evidence whose link the owner marked public; keyed like the evidence it names, so it outlives a re-evaluation.
CREATE TABLE public_evidence (
    slug         text   NOT NULL,
    source       text   NOT NULL,
    external_id  text   NOT NULL,
    marked_at    bigint NOT NULL,
    PRIMARY KEY (slug, source, external_id)
);
