CREATE TYPE mood AS ENUM ('a','b');
CREATE TYPE mood_strata_swap AS ENUM ('q');
