CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');
CREATE TABLE events (id integer, m mood DEFAULT 'happy', at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE base (id integer, m mood);
CREATE TABLE child (extra text) INHERITS (base);
