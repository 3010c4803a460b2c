CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE k (x int, pid int);
-- Rows already there are not checked against the new constraints.
ALTER TABLE k ADD CONSTRAINT k_x CHECK (x > 0) NOT VALID;
ALTER TABLE k ADD CONSTRAINT k_p FOREIGN KEY (pid) REFERENCES p (id) NOT VALID;
CREATE TABLE fresh (y int);
ALTER TABLE fresh ADD CONSTRAINT fresh_y CHECK (y > 0) NOT VALID;
