CREATE TABLE events (id integer NOT NULL, code smallint, note text);
CREATE TABLE web_events (url text) INHERITS (events);
CREATE TABLE old_web_events () INHERITS (web_events);
