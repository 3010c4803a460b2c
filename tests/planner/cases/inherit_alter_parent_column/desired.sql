CREATE TABLE events (id bigint NOT NULL, code integer NOT NULL, note text);
CREATE TABLE web_events (url text NOT NULL) INHERITS (events);
CREATE TABLE old_web_events () INHERITS (web_events);
