CREATE TYPE mood AS ENUM ('awful', 'meh', 'sad', 'happy', 'ecstatic');
