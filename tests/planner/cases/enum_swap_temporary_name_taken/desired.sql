CREATE TYPE mood AS ENUM ('b','a');
CREATE TYPE mood_strata_swap AS ENUM ('q');
