CREATE TABLE invoices (id int PRIMARY KEY, number text NOT NULL);
CREATE SEQUENCE invoice_number_seq OWNED BY invoices.number;
ALTER TABLE invoices ALTER number SET DEFAULT 'INV-' || nextval('invoice_number_seq');
